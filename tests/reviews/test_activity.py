"""The activity feed: what the members one follows did, who is shown what, and its cost."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from films.models import Film
from leonsite.accounts import services as accounts
from leonsite.accounts.data import parts
from leonsite.accounts.models import Profile
from reviews import activity, diary, follows, selectors, services
from reviews.models import Activity, DiaryEntry, Follow, QuoteCollection, Review
from reviews.moderation import services as moderation
from tests.factories import (
    make_collection,
    make_film,
    make_moderator,
    make_review,
    make_user,
    make_watched_word,
)
from tests.guards import read

pytestmark = pytest.mark.django_db
User = get_user_model()
FEED = "/activity/"


@pytest.fixture
def fan(db):
    """The reader: follows Alice."""
    return make_user("fan", display_name="Fan")


@pytest.fixture
def alice(db, fan):
    alice = make_user("alice", display_name="Alice")
    follows.follow(follower=fan, followed=alice)
    return alice


def feed_of(user, url=FEED) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def set_visibility(user, **chosen):
    current = selectors.film_life_settings(user)
    diary.visibility_update(
        user=user,
        diary_visibility=chosen.get("diary", current.diary_visibility),
        watchlist_visibility=current.watchlist_visibility,
        activity_visibility=chosen.get("activity", current.activity_visibility),
    )


# Each kind of action reaches a follower ---------------------------------------------------


def test_a_review_reaches_a_follower_with_its_rating_and_excerpt(fan, alice, film):
    review = make_review(author=alice, film=film, rating=9, title="Plant", body="Milk, always.")
    page = feed_of(fan)
    assert "reviewed" in page and film.title in page
    assert "Milk, always." in page and "4.5 stars" in page
    assert review.get_absolute_url() in page


def test_a_rating_alone_reads_as_rated(fan, alice, film):
    diary.rate(user=alice, film=film, rating=6)
    page = feed_of(fan)
    assert "rated" in page and "3 stars" in page


def test_a_viewing_reaches_a_follower_once_with_its_rating(fan, alice, film):
    diary.entry_create(user=alice, film=film, rating=8, liked=True, note="At the Rex.")
    # The viewing says what the rating is: the rating it made is not a second item.
    assert Activity.objects.filter(actor=alice).count() == 1
    page = feed_of(fan)
    assert "watched" in page and "At the Rex." in page and "4 stars" in page
    diary.entry_create(user=alice, film=film, rewatch=True)
    assert "again" in feed_of(fan)


def test_writes_told_not_to_announce_write_no_row(fan, alice, film):
    """An import of past viewings and reviews does not flood the followers' feeds."""
    diary.entry_create(user=alice, film=film, rating=6, announce=False)
    services.review_create(author=alice, film=make_film(), rating=8, body="x", announce=False)
    diary.rate(user=alice, film=make_film(), rating=4, announce=False)
    assert not Activity.objects.exists()


def test_a_rating_from_a_viewing_enters_the_feed_when_it_gets_words(fan, alice, film):
    diary.entry_create(user=alice, film=film, rating=8)
    review = Review.objects.get(author=alice)
    services.review_update(
        review=review, rating=8, title="Now in words", body="Later.", is_spoiler=False
    )
    assert "Now in words" in feed_of(fan)
    assert Activity.objects.filter(verb="reviewed", review=review).count() == 1
    services.review_update(review=review, rating=7, title="Again", body="x", is_spoiler=False)
    assert Activity.objects.filter(verb="reviewed", review=review).count() == 1


def test_a_new_public_collection_reaches_a_follower(fan, alice):
    collection = make_collection(owner=alice, title="Lines I repeat")
    page = feed_of(fan)
    assert "started" in page and "Lines I repeat" in page
    assert collection.get_absolute_url() in page


