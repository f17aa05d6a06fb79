"""The generated community: it creates what it reports, its reviews are searchable, and a
freshly seeded database is planned from statistics rather than guesses."""

import io

import pytest
from django.db import connection
from tqdm import tqdm

from films import search
from films.models import SearchEntry
from reviews import seeding
from reviews.models import CollectionItem, Comment, QuoteCollection, Review, ReviewLike
from reviews.seeding import seed_community

pytestmark = pytest.mark.django_db


def test_seeding_creates_what_it_reports(catalogue):
    report = seed_community(users=30, reviews=200, collections=8, seed=7)
    assert report.reviews == Review.objects.count() == 200
    assert report.collections == QuoteCollection.objects.count() == 8
    assert report.review_likes == ReviewLike.objects.count()
    entry = SearchEntry.objects.filter(kind="review").order_by("pk").first()
    word = max(entry.text.split(), key=len)
    assert entry in search.search(word, kind="review").groups["review"]
    # Seeding again replaces the demo community rather than adding to it.
    seed_community(users=30, reviews=100, collections=0, seed=8)
    assert Review.objects.count() == 100


def test_counters_match_the_rows_with_a_progress_bar_drawn(catalogue, monkeypatch):
    # On a terminal every stage draws a bar; drawing must not change what is written.
    monkeypatch.setattr(
        seeding, "_progress",
        lambda total, label: tqdm(total=total, file=io.StringIO(), mininterval=0, miniters=1),
    )  # fmt: skip
    report = seed_community(users=30, reviews=300, collections=20, seed=5)
    assert (
        ReviewLike.objects.count()
        == report.review_likes
        == sum(Review.objects.values_list("like_count", flat=True))
    )
    assert (
        Comment.objects.count()
        == report.comments
        == sum(Review.objects.values_list("comment_count", flat=True))
    )
    assert QuoteCollection.objects.count() == 20
    assert CollectionItem.objects.count() == sum(
        QuoteCollection.objects.values_list("item_count", flat=True)
    )


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def test_a_freshly_seeded_database_is_planned_from_statistics(catalogue):
    seed_community(users=100, reviews=3000, collections=10, seed=3)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
        assert {"films_searchentry", "reviews_review", "reviews_reviewlike"} <= analysed
        return
    # Without statistics, PostgreSQL guessed five rows of reviews in the index...
    estimate = explain("SELECT id FROM films_searchentry WHERE bulk AND kind = %s", ["review"])[
        "Plan Rows"
    ]
    assert 1500 <= estimate <= 6000
    # ...and so walked every review through the (kind, object_id) index for a rare word,
    # where the text index (or, this small, one pass over the table) is the right plan.
    params = {"q": "zorglub:*", "kind": "review", "limit": 200, "window": search.BULK_WINDOW}
    indexes = {node.get("Index Name") for node in plan_nodes(explain(search.PG_NEWEST, params))}
    assert "unique_search_entry" not in indexes
