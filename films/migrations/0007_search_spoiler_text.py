from django.db import migrations, models

# Spoiler text is indexed apart from the open text, so that no search over the open
# text can match it (films/search.py). The column is added in place: letting Django
# rebuild the SQLite table to add it would drop the triggers that keep the text
# indexes in step.
ADD_COLUMN = "ALTER TABLE films_searchentry ADD COLUMN spoiler_text text NOT NULL DEFAULT ''"
DROP_COLUMN = "ALTER TABLE films_searchentry DROP COLUMN spoiler_text"

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE films_searchentry_spoiler_fts USING fts5(
        spoiler_text, content='films_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER films_searchentry_spoiler_fts_ai AFTER INSERT ON films_searchentry
        WHEN new.spoiler_text <> '' BEGIN
        INSERT INTO films_searchentry_spoiler_fts(rowid, spoiler_text)
        VALUES (new.id, new.spoiler_text); END""",
    """CREATE TRIGGER films_searchentry_spoiler_fts_ad AFTER DELETE ON films_searchentry
        WHEN old.spoiler_text <> '' BEGIN
        INSERT INTO films_searchentry_spoiler_fts(films_searchentry_spoiler_fts, rowid,
        spoiler_text) VALUES ('delete', old.id, old.spoiler_text); END""",
    """CREATE TRIGGER films_searchentry_spoiler_fts_au AFTER UPDATE ON films_searchentry BEGIN
        INSERT INTO films_searchentry_spoiler_fts(films_searchentry_spoiler_fts, rowid,
        spoiler_text) SELECT 'delete', old.id, old.spoiler_text WHERE old.spoiler_text <> '';
        INSERT INTO films_searchentry_spoiler_fts(rowid, spoiler_text)
        SELECT new.id, new.spoiler_text WHERE new.spoiler_text <> ''; END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS films_searchentry_spoiler_fts_ai",
    "DROP TRIGGER IF EXISTS films_searchentry_spoiler_fts_ad",
    "DROP TRIGGER IF EXISTS films_searchentry_spoiler_fts_au",
    "DROP TABLE IF EXISTS films_searchentry_spoiler_fts",
]
POSTGRES_FORWARD = [
    "SET LOCAL statement_timeout = 0",
    "ALTER TABLE films_searchentry ADD COLUMN spoiler_document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', spoiler_text)) STORED",
    "CREATE INDEX films_searchentry_spoiler_gin ON films_searchentry "
    "USING gin (spoiler_document) WHERE spoiler_text <> ''",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS films_searchentry_spoiler_gin",
    "ALTER TABLE films_searchentry DROP COLUMN IF EXISTS spoiler_document",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("films", "0006_cuts_timings_progress")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_COLUMN, DROP_COLUMN)],
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="spoiler_text",
                    field=models.TextField(
                        blank=True,
                        default="",
                        help_text="Folded text found only inside spoilers: it has its own "
                        "index, and a match in it is shown without any of it.",
                    ),
                )
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
