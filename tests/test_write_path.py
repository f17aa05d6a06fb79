"""Every write service moves the community's cache version, and a signed-out visitor's
next request shows the change on the home page, the film page and the affected list,
even though those pages were just served from the cache."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from films.models import Quote
from leonsite.accounts import services as accounts
from leonsite.lib import caching
from reviews import services
from reviews.models import CollectionItem, Comment, FilmRatingStats, QuoteCollection, Review
from reviews.moderation import services as moderation
from tests.factories import (
    make_collection,
    make_comment,
    make_established_user,
    make_moderator,
    make_review,
    make_rich_film,
    make_user,
)

pytestmark = pytest.mark.django_db

HOME, FILM, REVIEWS, COLLECTIONS, NEWEST, REVIEW, COLLECTION = (
    "home", "film", "reviews", "collections", "newest", "review", "collection",
)  # fmt: skip
ONE_LIKE, NO_LIKES = "♥</span> 1 like</span>", "♥</span> 0 likes</span>"


@pytest.fixture
def world(settings):
    film = make_rich_film()
    settings.FEATURED_FILM_SLUG = film.slug
    alice = make_user("alice", display_name="Alice Author")
    bob = make_established_user("bob", display_name="Bob Reader")
    review = make_review(author=alice, film=film, rating=8, title="Alice's first take")
    quotes = list(Quote.objects.filter(film=film).order_by("pk"))
    collection = make_collection(owner=alice, quotes=quotes[:2], title="Alice's lines")
    world = {
        "film": film,
        "alice": alice,
        "bob": bob,
        "moderator": make_moderator("mona"),
        "review": review,
        "collection": collection,
        "quotes": quotes,
    }
    world["urls"] = {
        HOME: "/",
        FILM: film.get_absolute_url(),
        REVIEWS: f"/films/{film.slug}/reviews/",
        COLLECTIONS: "/collections/",
        NEWEST: "/collections/?tab=newest",
        REVIEW: review.get_absolute_url(),
        COLLECTION: collection.get_absolute_url(),
    }
    return world


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


@dataclass
class Case:
    name: str
    act: Callable[[dict], object]
    shows: dict[str, str] = field(default_factory=dict)  # page: text now on it
    hides: dict[str, str] = field(default_factory=dict)  # page: text now gone from it
    before: Callable[[dict], object] | None = None  # arranged before the pages are cached


def _items(w):
    return list(CollectionItem.objects.filter(collection=w["collection"]).order_by("position"))


EVERYWHERE = (HOME, FILM, REVIEWS)
CASES = [
    # The community's services -------------------------------------------------------
    Case(
        "review_create",
        lambda w: services.review_create(
            author=w["bob"], film=w["film"], rating=4, title="Bob's verdict"
        ),
        shows=dict.fromkeys(EVERYWHERE, "Bob's verdict"),
    ),
    Case(
        "review_update",
        lambda w: services.review_update(
            review=w["review"], rating=3, title="Second thoughts", body="", is_spoiler=False
        ),
        shows=dict.fromkeys(EVERYWHERE, "Second thoughts"),
        hides=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "review_delete",
        lambda w: services.review_delete(review=w["review"]),
        hides=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "like a review",
        lambda w: services.like(user=w["bob"], item=w["review"]),
        shows=dict.fromkeys(EVERYWHERE, ONE_LIKE),
    ),
    Case(
        "unlike a review",
        lambda w: services.unlike(user=w["bob"], item=w["review"]),
        before=lambda w: services.like(user=w["bob"], item=w["review"]),
        shows=dict.fromkeys(EVERYWHERE, NO_LIKES),
    ),
    Case(
        "comment_create",
        lambda w: services.comment_create(author=w["bob"], review=w["review"], body="Agreed."),
        shows={**dict.fromkeys(EVERYWHERE, ">1 comment<span"), REVIEW: "Agreed."},
    ),
    Case(
        "comment_update",
        lambda w: services.comment_update(
            comment=Comment.objects.get(review=w["review"]), body="Changed my mind."
        ),
        before=lambda w: make_comment(review=w["review"], author=w["bob"], body="Agreed."),
        shows={REVIEW: "Changed my mind."},
    ),
    Case(
        "comment_delete",
        lambda w: services.comment_delete(comment=Comment.objects.get(review=w["review"])),
        before=lambda w: make_comment(review=w["review"], author=w["bob"], body="Agreed."),
        shows=dict.fromkeys(EVERYWHERE, ">0 comments<span"),
    ),
    Case(
        "collection_create",
        lambda w: services.collection_create(owner=w["bob"], title="Bob's new list"),
        shows={NEWEST: "Bob's new list"},
    ),
    Case(
        "collection_update",
        lambda w: services.collection_update(
            collection=w["collection"], title="Renamed lines", description="", visibility="public"
        ),
        shows=dict.fromkeys((HOME, COLLECTIONS, COLLECTION), "Renamed lines"),
    ),
    Case(
        "collection_delete",
        lambda w: services.collection_delete(collection=w["collection"]),
        hides=dict.fromkeys((HOME, COLLECTIONS), "Alice's lines"),
    ),
    Case(
        "collection_add_quote",
        lambda w: services.collection_add_quote(collection=w["collection"], quote=w["quotes"][5]),
        shows=dict.fromkeys((HOME, COLLECTIONS), ">3 quotes<"),
    ),
    Case(
        "collection_remove_item",
        lambda w: services.collection_remove_item(
            collection=w["collection"], item_id=_items(w)[0].pk
        ),
        shows=dict.fromkeys((HOME, COLLECTIONS), ">1 quote<"),
    ),
    Case(
        "collection_move_item",
        lambda w: services.collection_move_item(
            collection=w["collection"], item_id=_items(w)[1].pk, direction="up"
        ),
        # The new order: test_moving_an_item_shows_the_new_order_at_once.
    ),
    Case(
        "collection_item_note",
        lambda w: services.collection_item_note(
            collection=w["collection"], item_id=_items(w)[0].pk, note="My favourite."
        ),
        shows={COLLECTION: "My favourite."},
    ),
    Case(
        "collection_copy",
        lambda w: services.collection_copy(source=w["collection"], owner=w["bob"]),
    ),
    Case(
        "like a collection",
        lambda w: services.like(user=w["bob"], item=w["collection"]),
        shows=dict.fromkeys((HOME, COLLECTIONS), ONE_LIKE),
    ),
    Case(
        "unlike a collection",
        lambda w: services.unlike(user=w["bob"], item=w["collection"]),
        before=lambda w: services.like(user=w["bob"], item=w["collection"]),
        shows=dict.fromkeys((HOME, COLLECTIONS), NO_LIKES),
    ),
    Case(
        "stats_recompute",
        lambda w: services.stats_recompute(film=w["film"]),
        # A drifted count (written around the services) is put right.
        before=lambda w: FilmRatingStats.objects.filter(film=w["film"]).update(count=4),
        shows={FILM: "1 rating so far"},
        hides={FILM: "4 ratings so far"},
    ),
    # Accounts -----------------------------------------------------------------------
    Case(
        "user_create",
        lambda w: accounts.user_create(username="cleo", email="c@x.org", password="pw-cleo-12345"),
    ),  # fmt: skip
    Case(
        "profile_update",
        lambda w: accounts.profile_update(user=w["alice"], display_name="Alice Renamed", bio=""),
        shows=dict.fromkeys(EVERYWHERE, "Alice Renamed"),
    ),
    Case(
        "restriction_set",
        lambda w: accounts.restriction_set(
            user=w["bob"],
            restriction="silence",
            until=timezone.now() + timedelta(days=1),
            reason="Calm down.",
        ),
    ),
    Case(
        "account_delete",
        lambda w: accounts.account_delete(user=w["alice"]),
        shows=dict.fromkeys(EVERYWHERE, "a deleted user"),
        hides=dict.fromkeys(EVERYWHERE, "Alice Author"),
    ),
    # Moderation ---------------------------------------------------------------------
    Case(
        "report_create (the third hides)",
        lambda w: moderation.report_create(reporter=w["bob"], item=w["review"], reason="spam"),
        before=lambda w: [
            moderation.report_create(
                reporter=make_established_user(), item=w["review"], reason="spam"
            )
            for _ in range(2)
        ],
        hides=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "decide: hide",
        lambda w: moderation.decide(
            moderator=w["moderator"], item=w["review"], action="hide", reason="Rude."
        ),
        hides=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "decide: restore",
        lambda w: moderation.decide(
            moderator=w["moderator"], item=w["review"], action="restore", reason="Fine."
        ),
        before=lambda w: moderation.decide(
            moderator=w["moderator"], item=w["review"], action="hide", reason="Rude."
        ),
        shows=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "decide: mark as spoiler",
        lambda w: moderation.decide(
            moderator=w["moderator"], item=w["review"], action="spoiler", reason="Ending."
        ),
        shows=dict.fromkeys(EVERYWHERE, ">Spoilers</span>"),
    ),
    Case(
        "decide: dismiss (restores an automatic hide)",
        lambda w: moderation.decide(
            moderator=w["moderator"], item=w["review"], action="dismiss", reason="Fine."
        ),
        before=lambda w: [
            moderation.report_create(
                reporter=make_established_user(), item=w["review"], reason="spam"
            )
            for _ in range(3)
        ],
        shows=dict.fromkeys(EVERYWHERE, "Alice's first take"),
    ),
    Case(
        "sanction",
        lambda w: moderation.sanction(
            moderator=w["moderator"],
            member=w["bob"],
            action="suspend",
            until=timezone.now() + timedelta(days=1),
            reason="Spam.",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_write_moves_the_version_and_shows_at_once(
    case, world, django_capture_on_commit_callbacks
):
    if case.before:
        case.before(world)
    visitor = Client()
    pages = {**case.shows, **case.hides}
    urls = {name: world["urls"][name] for name in pages}
    for url in urls.values():  # cached now: the second read comes from the cache
        read(visitor, url)
        read(visitor, url)

    before = caching.version("community")
    with django_capture_on_commit_callbacks(execute=True):
        case.act(world)
    assert caching.version("community") != before

    for name, text in case.shows.items():
        assert text in read(visitor, urls[name]), (name, text)
    for name, text in case.hides.items():
        assert text not in read(visitor, urls[name]), (name, text)


def test_moving_an_item_shows_the_new_order_at_once(world):
    collection = world["collection"]
    first, second = _items(world)
    url = collection.get_absolute_url()
    visitor = Client()
    read(visitor, url)
    services.collection_move_item(collection=collection, item_id=second.pk, direction="up")
    page = read(visitor, url)
    texts = [quote.lines.first().text for quote in (first.quote, second.quote)]
    assert page.index(texts[1]) < page.index(texts[0])


def test_a_queryset_write_outside_the_services_still_moves_the_version(world):
    """The blind spot the services once had: update() and delete() send no signals."""
    for write in (
        lambda: QuoteCollection.objects.filter(pk=world["collection"].pk).update(title="X"),
        lambda: Review.objects.filter(pk=world["review"].pk).update(like_count=7),
        lambda: CollectionItem.objects.filter(collection=world["collection"]).delete(),
        lambda: Review.objects.bulk_create(
            [Review(author=world["bob"], film=world["film"], rating=5)]
        ),
    ):
        before = caching.version("community")
        write()
        assert caching.version("community") != before


def test_a_write_that_changes_nothing_moves_nothing(world):
    before = caching.version("community")
    Review.objects.filter(pk=-1).update(like_count=7)
    assert caching.version("community") == before