def test_likes_of_reviews_and_collections_reach_a_follower(fan, alice, film):
    bob = make_user("bob", display_name="Bob")
    review = make_review(author=bob, film=film, title="Bob on the plant")
    collection = make_collection(owner=bob, title="Bob's lines")
    services.like(user=alice, item=review)
    services.like(user=alice, item=collection)
    page = feed_of(fan)
    assert "a review by Bob" in page and "Bob on the plant" in page
    assert "a quote collection by Bob" in page and "Bob&#x27;s lines" in page


def test_a_like_is_one_line_that_leads_to_the_review_not_the_review_again(fan, alice, film):
    bob = make_user("bob", display_name="Bob")
    review = make_review(
        author=bob, film=film, rating=7, title="Bob on the plant", body="The qxbody text."
    )
    services.like(user=alice, item=review)
    carol = make_user("carol")
    follows.follow(follower=fan, followed=carol)
    services.like(user=carol, item=review)
    page = feed_of(fan)
    # Two likes of one review: two lines, its title and film linked, its words in neither.
    assert page.count('class="activity-item"') == 2
    assert page.count(f'href="{review.get_absolute_url()}">Bob on the plant</a>') == 2
    assert f'href="{film.get_absolute_url()}"' in page and "★★★½" in page
    assert "qxbody" not in page and 'class="like-form"' not in page


def test_a_like_of_a_spoiler_review_does_not_show_its_title(fan, alice, film):
    review = make_review(film=film, title="He dies qxtitle", body="Yes.", is_spoiler=True)
    services.like(user=alice, item=review)
    page = feed_of(fan)
    assert "qxtitle" not in page
    assert "Spoilers" in page and review.get_absolute_url() in page


def test_a_like_taken_back_leaves_the_feed(fan, alice, film):
    review = make_review(film=film, title="Liked then not")
    services.like(user=alice, item=review)
    services.unlike(user=alice, item=review)
    assert "Liked then not" not in feed_of(fan)
    assert not Activity.objects.filter(actor=alice).exists()


def test_nothing_from_members_the_reader_does_not_follow(fan, alice, film):
    stranger = make_user("stranger")
    make_review(author=stranger, film=film, title="Unfollowed words")
    make_collection(owner=stranger, title="Unfollowed lines")
    diary.entry_create(user=stranger, film=film, note="Unfollowed note")
    page = feed_of(fan)
    assert "Unfollowed" not in page
    # Nor the reader's own actions: the feed is the others'.
    make_review(author=fan, film=film, title="My own words")
    assert "My own words" not in feed_of(fan)


# What is never shown ------------------------------------------------------------------------


def test_hidden_and_deleted_posts_leave_the_feed(fan, alice, film, moderator):
    hidden = make_review(author=alice, film=film, title="Soon hidden")
    deleted = make_collection(owner=alice, title="Soon deleted")
    entry = diary.entry_create(user=alice, film=film, note="Soon hidden note")
    assert all(t in feed_of(fan) for t in ("Soon hidden", "Soon deleted", "Soon hidden note"))
    moderation.decide(moderator=moderator, item=hidden, action="hide", reason="Spam.")
    moderation.decide(moderator=moderator, item=entry, action="hide", reason="Spam.")
    services.collection_delete(collection=deleted)
    page = feed_of(fan)
    assert "Soon hidden" not in page and "Soon deleted" not in page
    moderation.decide(moderator=moderator, item=hidden, action="restore", reason="Fine.")
    assert "Soon hidden" in feed_of(fan)
    services.review_delete(review=hidden)
    assert "Soon hidden" not in feed_of(fan)


def test_a_held_review_stays_out_until_published(fan, alice, film):
    make_watched_word("dubious", action="hold")
    make_review(author=alice, film=film, title="Dubious words")
    assert "Dubious words" not in feed_of(fan)


def test_a_deleted_diary_entry_takes_its_row(fan, alice, film):
    entry = diary.entry_create(user=alice, film=film, note="Gone soon")
    diary.entry_delete(entry=entry)
    assert not Activity.objects.exists()
    assert "Gone soon" not in feed_of(fan)


