from django.db import migrations

# PostgreSQL only: keep each entry's tsvector in a stored generated column, so a match
# test reads it instead of running to_tsvector() on the row again. That makes "the newest
# matching reviews" cheap to find by walking the newest rows (films/search.py). SQLite's
# FTS5 tables already store their index.
POSTGRES_FORWARD = [
    # Computing every row's column takes longer than a web request may (settings.py).
    "SET LOCAL statement_timeout = 0",
    "ALTER TABLE films_searchentry ADD COLUMN document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "DROP INDEX IF EXISTS films_searchentry_text_gin",
    "DROP INDEX IF EXISTS films_searchentry_bulk_gin",
    "CREATE INDEX films_searchentry_text_gin ON films_searchentry USING gin (document) "
    "WHERE NOT bulk",
    "CREATE INDEX films_searchentry_bulk_gin ON films_searchentry USING gin (document) "
    "WHERE bulk",
]
POSTGRES_BACKWARD = [
    "SET LOCAL statement_timeout = 0",
    "DROP INDEX IF EXISTS films_searchentry_text_gin",
    "DROP INDEX IF EXISTS films_searchentry_bulk_gin",
    "ALTER TABLE films_searchentry DROP COLUMN IF EXISTS document",
    "CREATE INDEX films_searchentry_text_gin ON films_searchentry "
    "USING gin (to_tsvector('simple', text)) WHERE NOT bulk",
    "CREATE INDEX films_searchentry_bulk_gin ON films_searchentry "
    "USING gin (to_tsvector('simple', text)) WHERE bulk",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("films", "0004_search_bulk_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
