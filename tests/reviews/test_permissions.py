"""Every write URL, walked as an anonymous visitor, as another member and as the owner.

Anonymous: sent to the login page. Another member: 404 (someone else's row does not
exist for them) and nothing changes. The owner: the write succeeds.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from films.models import Correction
from leonsite.accounts.models import Profile
from reviews.models import (
    CollectionItem,
    CollectionLike,
    Comment,
    QuoteCollection,
    Review,
    ReviewLike,
)
from tests.factories import PASSWORD, make_collection, make_comment, make_quote, make_review

pytestmark = pytest.mark.django_db


@dataclass
class World:
    review: Review
    comment: Comment
    collection: QuoteCollection
    items: list
    quote: object


@pytest.fixture
def world(alice):
    quotes = [make_quote() for _ in range(3)]
    review = make_review(author=alice, title="Alice's", body="Text")
    comment = make_comment(review=review, author=alice, body="Alice's comment")
    collection = make_collection(owner=alice, quotes=quotes[:2], visibility="private")
    items = list(CollectionItem.objects.filter(collection=collection).order_by("position"))
    return World(review, comment, collection, items, quotes[2])


@dataclass
class Case:
    name: str
    method: str
    url: Callable
    data: Callable = lambda w: {}
    owner_status: int = 302


REVIEW_EDIT = {"rating": "2", "title": "Changed", "body": "Changed"}
CORRECTION = {
    "field": "context",
    "proposed_value": "Said in the hallway.",
    "source_url": "https://example.com/leon",
}

CASES = [
    Case("review-edit-form", "get", lambda w: f"/reviews/{w.review.pk}/edit/", owner_status=200),
    Case("review-edit", "post", lambda w: f"/reviews/{w.review.pk}/edit/", lambda w: REVIEW_EDIT),
    Case(
        "review-delete-form", "get", lambda w: f"/reviews/{w.review.pk}/delete/", owner_status=200
    ),
    Case("review-delete", "post", lambda w: f"/reviews/{w.review.pk}/delete/"),
    Case(
        "comment-edit-form",
        "get",
        lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/edit/",
        owner_status=200,
    ),
    Case(
        "comment-edit",
        "post",
        lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/edit/",
        lambda w: {"body": "Changed"},
    ),
    Case(
        "comment-delete-form",
        "get",
        lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/delete/",
        owner_status=200,
    ),
    Case(
        "comment-delete",
        "post",
        lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/delete/",
    ),
    Case(
        "collection-edit-form",
        "get",
        lambda w: f"/collections/{w.collection.pk}/edit/",
        owner_status=200,
    ),
    Case(
        "collection-edit",
        "post",
        lambda w: f"/collections/{w.collection.pk}/edit/",
        lambda w: {"title": "Changed", "description": "", "visibility": "public"},
    ),
    Case(
        "collection-delete-form",
        "get",
        lambda w: f"/collections/{w.collection.pk}/delete/",
        owner_status=200,
    ),
    Case("collection-delete", "post", lambda w: f"/collections/{w.collection.pk}/delete/"),
    Case(
        "collection-reorder",
        "post",
        lambda w: f"/collections/{w.collection.pk}/reorder/",
        lambda w: {"item": w.items[1].pk, "direction": "up"},
    ),
    Case(
        "collection-remove",
        "post",
        lambda w: f"/collections/{w.collection.pk}/remove/",
        lambda w: {"item": w.items[0].pk},
    ),
    Case(
        "collection-note",
        "post",
        lambda w: f"/collections/{w.collection.pk}/note/",
        lambda w: {"item": w.items[0].pk, "note": "Changed"},
    ),
    Case(
        "collection-add",
        "post",
        lambda w: "/collections/add/",
        lambda w: {"quote": w.quote.pk, "collection": w.collection.pk},
    ),
    Case("collection-copy (private)", "post", lambda w: f"/collections/{w.collection.pk}/copy/"),
    Case(
        "collection-like (private)",
        "post",
        lambda w: f"/collections/{w.collection.pk}/like/",
        lambda w: {"action": "unlike"},
    ),
]

# Writes open to every member (not owner-only): anonymous visitors still go to login.
MEMBER_WRITES = [
    (
        "review-create",
        "post",
        lambda w: f"/films/{w.review.film.slug}/reviews/new/",
        lambda w: REVIEW_EDIT,
    ),
    (
        "review-like",
        "post",
        lambda w: f"/reviews/{w.review.pk}/like/",
        lambda w: {"action": "like"},
    ),
    (
        "comment-create",
        "post",
        lambda w: f"/reviews/{w.review.pk}/comments/",
        lambda w: {"body": "Hi"},
    ),
    (
        "collection-create",
        "post",
        lambda w: "/collections/new/",
        lambda w: {"title": "T", "visibility": "public"},
    ),
    ("collection-add-form", "get", lambda w: f"/collections/add/?quote={w.quote.pk}", lambda w: {}),
    (
        "settings",
        "post",
        lambda w: "/accounts/settings/",
        lambda w: {"display_name": "X", "bio": ""},
    ),
    ("export", "get", lambda w: "/accounts/export/", lambda w: {}),
    (
        "correction-create",
        "post",
        lambda w: f"/corrections/new/?kind=quote&id={w.quote.pk}",
        lambda w: CORRECTION,
    ),
    ("delete-account", "post", lambda w: "/accounts/delete/", lambda w: {"password": PASSWORD}),
]


def snapshot():
    """Everything a write could touch, as plain values."""
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (
            Review,
            Comment,
            QuoteCollection,
            CollectionItem,
            ReviewLike,
            CollectionLike,
            Profile,
            Correction,
        )
    }


def call(client, case, world):
    return getattr(client, case.method)(case.url(world), case.data(world))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_anonymous_visitor_is_sent_to_login(world, case):
    before = snapshot()
    response = call(Client(), case, world)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert snapshot() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_other_member_gets_a_404_and_changes_nothing(world, bob_client, case):
    before = snapshot()
    response = call(bob_client, case, world)
    expected = 400 if case.name == "collection-add" else 404  # not one of bob's collections
    assert response.status_code == expected
    assert snapshot() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_owner_succeeds(world, alice_client, case):
    before = snapshot()
    response = call(alice_client, case, world)
    assert response.status_code == case.owner_status
    changed = snapshot() != before
    expected_change = case.method == "post" and "like" not in case.name
    assert changed == expected_change, case.name


@pytest.mark.parametrize(
    "name,method,url,data", MEMBER_WRITES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_member_writes_need_a_login(world, name, method, url, data):
    before = snapshot()
    response = getattr(Client(), method)(url(world), data(world))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    assert snapshot() == before


def test_every_write_url_is_covered():
    """A new route under reviews/urls.py must join the tables above or the matrix."""
    from reviews.urls import urlpatterns

    read_only = {
        "profile",
        "film-reviews",
        "film-feed",
        "review-detail",
        "collection-list",
        "collection-detail",
        "quote-card",
        "review-card",
        "collection-card",
        "signup",
        "member-followers",  # read-only pages, walked in tests/reviews/test_follows.py
        "member-following",
    }
    covered = {c.name.split(" ")[0] for c in CASES} | {m[0] for m in MEMBER_WRITES}
    covered |= {"account-settings", "account-export", "account-delete"}
    aliases = {
        "settings": "account-settings",
        "export": "account-export",
        "delete-account": "account-delete",
    }
    covered = {aliases.get(n, n) for n in covered}
    # Reports and moderation are walked, role by role, in the full matrix.
    from tests.reviews.test_permission_matrix import CASES as MATRIX

    covered |= {case.name.split(" ")[0] for case in MATRIX}
    names = {p.name for p in urlpatterns} - read_only
    assert names <= covered, names - covered