@pytest.mark.parametrize("visibility", ["unlisted", "private"])
def test_only_public_collections_are_shown(fan, alice, visibility):
    collection = make_collection(owner=alice, title="Not for the feed", visibility=visibility)
    assert "Not for the feed" not in feed_of(fan)
    services.collection_update(
        collection=collection, title=collection.title, description="", visibility="public"
    )
    assert "Not for the feed" in feed_of(fan)


def test_a_like_of_a_collection_made_private_is_not_shown(fan, alice):
    bob = make_user("bob")
    collection = make_collection(owner=bob, title="Bob opens then closes")
    services.like(user=alice, item=collection)
    assert "Bob opens then closes" in feed_of(fan)
    services.collection_update(
        collection=collection, title=collection.title, description="", visibility="private"
    )
    assert "Bob opens then closes" not in feed_of(fan)


def test_a_like_of_a_hidden_review_is_not_shown(fan, alice, film, moderator):
    review = make_review(film=film, title="Liked then hidden")
    services.like(user=alice, item=review)
    moderation.decide(moderator=moderator, item=review, action="hide", reason="Spam.")
    assert "Liked then hidden" not in feed_of(fan)


@pytest.mark.parametrize("who_blocks", ["reader", "actor"])
def test_a_block_either_way_ends_the_feed(fan, alice, film, who_blocks):
    make_review(author=alice, film=film, title="Before the block")
    blocker, blocked = (fan, alice) if who_blocks == "reader" else (alice, fan)
    follows.block(blocker=blocker, blocked=blocked)
    assert "Before the block" not in feed_of(fan)


@pytest.mark.parametrize("who_blocks", ["reader", "author"])
def test_likes_of_posts_by_a_member_a_block_stands_between_are_not_shown(
    fan, alice, film, who_blocks
):
    pest = make_user("pest", display_name="Pest")
    review = make_review(author=pest, film=film, title="Pest's words")
    collection = make_collection(owner=pest, title="Pest's lines")
    services.like(user=alice, item=review)
    services.like(user=alice, item=collection)
    blocker, blocked = (fan, pest) if who_blocks == "reader" else (pest, fan)
    follows.block(blocker=blocker, blocked=blocked)
    page = feed_of(fan)
    assert "Pest" not in page


@pytest.mark.parametrize(
    ("visibility", "shown"), [("public", True), ("followers", True), ("private", False)]
)
def test_the_diarys_visibility_decides_for_viewings(fan, alice, film, visibility, shown):
    diary.entry_create(user=alice, film=film, note="Seen at home.")
    set_visibility(alice, diary=visibility)
    assert ("Seen at home." in feed_of(fan)) is shown


@pytest.mark.parametrize(
    ("visibility", "shown"), [("public", True), ("followers", True), ("private", False)]
)
def test_the_activitys_visibility_decides_for_everything(fan, alice, film, visibility, shown):
    make_review(author=alice, film=film, title="Words for my followers")
    make_collection(owner=alice, title="Lines for my followers")
    set_visibility(alice, activity=visibility)
    page = feed_of(fan)
    assert ("Words for my followers" in page) is shown
    assert ("Lines for my followers" in page) is shown


def test_the_rule_is_may_sees_for_every_follower_and_choice(fan, alice, film):
    """The feed shows a followed member's activity as `may_see` decides, choice by choice,
    and so does its shortcut for followers."""
    pest = make_user("pest")
    follows.follow(follower=pest, followed=alice)
    follows.block(blocker=alice, blocked=pest)
    make_review(author=alice, film=film, title="For whom it is")
    for visibility in ("public", "followers", "private"):
        set_visibility(alice, activity=visibility)
        for reader in (fan, pest):
            shown = "For whom it is" in feed_of(reader)
            assert shown == selectors.may_see(reader, alice, visibility), (visibility, reader)
        assert selectors.may_see_as_follower(visibility) == selectors.may_see(
            fan, alice, visibility
        )


