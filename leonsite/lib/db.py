from collections.abc import Callable
from typing import Any

from django.db import connection


def lift_statement_timeout() -> None:
    """For a batch job (seeding, reindexing) inside a transaction: PostgreSQL's statement
    timeout guards web requests (settings.py) and would cancel a long bulk insert."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


def run_for_vendor(statements: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    """A migration's RunPython function that executes the statements listed for the
    database in use (full-text and trigram indexes differ between SQLite and PostgreSQL)."""

    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load. Until autovacuum gets round to
    it, PostgreSQL plans a freshly filled table from default guesses: it took `kind =
    'review'` for a handful of rows and walked every review through the (kind, object_id)
    index instead of the text index, 20 to 40 times slower."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
