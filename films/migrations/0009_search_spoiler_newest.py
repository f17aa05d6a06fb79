from django.db import migrations

from leonsite.lib.db import run_for_vendor

# Search walks the newest entries that have spoiler text before it falls back on the
# spoiler text's GIN index (films/search.py); on SQLite, the FTS table's rowids serve.
POSTGRES_FORWARD = [
    "SET LOCAL statement_timeout = 0",
    "CREATE INDEX films_searchentry_spoiler_newest ON films_searchentry (id) "
    "WHERE spoiler_text <> ''",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS films_searchentry_spoiler_newest"]


class Migration(migrations.Migration):
    dependencies = [("films", "0008_search_words")]

    operations = [
        migrations.RunPython(
            run_for_vendor({"postgresql": POSTGRES_FORWARD}),
            run_for_vendor({"postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
