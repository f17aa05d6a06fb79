from django.db import connection


def lift_statement_timeout() -> None:
    """For a batch job (seeding, reindexing) inside a transaction: PostgreSQL's statement
    timeout guards web requests (settings.py) and would cancel a long bulk insert."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
