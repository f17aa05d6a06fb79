"""Counters stay exact under concurrent writes (QUALITY.md R1/R2/R3), on PostgreSQL.

SQLite serialises every write (IMMEDIATE transactions), so the race only exists on
PostgreSQL; there, 8 threads hammer the same rows and the counters must equal the
aggregates recomputed afterwards.
"""

import threading

import pytest
from django.db import connection, connections

from reviews import services
from reviews.models import CollectionItem, FilmRatingStats, QuoteCollection, Review, ReviewLike
from tests.factories import (
    make_collection,
    make_established_user,
    make_film,
    make_quote,
    make_review,
    make_user,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8
OPS = 25


def run_threads(work, count=THREADS):
    """Run `work(index)` in `count` threads, each with its own connection, all at once."""
    errors = []
    barrier = threading.Barrier(count)

    def runner(index):
        try:
            barrier.wait(timeout=10)
            work(index)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(repr(err))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors


def test_reviews_created_edited_and_deleted_concurrently_keep_exact_statistics():
    film = make_film()
    authors = [[make_user() for _ in range(OPS)] for _ in range(THREADS)]

    def work(i):
        for n, author in enumerate(authors[i]):
            review = services.review_create(author=author, film=film, rating=(n % 10) + 1)
            if n % 3 == 0:
                services.review_update(
                    review=review, rating=10 - (n % 10), title="", body="", is_spoiler=False
                )
            if n % 5 == 0:
                services.review_delete(review=review)

    run_threads(work)
    stats = FilmRatingStats.objects.get(film=film)
    ratings = list(Review.objects.for_film(film).values_list("rating", flat=True))
    assert stats.count == len(ratings) == THREADS * (OPS - 5)
    assert stats.total == sum(ratings)
    assert stats.buckets == [ratings.count(n) for n in range(1, 11)]


def test_concurrent_likes_and_unlikes_keep_one_row_each_and_an_exact_count():
    review = make_review(author=make_user())
    likers = [make_user() for _ in range(THREADS)]

    def work(i):
        # Every thread likes for every member, and half of them unlike again: lots of
        # duplicate attempts on the same (user, review) pairs.
        for n in range(OPS):
            user = likers[(i + n) % THREADS]
            if n % 2 == 0:
                services.like(user=user, item=review)
            else:
                services.unlike(user=user, item=review)
            services.like(user=likers[i], item=review)

    run_threads(work)
    review.refresh_from_db()
    rows = ReviewLike.objects.filter(review=review)
    assert rows.count() == rows.values("user").distinct().count()
    assert review.like_count == rows.count()


def test_concurrent_adds_to_one_collection_keep_positions_unique():
    collection = make_collection(owner=make_user())
    quotes = [make_quote() for _ in range(OPS)]

    def work(i):
        for quote in quotes:  # every thread adds every quote: duplicates must collapse
            services.collection_add_quote(collection=collection, quote=quote)

    run_threads(work)
    collection = QuoteCollection.objects.get(pk=collection.pk)
    items = CollectionItem.objects.filter(collection=collection)
    positions = list(items.values_list("position", flat=True))
    assert items.count() == collection.item_count == OPS
    assert len(set(positions)) == OPS


def test_concurrent_reports_hide_an_item_once_and_keep_one_report_per_member():
    """Eight members report at once, each twice: eight reports, one automatic hide."""
    from reviews.moderation import services as moderation
    from reviews.moderation.models import ModerationAction, Report

    review = make_review(author=make_user())
    # Members of some standing: a new account's report counts for less.
    reporters = [make_established_user() for _ in range(THREADS)]

    def work(i):
        for _ in range(2):
            try:
                moderation.report_create(reporter=reporters[i], item=review, reason="spam")
            except Exception as err:  # noqa: BLE001 - the second one must be refused
                assert "already reported" in str(err), err

    run_threads(work)
    review.refresh_from_db()
    assert Report.objects.count() == THREADS
    assert review.is_hidden
    assert ModerationAction.objects.filter(kind="auto_hide").count() == 1
    assert FilmRatingStats.objects.get(film=review.film).count == 0


def test_moderators_hiding_and_restoring_at_once_keep_counts_and_log_consistent():
    """Two moderators at a time hide and restore one review: the statistics count it
    exactly when it is visible, and every change of state has its log entry."""
    from reviews.moderation import services as moderation
    from reviews.moderation.models import ModerationAction

    review = make_review(author=make_user())
    moderators = [make_user() for _ in range(THREADS)]

    def work(i):
        for n in range(OPS):
            action = "hide" if (i + n) % 2 == 0 else "restore"
            moderation.decide(moderator=moderators[i], item=review, action=action, reason="x")

    run_threads(work)
    review.refresh_from_db()
    stats = FilmRatingStats.objects.get(film=review.film)
    assert stats.count == (0 if review.is_hidden else 1)
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    # Decisions that changed nothing are not logged: the log alternates hide/restore.
    assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))
    assert kinds[-1] == ("hide" if review.is_hidden else "restore")


def test_the_same_review_reindexed_by_concurrent_commits_keeps_one_entry():
    from django.db import transaction

    from films import search
    from films.models import SearchEntry

    review = make_review(body="Reindexed from every side.")

    def work(i):
        for _ in range(OPS):
            with transaction.atomic():
                search.reindex("review", [review.pk])

    run_threads(work)
    assert SearchEntry.objects.filter(kind="review", object_id=review.pk).count() == 1
