"""A bulk load on PostgreSQL checks its rows' foreign keys once, at the end, in one join
per key, and builds the tables' indexes once, in one sorted pass each: both are dropped
for the load and put back after it. Elsewhere the helpers change nothing, so these tests
run on PostgreSQL only."""

import pytest
from django.db import IntegrityError, connection, transaction

from leonsite.lib.db import bulk_load, foreign_keys_checked_at_end, indexes_built_at_end
from reviews.models import Activity, Follow, Review
from tests.factories import make_review, make_user

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


def indexes(model) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [model._meta.db_table],
        )
        return set(cursor.fetchall())


def test_the_indexes_are_dropped_for_the_load_and_built_again_as_they_were():
    before = indexes(Activity)
    with transaction.atomic(), indexes_built_at_end([Activity]):
        # The primary key stays: it backs a constraint (and the foreign keys to the table).
        assert {name for name, _ in indexes(Activity)} == {"reviews_activity_pkey"}
    assert indexes(Activity) == before
    assert {"reviews_activity_actor_new", "reviews_activity_one_per_review"} <= {
        name for name, _ in before
    }


def test_a_row_a_unique_index_refuses_fails_the_load_when_the_index_is_built():
    review = make_review()  # its activity row is written with it
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        indexes_built_at_end([Activity]),
    ):
        bulk_load(
            Activity, ["actor_id", "verb", "review_id"], [(review.author_id, "reviewed", review.pk)]
        )
    assert Activity.objects.filter(review=review).count() == 1