# The spoiler guard: the reviews list's own ---------------------------------------------------


def test_a_spoiler_review_shows_no_spoiler_text_until_asked(fan, alice, film):
    make_review(
        author=alice,
        film=film,
        title="The ending, told",
        body="He dies at the qxend.",
        is_spoiler=True,
    )
    other = make_user("other")
    make_review(author=other, film=make_film(), body="Fine, but ||qxinline|| hmm.")
    follows.follow(follower=fan, followed=other)
    page = feed_of(fan)
    # Behind the reviews list's guards: the flagged review whole (its title too) in a
    # closed <details>, the inline spoiler behind its checkbox.
    visible, hidden = read(page)
    assert "qxend" not in visible and "The ending, told" not in visible
    assert "qxinline" not in visible
    assert "qxend" in hidden and "The ending, told" in hidden and "qxinline" in hidden
    assert "This review contains spoilers" in visible
    # A reader who chose to see members' spoilers gets them open, as on the reviews list.
    Profile.objects.filter(user=fan).update(show_members_spoilers=True)
    assert '<details class="spoiler-box"' not in feed_of(fan)


def test_a_note_with_an_inline_spoiler_is_never_shown_in_the_feed(fan, alice, film):
    diary.entry_create(user=alice, film=film, note="Loved it. ||qxsecret||")
    page = feed_of(fan)
    assert "qxsecret" not in page and "[spoiler]" in read(page)[0]


# Order and pages --------------------------------------------------------------------------


def _bulk(actor, n):
    """n reviews by `actor`, each with its activity row, a minute apart (newest last)."""
    start = timezone.now() - timedelta(days=30)
    films = [make_film() for _ in range(n)]
    reviews = Review.objects.bulk_create(
        Review(
            author=actor,
            film=films[i],
            rating=(i % 10) + 1,
            title=f"Bulk {i}",
            body=f"Body {i} ||x||",
            body_html=f'<p>Body {i} <span class="spoiler" tabindex="0">x</span></p>',
            is_spoiler=i % 7 == 0,
            created_at=start + timedelta(minutes=i),
        )
        for i in range(n)
    )
    Activity.objects.bulk_create(
        Activity(actor=actor, verb="reviewed", review=r, created_at=r.created_at) for r in reviews
    )
    return reviews


def test_newest_first_by_pages_of_twenty(fan, alice, film):
    _bulk(alice, 25)
    client = Client()
    client.force_login(fan)
    first = client.get(FEED).content.decode()
    assert first.count('class="activity-item"') == 20
    assert first.index("Bulk 24") < first.index("Bulk 23") < first.index("Bulk 5")
    assert "Bulk 4<" not in first
    older = first.split('href="?before=')[1].split('"')[0]
    second = client.get(f"{FEED}?before={older}").content.decode()
    assert second.count('class="activity-item"') == 5
    assert "Bulk 4" in second and "Bulk 0" in second and "Bulk 5<" not in second
    assert 'href="?before=' not in second and 'href="/activity/"' in second


def test_a_cursor_keeps_its_place_when_new_items_arrive(fan, alice, film):
    _bulk(alice, 25)
    client = Client()
    client.force_login(fan)
    older = client.get(FEED).content.decode().split('href="?before=')[1].split('"')[0]
    make_review(author=alice, film=make_film(), title="Brand new")
    second = client.get(f"{FEED}?before={older}").content.decode()
    assert second.count('class="activity-item"') == 5 and "Brand new" not in second


