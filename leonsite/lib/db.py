from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from .caching import bump_model


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


def _run_pending_checks(cursor: Any) -> None:
    """Run now the checks that earlier writes in the transaction queued for its commit:
    PostgreSQL refuses to alter a table, or index it, with checks pending."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _bulk_loading(models_: Iterable[type[models.Model]]) -> list[str] | None:
    """The models' tables, quoted, when a bulk load may alter them (PostgreSQL, inside a
    transaction), with no checks pending; else None."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)
    return [connection.ops.quote_name(model._meta.db_table) for model in models_]


@contextmanager
def foreign_keys_checked_at_end(models_: Iterable[type[models.Model]]) -> Iterator[None]:
    """For a bulk load inside a transaction: on PostgreSQL, the foreign keys of these
    models' tables are dropped for the load and added back after it, which checks every
    row in one join per key. Left in place, each row queues a check that runs at commit,
    one index probe a row: for the ten million rows of a million-review community, the
    commit alone took minutes. Elsewhere, nothing changes."""
    tables = _bulk_loading(models_)
    if tables is None:
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


@contextmanager
def indexes_built_at_end(models_: Iterable[type[models.Model]]) -> Iterator[None]:
    """For a bulk load inside a transaction: on PostgreSQL, the indexes of these models'
    tables that back no constraint (primary keys and unique constraints stay) are
    dropped for the load and built again after it, each in one sorted pass. Left in
    place, every row inserted is an entry placed in each index, most of them at random:
    3.6 million activity rows took two and a half minutes, and the search's text
    indexes longer. Elsewhere, nothing changes."""
    tables = _bulk_loading(models_)
    if tables is None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)
        for _, definition in indexes:
            cursor.execute(definition)


BATCH_ROWS = 5000


def bulk_load(model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert many rows fast, bypassing the ORM: COPY on PostgreSQL, batched executemany
    on SQLite. `columns` are field names (attnames); every other column gets its field's
    default, or now for automatic timestamps, once for all rows. Ids may be given (then
    the id sequence is moved past them on PostgreSQL). No signals are sent; the model's
    cache namespace is moved. Returns the rows inserted."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    now = timezone.now()
    filled = {}
    for name, field in fields.items():
        if name in columns or (name == "id" and field.primary_key):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled[name] = now
        else:
            filled[name] = field.get_default()
    names = list(columns) + list(filled)
    extra = tuple(filled.values())
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra))
                    count += 1
            if "id" in columns:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        else:
            timestamps = [
                i for i, n in enumerate(names) if isinstance(fields[n], models.DateTimeField)
            ]
            adapt = connection.ops.adapt_datetimefield_value
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - names only
            batch: list[list[Any]] = []
            for row in rows:
                values = [*row, *extra]
                for i in timestamps:
                    values[i] = adapt(values[i])
                batch.append(values)
                if len(batch) == BATCH_ROWS:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    if count:
        bump_model(model)
    return count
