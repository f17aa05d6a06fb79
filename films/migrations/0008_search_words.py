from django.db import migrations, models

from leonsite.lib.db import run_for_vendor

# Search corrects a mistyped word to the nearest word of the catalogue (films/search.py);
# the candidates come from a trigram index over those words.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE films_searchword_fts USING fts5(
        word, content='films_searchword', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER films_searchword_fts_ai AFTER INSERT ON films_searchword BEGIN
        INSERT INTO films_searchword_fts(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER films_searchword_fts_ad AFTER DELETE ON films_searchword BEGIN
        INSERT INTO films_searchword_fts(films_searchword_fts, rowid, word)
        VALUES ('delete', old.id, old.word); END""",
    """CREATE TRIGGER films_searchword_fts_au AFTER UPDATE OF word ON films_searchword BEGIN
        INSERT INTO films_searchword_fts(films_searchword_fts, rowid, word)
        VALUES ('delete', old.id, old.word);
        INSERT INTO films_searchword_fts(rowid, word) VALUES (new.id, new.word); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS films_searchword_fts_ai",
    "DROP TRIGGER IF EXISTS films_searchword_fts_ad",
    "DROP TRIGGER IF EXISTS films_searchword_fts_au",
    "DROP TABLE IF EXISTS films_searchword_fts",
]
# pg_trgm is a trusted extension: the database's owner may create it.
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX films_searchword_trgm ON films_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS films_searchword_trgm"]


class Migration(migrations.Migration):
    dependencies = [("films", "0007_search_spoiler_text")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("occurrences", models.PositiveIntegerField(default=1)),
            ],
            options={"ordering": ["word"]},
        ),
        migrations.RunPython(
            run_for_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_for_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