def test_pages_stay_full_and_in_order_past_many_posts_no_longer_shown(fan, alice, film):
    # More hidden in a row than a page reads beyond its worth: the page reads on.
    reviews = _bulk(alice, 40)
    hidden = [review.pk for review in reviews[-12:] + reviews[10:18]]
    Review.objects.filter(pk__in=hidden).update(hidden_at=timezone.now())
    shown = [f"Bulk {i}<" for i in [*range(27, 17, -1), *range(9, -1, -1)]]
    client = Client()
    client.force_login(fan)
    first = client.get(FEED).content.decode()
    assert first.count('class="activity-item"') == 20
    positions = [first.index(title) for title in shown]
    assert positions == sorted(positions)
    assert 'href="?before=' not in first
    # One more shown row: the next page holds the oldest alone.
    Review.objects.filter(pk=reviews[12].pk).update(hidden_at=None)
    first = client.get(FEED).content.decode()
    assert "Bulk 12<" in first and "Bulk 0<" not in first
    older = first.split('href="?before=')[1].split('"')[0]
    second = client.get(f"{FEED}?before={older}").content.decode()
    assert second.count('class="activity-item"') == 1 and "Bulk 0<" in second


@pytest.mark.parametrize("before", ["x", "12-", "-3", "9" * 30 + "-1", "1-2-3", "１２-3"])
def test_a_wrong_cursor_is_a_clear_400(fan, before):
    client = Client()
    client.force_login(fan)
    response = client.get(FEED, {"before": before})
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()


# Who may open it ------------------------------------------------------------------------


def test_permission_cells(fan, alice, film):
    make_review(author=alice, film=film, title="For followers")
    pest = make_user("pest")
    follows.follow(follower=pest, followed=alice)
    follows.block(blocker=alice, blocked=pest)
    anonymous = Client().get(FEED)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert "For followers" in feed_of(fan)  # a follower
    assert "For followers" not in feed_of(make_user("member"))  # a member who follows no one
    assert "For followers" not in feed_of(pest)  # blocked by the actor
    assert "For followers" not in feed_of(alice)  # the actor: their feed is the others'
    moderator = make_moderator()
    assert "For followers" not in feed_of(moderator)  # no more than members
    follows.follow(follower=moderator, followed=alice)
    assert "For followers" in feed_of(moderator)
    set_visibility(alice, activity="private")
    assert "For followers" not in feed_of(moderator)
    assert Client().post(FEED).status_code == 302
    member = Client()
    member.force_login(fan)
    assert member.post(FEED).status_code == 405


def test_the_empty_feed_suggests_members_to_follow(film):
    reader = make_user("reader")
    author = make_user("author", display_name="Prolific Writer")
    make_review(author=author, film=film)
    page = feed_of(reader)
    assert "You don't follow anyone yet" in page and "Prolific Writer" in page
    follows.follow(follower=reader, followed=author)
    page = feed_of(reader)
    assert "Nothing new from the members you follow" not in page  # the review is there
    Review.objects.all().delete()
    assert "Nothing new from the members you follow" in feed_of(reader)


def test_suggestions_leave_out_blocked_and_followed_members(film):
    reader = make_user("reader")
    followed, blocked, blocker = make_user("f1"), make_user("b1"), make_user("b2")
    for author in (followed, blocked, blocker):
        make_review(author=author, film=make_film())
    follows.follow(follower=reader, followed=followed)
    follows.block(blocker=reader, blocked=blocked)
    follows.block(blocker=blocker, blocked=reader)
    make_review(author=reader, film=film)
    assert activity.members_to_follow(reader) == []


# Fan-out and query counts -----------------------------------------------------------------


