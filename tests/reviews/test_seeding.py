"""The generated community: it creates what it reports, its reviews are searchable, and a
freshly seeded database is planned from statistics rather than guesses."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from tqdm import tqdm

from films import search
from films.models import Film, SearchEntry
from reviews import activity, follows, seeding, services
from reviews.models import (
    Activity,
    CollectionItem,
    Comment,
    DiaryEntry,
    Follow,
    Notification,
    QuoteCollection,
    Review,
    ReviewLike,
)
from reviews.seeding import seed_community
from reviews.selectors import REVIEW_SORTS, reviews_for_film
from tests.factories import make_user

User = get_user_model()

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


def test_follows_viewings_activity_and_notifications_are_what_the_services_write(catalogue):
    report = seed_community(users=80, reviews=600, collections=20, seed=11)
    assert report.follows == Follow.objects.count() > 300
    assert report.diary_entries == DiaryEntry.objects.count() > 300
    assert report.activities == Activity.objects.count()
    assert report.notifications == Notification.objects.count()
    # One feed row per review with words, viewing, collection and like.
    verbs = Counter(Activity.objects.values_list("verb", flat=True))
    assert verbs["reviewed"] == Review.objects.exclude(title="", body="").count()
    assert verbs["logged"] == report.diary_entries
    assert verbs["collected"] == report.collections
    assert verbs["liked_review"] == report.review_likes
    assert verbs["liked_collection"] == report.collection_likes
    # A viewing logged with its review carries that review's film, member and rating.
    linked = DiaryEntry.objects.filter(review__isnull=False).select_related("review")
    assert linked.exists()
    for entry in linked[:50]:
        assert (entry.user_id, entry.film_id, entry.rating) == (
            entry.review.author_id, entry.review.film_id, entry.review.rating
        )  # fmt: skip
    # A burst of likes counts each like once, and names a member who gave one.
    bursts = Notification.objects.filter(kind="like_review")
    showcase = Review.objects.order_by("pk").first().author
    plain = bursts.exclude(recipient=showcase)
    assert (
        sum(plain.values_list("count", flat=True))
        == ReviewLike.objects.exclude(review__author=showcase).count()
    )
    for burst in plain[:50]:
        likes = ReviewLike.objects.filter(review=burst.review_id)
        # Named by the latest member to like it, timed from the first like to the last.
        latest = likes.order_by("-created_at").first()
        assert (burst.actor_id, burst.updated_at) == (latest.user_id, latest.created_at)
        assert burst.created_at == likes.order_by("created_at").first().created_at
        assert burst.recipient_id == burst.review.author_id
    # No one is told of what they did themselves (their own comment on their review).
    assert not Notification.objects.filter(actor=F("recipient")).exists()
    comments = Notification.objects.filter(kind="comment").select_related("comment")
    assert all(n.comment.author_id == n.actor_id for n in comments[:50])
    follows = Notification.objects.filter(kind="follow")
    assert sum(follows.values_list("count", flat=True)) == report.follows
    # The member the benchmark reads the site as.
    assert Follow.objects.filter(follower=showcase).count() == seeding.SHOWCASE_FOLLOWS
    assert Notification.objects.filter(recipient=showcase).count() == (
        seeding.SHOWCASE_NOTIFICATIONS
    )


def test_the_showcase_member_reads_a_lively_feed_and_notifications(catalogue, client):
    seed_community(users=80, reviews=600, collections=20, seed=12)
    showcase = Review.objects.order_by("pk").first().author
    client.force_login(showcase)
    feed = client.get("/activity/")
    assert feed.status_code == 200
    assert feed.content.decode().count('class="activity-item') >= 10
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert page.content.decode().count('<li class="notification') == 30


def test_seeding_again_replaces_the_demo_community_and_keeps_real_members(catalogue):
    seed_community(users=40, reviews=300, collections=10, seed=13)
    fan = make_user("real-fan")
    demo = User.objects.filter(username__startswith=seeding.PREFIX).first()
    review = services.review_create(
        author=fan, film=Film.objects.get(slug="leon-the-professional"), rating=9, body="Mine."
    )
    follows.follow(follower=fan, followed=demo)
    services.like(user=fan, item=Review.objects.filter(author=demo).first())
    follows.follow(follower=demo, followed=fan)
    assert Notification.objects.filter(recipient=fan, actor=demo).exists()
    report = seed_community(users=40, reviews=200, collections=10, seed=14)
    # What the fan did to the demo community, and what it did to them, is gone with it.
    assert not Activity.objects.filter(actor=fan, verb="liked_review").exists()
    assert not Notification.objects.filter(recipient=fan).exists()
    assert Follow.objects.count() == report.follows
    assert Activity.objects.exclude(actor=fan).count() == report.activities
    assert Activity.objects.filter(actor=fan, review=review).exists()
    assert Review.objects.filter(pk=review.pk).exists()
    assert Notification.objects.exclude(recipient=fan).count() == report.notifications


def test_the_feed_reads_the_followed_members_rows_through_their_index(catalogue):
    # The followed members' ids go into the feed's query as a literal list: planned
    # from the activity table's statistics, their rows are read through the (actor,
    # -created_at) index. Given a subquery, the planner guessed a dozen follows and
    # joined the whole table before filtering it (seconds on a freshly loaded million).
    # The candidates are read from the activity table alone: joined with their targets,
    # the planner read and joined every row of the members followed in parallel workers.
    seed_community(users=6000, reviews=8000, collections=40, seed=4)
    reader = Review.objects.order_by("pk").first().author
    sql, params = activity.followed_rows(reader, []).values_list("pk")[:26].query.sql_with_params()
    assert "reviews_follow" not in sql and "JOIN" not in sql
    if connection.vendor == "sqlite":
        return
    nodes = list(plan_nodes(explain(sql, params)))
    scans = {
        (n["Node Type"], n.get("Index Name"))
        for n in nodes
        if n.get("Relation Name") == "reviews_activity"
    }
    # At this size, walking the newest rows until a page's worth is found is as good a
    # plan; at a million (fewer followed rows among many more) the planner takes the
    # actor's index, as `make bench` shows.
    assert scans, nodes
    assert scans <= {
        ("Bitmap Heap Scan", None),
        ("Index Scan", "reviews_activity_actor_new"),
        ("Index Scan", "reviews_activity_newest"),
    }, scans
    assert not [n for n in nodes if n["Node Type"] in ("Gather", "Gather Merge")], nodes


@pytest.mark.parametrize("sort", sorted(REVIEW_SORTS))
def test_each_order_of_a_films_reviews_has_its_index(sort):
    """A page of a film's reviews is read through an index in its exact order, ties
    included: otherwise the database sorts every review of the film sharing the first
    key (tens of thousands at a million) on each cold read."""
    wanted = ["film", *("-id" if key == "-pk" else key for key in REVIEW_SORTS[sort])]
    assert wanted in [list(index.fields) for index in Review._meta.indexes]


def test_the_highest_rated_page_is_read_in_index_order(catalogue):
    seed_community(users=100, reviews=3000, collections=10, seed=5)
    if connection.vendor == "sqlite":
        return
    film = Film.objects.get(pk=Review.objects.values_list("film", flat=True).first())
    page = reviews_for_film(film, sort="highest")[40:60]
    sql, params = page.query.sql_with_params()
    nodes = list(plan_nodes(explain(sql, params)))
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], nodes
