"""A bulk load on PostgreSQL checks its rows' foreign keys once, at the end, in one join
per key: the keys are dropped for the load and added back after it. Elsewhere the helper
changes nothing, so these tests run on PostgreSQL only."""

import pytest
from django.db import IntegrityError, connection, transaction

from leonsite.lib.db import bulk_load, foreign_keys_checked_at_end
from reviews.models import Follow, Review
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the keys are set aside on PostgreSQL only"
    ),
]


def foreign_keys(*models) -> set[tuple[str, str, str]]:
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return set(cursor.fetchall())


def test_the_keys_are_set_aside_for_the_load_and_come_back_as_they_were():
    before = foreign_keys(Follow, Review)
    assert len(before) >= 4
    assert all("DEFERRABLE INITIALLY DEFERRED" in definition for *_, definition in before)
    with transaction.atomic(), foreign_keys_checked_at_end([Follow, Review]):
        assert foreign_keys(Follow, Review) == set()
    assert foreign_keys(Follow, Review) == before


def test_a_row_pointing_nowhere_fails_the_load_and_writes_nothing():
    member = make_user()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        foreign_keys_checked_at_end([Follow]),
    ):
        bulk_load(Follow, ["follower_id", "followed_id"], [(member.pk, 10**9)])
    assert not Follow.objects.exists()
    assert len(foreign_keys(Follow)) == 2


def test_rows_written_earlier_in_the_transaction_do_not_stop_it():
    # The first follow waits on a check of its keys until commit: PostgreSQL will not
    # alter a table while such a check is pending, unless it is run first.
    a, b, c = make_user(), make_user(), make_user()
    with transaction.atomic():
        Follow.objects.create(follower=a, followed=b)
        with foreign_keys_checked_at_end([Follow]):
            bulk_load(Follow, ["follower_id", "followed_id"], [(a.pk, c.pk)])
    assert set(Follow.objects.values_list("followed", flat=True)) == {b.pk, c.pk}