def test_a_review_by_a_member_with_ten_thousand_followers_writes_one_row(film):
    star = make_user("star")
    readers = User.objects.bulk_create(
        User(username=f"reader{i}", email=f"reader{i}@example.com") for i in range(10_000)
    )
    Follow.objects.bulk_create(Follow(follower=reader, followed=star) for reader in readers)
    before = Activity.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        make_review(author=star, film=film, title="For ten thousand")
    inserts = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert Activity.objects.count() - before == 1
    assert len(inserts) <= 3  # the review, its activity row, the film's statistics row
    assert "For ten thousand" in feed_of(readers[-1])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _feed_with(n):
    """A reader following three members whose `n` actions are reviews, viewings, new
    collections and likes in turn, each on its own target (bulk rows)."""
    reader, other = make_user(), make_user()
    actors = [make_user() for _ in range(3)]
    Follow.objects.bulk_create(Follow(follower=reader, followed=actor) for actor in actors)
    m = n // 4 + 1
    tag = reader.pk
    films = Film.objects.bulk_create(
        Film(slug=f"f{tag}-{i}", title=f"Film {tag}-{i}", year=1994) for i in range(m)
    )

    def reviews(author):
        return Review.objects.bulk_create(
            Review(author=author, film=f, rating=8, title=f"R{f.pk}", body_html="<p>b</p>")
            for f in films
        )

    def collections(owner):
        return QuoteCollection.objects.bulk_create(
            QuoteCollection(owner=owner, title=f"C{i}") for i in range(m)
        )

    written, liked_reviews = reviews(actors[0]), reviews(other)
    started, liked_collections = collections(actors[2]), collections(other)
    watched = DiaryEntry.objects.bulk_create(
        DiaryEntry(user=actors[1], film=f, watched_on=date(2024, 1, 1), rating=6, note="n")
        for f in films
    )
    start = timezone.now() - timedelta(days=60)
    rows = []
    for i in range(n):
        k, when = i // 4, start + timedelta(seconds=i)
        rows.append(
            [
                Activity(actor=actors[0], verb="reviewed", review=written[k]),
                Activity(actor=actors[1], verb="logged", diary_entry=watched[k]),
                Activity(actor=actors[2], verb="collected", collection=started[k]),
                Activity(actor=actors[0], verb="liked_review", review=liked_reviews[k])
                if k % 2
                else Activity(
                    actor=actors[1], verb="liked_collection", collection=liked_collections[k]
                ),
            ][i % 4]
        )
        rows[-1].created_at = when
    Activity.objects.bulk_create(rows, batch_size=2000)
    return reader


def test_the_feed_and_the_home_page_run_the_same_queries_at_10_and_10_000_items(
    film, settings, django_assert_max_num_queries
):
    settings.FEATURED_FILM_SLUG = film.slug
    small, large = _feed_with(10), _feed_with(10_000)
    if connection.vendor == "postgresql":
        # Fresh statistics for the bulk load, as autovacuum gives a live site within a
        # minute: a test suite's earlier empty tables would leave the planner guessing.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert Activity.objects.count() == 10_010
    counts = {}
    for name, reader in (("small", small), ("large", large)):
        client = Client()
        client.force_login(reader)
        client.get(FEED)  # the session and the cache versions, warmed
        cache.clear()
        counts[name] = {
            "feed": _count(client, FEED),
            "home": _count(client, "/"),
        }
    for page in ("feed", "home"):
        assert counts["small"][page][0] == counts["large"][page][0], page
    assert counts["large"]["feed"][1].count('class="activity-item"') == 20
    assert counts["small"]["feed"][1].count('class="activity-item"') == 10
    assert counts["large"]["home"][1].count('class="activity-item"') == 10
    client = Client()
    client.force_login(large)
    with django_assert_max_num_queries(9):
        client.get(FEED)
    older = counts["large"]["feed"][1].split('href="?before=')[1].split('"')[0]
    # An older page costs what the first one does, both read with the same warm cache.
    assert _count(client, f"{FEED}?before={older}")[0] == _count(client, FEED)[0]


# The home page ------------------------------------------------------------------------------


def test_the_signed_in_home_shows_the_feed(fan, alice, film, settings):
    settings.FEATURED_FILM_SLUG = film.slug
    make_review(author=alice, film=film, title="On the home page")
    page = feed_of(fan, "/")
    assert "From the members you follow" in page and "On the home page" in page
    assert 'href="/activity/"' in page
    empty = feed_of(make_user("newcomer"), "/")
    assert "You don't follow anyone yet" in empty and "Alice" in empty


def test_the_signed_out_home_is_unchanged_and_served_from_the_cache(
    fan, alice, film, settings, django_assert_num_queries
):
    settings.FEATURED_FILM_SLUG = film.slug
    make_review(author=alice, film=film, title="Not for visitors' feed")
    visitor = Client()
    first = visitor.get("/").content.decode()
    assert "From the members you follow" not in first and 'href="/activity/"' not in first
    with django_assert_num_queries(0):
        again = visitor.get("/")
    assert again.content.decode() == first


def test_the_nav_links_members_to_their_feed(fan, film, settings):
    settings.FEATURED_FILM_SLUG = film.slug
    assert 'href="/activity/"' in feed_of(fan, "/films/")
    assert 'href="/activity/"' not in Client().get("/films/").content.decode()


# The setting, and the member's data ---------------------------------------------------------


def test_the_visibility_form_sets_the_activitys_too(fan):
    client = Client()
    client.force_login(fan)
    page = client.get("/diary/visibility/").content.decode()
    assert 'name="activity_visibility"' in page
    response = client.post(
        "/diary/visibility/",
        {
            "diary_visibility": "public",
            "watchlist_visibility": "public",
            "activity_visibility": "private",
        },
    )
    assert response.status_code == 302
    assert selectors.film_life_settings(fan).activity_visibility == "private"
    # A form that does not name it keeps the choice.
    client.post("/diary/visibility/", {"diary_visibility": "followers",
                                       "watchlist_visibility": "public"})  # fmt: skip
    chosen = selectors.film_life_settings(fan)
    assert (chosen.diary_visibility, chosen.activity_visibility) == ("followers", "private")
    bad = client.post(
        "/diary/visibility/",
        {"diary_visibility": "public", "watchlist_visibility": "public",
         "activity_visibility": "everyone"},
    )  # fmt: skip
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_the_export_holds_the_activitys_visibility(fan):
    set_visibility(fan, activity="followers")
    exported = {}
    for part in parts():
        exported.update(part.export(fan))
    assert exported["film_life_visibility"]["activity"] == "followers"


def test_deleting_the_account_removes_its_activity(fan, alice, film):
    make_review(author=alice, film=film)
    make_collection(owner=alice)
    services.like(user=fan, item=make_review(film=make_film()))
    accounts.account_delete(user=alice)
    assert not Activity.objects.filter(actor=alice).exists()
    assert Activity.objects.filter(actor=fan).count() == 1


# The upgrade: what members did before the feed existed ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_fills_the_feed_with_what_members_did_before():
    from django.db.migrations.executor import MigrationExecutor

    before = [("reviews", "0009_letterboxd")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    user = apps.get_model("auth", "User")
    alice, bob = (user.objects.create(username=n, email=f"{n}@example.com") for n in "ab")
    film = apps.get_model("films", "Film").objects.create(slug="old", title="Old", year=1994)
    old_review = apps.get_model("reviews", "Review")
    kept = old_review.objects.create(author=alice, film=film, rating=8, title="Kept")
    old_review.objects.create(author=bob, film=film, rating=2, deleted_at=timezone.now())
    collections = apps.get_model("reviews", "QuoteCollection")
    lines = collections.objects.create(owner=alice, title="Lines")
    apps.get_model("reviews", "DiaryEntry").objects.create(
        user=alice, film=film, watched_on=date(2024, 1, 1)
    )
    apps.get_model("reviews", "ReviewLike").objects.create(user=bob, review=kept)
    apps.get_model("reviews", "CollectionLike").objects.create(user=bob, collection=lines)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    made = sorted(Activity.objects.values_list("actor__username", "verb"))
    assert made == [
        ("a", "collected"),
        ("a", "logged"),
        ("a", "reviewed"),
        ("b", "liked_collection"),
        ("b", "liked_review"),
    ]
    assert Activity.objects.get(verb="reviewed").created_at == kept.created_at
