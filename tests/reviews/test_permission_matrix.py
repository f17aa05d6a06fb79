"""Every write URL × every kind of visitor, with the answer each one gets.

Roles: an anonymous visitor, a member (bob), the author of the content (alice), a
moderator, a curator and a superuser. Each cell says the status the request answers and
whether it may change anything; a cell that must not change anything is checked against
a snapshot of every table a write could touch.

Outcomes:
    ok      the write happens (200 or a redirect) and something changes
    page    a GET answers 200 and changes nothing
    same    a redirect (a message explains) and nothing changes
    login   sent to the login page, nothing changes
    admin   sent to the admin's login page, nothing changes
    403/404/400  that status, nothing changes
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from films.models import Correction, Film, Quote
from films.services import correction_create
from leonsite.accounts.models import Profile
from reviews import diary, notifications
from reviews.models import (
    Activity,
    Block,
    CollectionItem,
    CollectionLike,
    Comment,
    DiaryEntry,
    FilmLifeSettings,
    Follow,
    LetterboxdFilm,
    Notification,
    NotificationSettings,
    QuoteCollection,
    Review,
    ReviewLike,
    WatchlistItem,
)
from reviews.moderation.models import ModerationAction, RemovalReason, Report, WatchedWord
from tests.factories import (
    PASSWORD,
    make_collection,
    make_comment,
    make_curator,
    make_film,
    make_quote,
    make_report,
    make_review,
    make_user,
)
from tests.factories import make_moderator_role as make_moderator

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "author", "moderator", "curator", "superuser")


@dataclass
class World:
    review: Review
    comment: Comment
    collection: QuoteCollection
    items: list
    quote: object
    bare_film: Film
    target: object  # a plain member moderators may restrict
    entry: ModerationAction
    report: Report
    correction: Correction  # alice's suggestion, pending


@pytest.fixture
def world(db):
    alice = make_user("alice", display_name="Alice")
    make_user("bob")
    make_moderator(make_user("mona").username)
    make_curator(make_user("carla").username)
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    Profile.objects.create(user=root)
    target = make_user("dave")
    quotes = [make_quote() for _ in range(3)]
    review = make_review(author=alice, title="Alice's", body="Text")
    comment = make_comment(review=review, author=alice, body="Alice's comment")
    collection = make_collection(owner=alice, quotes=quotes[:2], visibility="private")
    items = list(CollectionItem.objects.filter(collection=collection).order_by("position"))
    report = make_report(comment, reporter=target, reason="off_topic")
    entry = ModerationAction.objects.get(kind="report")
    correction = correction_create(
        member=alice,
        kind="quote",
        obj=quotes[0],
        field="context",
        proposed="In the corridor.",
        source_url="https://example.com/leon",
    )
    diary.entry_create(user=alice, film=review.film, note="Alice's viewing.")
    # Alice has an unread notification and asked for the daily e-mail.
    notifications.notify(recipient=alice, actor=target, kind="mention", target=review)
    notifications.settings_update(user=alice, enabled=["likes"], digest=True, language="en")
    return World(
        review, comment, collection, items, quotes[2], make_film(), target, entry, report,
        correction,
    )  # fmt: skip


def client_for(role: str) -> Client:
    client = Client()
    username = {
        "user": "bob",
        "author": "alice",
        "moderator": "mona",
        "curator": "carla",
        "superuser": "root",
    }.get(role)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@dataclass
class Case:
    name: str  # the URL's name; a suffix after a space tells variants apart
    method: str
    url: Callable
    data: Callable = lambda w: {}
    expect: dict = field(default_factory=dict)

    def __str__(self):
        return self.name


def _letterboxd_upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    film = w.bare_film
    data = f"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,{film.title},{film.year},,4\n"
    return {"upload": SimpleUploadedFile("ratings.csv", data.encode())}


def owner_only(owner="ok", others="404"):
    """Alice's own things: everyone else, staff included, gets a 404 on the site."""
    return {"anonymous": "login", "author": owner} | {
        r: others for r in ("user", "moderator", "curator", "superuser")
    }


def any_member(outcome="ok", author=None):
    cells = {"anonymous": "login"} | {
        r: outcome for r in ("user", "author", "moderator", "curator", "superuser")
    }
    if author:
        cells["author"] = author
    return cells


def moderators_only(outcome="ok"):
    return {"anonymous": "login", "user": "403", "author": "403", "curator": "403"} | {
        "moderator": outcome,
        "superuser": outcome,
    }


def admin_cells(**allowed):
    """The admin: non-staff go to its login page, staff without the permission get 403."""
    cells = {"anonymous": "admin", "user": "admin", "author": "admin"}
    cells |= {"moderator": "403", "curator": "403", "superuser": "403"}
    return cells | allowed


REVIEW_EDIT = {"rating": "2", "title": "Changed", "body": "Changed"}
CORRECTION = {"field": "context", "proposed_value": "Said in the hallway.",
              "source_url": "https://example.com/leon"}  # fmt: skip
SOON = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

CASES = [
    # Alice's review, comment and private collection ------------------------------------
    Case("review-edit form", "get", lambda w: f"/reviews/{w.review.pk}/edit/",
         expect=owner_only("page")),
    Case("review-edit", "post", lambda w: f"/reviews/{w.review.pk}/edit/",
         lambda w: REVIEW_EDIT, owner_only()),
    Case("review-delete form", "get", lambda w: f"/reviews/{w.review.pk}/delete/",
         expect=owner_only("page")),
    Case("review-delete", "post", lambda w: f"/reviews/{w.review.pk}/delete/",
         expect=owner_only()),
    Case("comment-edit form", "get",
         lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/edit/",
         expect=owner_only("page")),
    Case("comment-edit", "post",
         lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/edit/",
         lambda w: {"body": "Changed"}, owner_only()),
    Case("comment-delete form", "get",
         lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/delete/",
         expect=owner_only("page")),
    Case("comment-delete", "post",
         lambda w: f"/reviews/{w.review.pk}/comments/{w.comment.pk}/delete/",
         expect=owner_only()),
    Case("collection-edit form", "get", lambda w: f"/collections/{w.collection.pk}/edit/",
         expect=owner_only("page")),
    Case("collection-edit", "post", lambda w: f"/collections/{w.collection.pk}/edit/",
         lambda w: {"title": "Changed", "description": "", "visibility": "public"},
         owner_only()),
    Case("collection-delete form", "get", lambda w: f"/collections/{w.collection.pk}/delete/",
         expect=owner_only("page")),
    Case("collection-delete", "post", lambda w: f"/collections/{w.collection.pk}/delete/",
         expect=owner_only()),
    Case("collection-reorder", "post", lambda w: f"/collections/{w.collection.pk}/reorder/",
         lambda w: {"item": w.items[1].pk, "direction": "up"}, owner_only()),
    Case("collection-remove", "post", lambda w: f"/collections/{w.collection.pk}/remove/",
         lambda w: {"item": w.items[0].pk}, owner_only()),
    Case("collection-note", "post", lambda w: f"/collections/{w.collection.pk}/note/",
         lambda w: {"item": w.items[0].pk, "note": "Changed"}, owner_only()),
    # Adding to a collection that is not yours is a form error, not a silent success.
    Case("collection-add private", "post", lambda w: "/collections/add/",
         lambda w: {"quote": w.quote.pk, "collection": w.collection.pk},
         owner_only(others="400")),
    Case("collection-copy private", "post", lambda w: f"/collections/{w.collection.pk}/copy/",
         expect=owner_only()),
    # The owner unliking a collection nobody liked changes nothing; others see a 404.
    Case("collection-like private", "post", lambda w: f"/collections/{w.collection.pk}/like/",
         lambda w: {"action": "unlike"}, owner_only("same")),
    # Writes open to every member ---------------------------------------------------------
    # Alice has reviewed this film already: she is sent to edit her review.
    Case("review-create", "post", lambda w: f"/films/{w.review.film.slug}/reviews/new/",
         lambda w: REVIEW_EDIT, any_member(author="same")),
    Case("review-create form", "get", lambda w: f"/films/{w.bare_film.slug}/reviews/new/",
         expect=any_member("page")),
    # Liking your own review is refused with a message.
    Case("review-like", "post", lambda w: f"/reviews/{w.review.pk}/like/",
         lambda w: {"action": "like"}, any_member(author="same")),
    Case("comment-create", "post", lambda w: f"/reviews/{w.review.pk}/comments/",
         lambda w: {"body": "Hi"}, any_member()),
    Case("collection-create", "post", lambda w: "/collections/new/",
         lambda w: {"title": "T", "visibility": "public"}, any_member()),
    Case("collection-create form", "get", lambda w: "/collections/new/",
         expect=any_member("page")),
    Case("collection-add form", "get", lambda w: f"/collections/add/?quote={w.quote.pk}",
         expect=any_member("page")),
    Case("collection-add new", "post", lambda w: "/collections/add/",
         lambda w: {"quote": w.quote.pk, "collection": "new", "new_title": "Mine"},
         any_member()),
    Case("account-settings", "post", lambda w: "/accounts/settings/",
         lambda w: {"display_name": "X", "bio": ""}, any_member()),
    Case("account-settings form", "get", lambda w: "/accounts/settings/",
         expect=any_member("page")),
    Case("account-export", "get", lambda w: "/accounts/export/", expect=any_member("page")),
    Case("account-delete form", "get", lambda w: "/accounts/delete/",
         expect=any_member("page")),
    Case("account-delete", "post", lambda w: "/accounts/delete/",
         lambda w: {"password": PASSWORD}, any_member()),
    # Suggesting a correction of the catalogue: any member.
    Case("correction-create", "post", lambda w: f"/corrections/new/?kind=quote&id={w.quote.pk}",
         lambda w: CORRECTION, any_member()),
    Case("correction-create form", "get",
         lambda w: f"/corrections/new/?kind=quote&id={w.quote.pk}", expect=any_member("page")),
    # Signing up is for visitors; a member who is already in is sent on.
    Case("signup", "post", lambda w: "/accounts/signup/",
         lambda w: {"username": "newbie", "email": "newbie@example.com",
                    "password1": PASSWORD, "password2": PASSWORD},
         {"anonymous": "ok"} | {r: "same" for r in ROLES[1:]}),
    # Reports: any member, about someone else's post --------------------------------------
    Case("report", "post", lambda w: f"/report/review/{w.review.pk}/",
         lambda w: {"reason": "spam", "details": "Selling things."},
         any_member(author="same")),
    Case("report form", "get", lambda w: f"/report/comment/{w.comment.pk}/",
         expect=any_member("page", author="same")),
    # Follows and blocks: any member, of someone else (yourself: refused with a message).
    Case("member-follow", "post", lambda w: "/u/alice/follow/", lambda w: {"action": "follow"},
         any_member(author="same")),
    Case("member-block", "post", lambda w: "/u/alice/block/", lambda w: {"action": "block"},
         any_member(author="same")),
    # Moderation: moderators (and superusers, who hold every permission) ------------------
    Case("moderation-queue", "get", lambda w: "/moderation/", expect=moderators_only("page")),
    Case("moderation-log", "get", lambda w: "/moderation/log/",
         expect=moderators_only("page")),
    Case("moderation-decide", "post", lambda w: f"/moderation/items/review/{w.review.pk}/",
         lambda w: {"action": "hide", "note": "Off-topic."}, moderators_only()),
    Case("moderation-member", "get", lambda w: f"/moderation/members/{w.target.username}/",
         expect=moderators_only("page")),
    Case("moderation-sanction", "post",
         lambda w: f"/moderation/members/{w.target.username}/restrict/",
         lambda w: {"action": "silence", "until": SOON, "note": "Cool down."},
         moderators_only()),
    # The admin: the catalogue is the curators', reasons and words the moderators' --------
    Case("admin film delete", "post", lambda w: f"/admin/films/film/{w.bare_film.pk}/delete/",
         lambda w: {"post": "yes"}, admin_cells(curator="ok", superuser="ok")),
    Case("admin removal reason add", "post", lambda w: "/admin/moderation/removalreason/add/",
         lambda w: {"title": "Ticket touting", "message": "Selling tickets.", "is_active": "on",
                    "position": "0"},
         admin_cells(moderator="ok", superuser="ok")),
    Case("admin watched word add", "post", lambda w: "/admin/moderation/watchedword/add/",
         lambda w: {"word": "casino", "action": "hold"},
         admin_cells(moderator="ok", superuser="ok")),
    # The log is append-only: nobody edits or deletes an entry, superusers included.
    Case("admin log change", "post",
         lambda w: f"/admin/moderation/moderationaction/{w.entry.pk}/change/",
         lambda w: {"reason": "Rewritten."}, admin_cells()),
    Case("admin log delete", "post",
         lambda w: f"/admin/moderation/moderationaction/{w.entry.pk}/delete/",
         lambda w: {"post": "yes"}, admin_cells()),
    Case("admin log add", "post", lambda w: "/admin/moderation/moderationaction/add/",
         lambda w: {"kind": "hide", "reason": "Forged."}, admin_cells()),
    # Fans' corrections: curators decide them; nobody adds or deletes one. Moderators may
    # read them (reported ones reach their queue) but not decide.
    Case("admin correction change", "post",
         lambda w: f"/admin/films/correction/{w.correction.pk}/change/",
         lambda w: {"decision": "reject", "reason": "No such line."},
         admin_cells(curator="ok", superuser="ok")),
    Case("admin correction view", "get",
         lambda w: f"/admin/films/correction/{w.correction.pk}/change/",
         expect=admin_cells(curator="page", superuser="page", moderator="page")),
    Case("admin correction list", "get", lambda w: "/admin/films/correction/",
         expect=admin_cells(curator="page", superuser="page", moderator="page")),
    Case("admin correction add", "post", lambda w: "/admin/films/correction/add/",
         lambda w: {"kind": "film", "object_id": w.bare_film.pk}, admin_cells()),
    Case("admin correction delete", "post",
         lambda w: f"/admin/films/correction/{w.correction.pk}/delete/",
         lambda w: {"post": "yes"}, admin_cells()),
    Case("admin report change", "post",
         lambda w: f"/admin/moderation/report/{w.report.pk}/change/",
         lambda w: {"status": "dismissed"}, admin_cells()),
    # A member's film life: the header's forms, Alice's diary entry, who sees them ---------
    Case("film-rate", "post", lambda w: f"/films/{w.bare_film.slug}/rate/",
         lambda w: {"rating": "6"}, any_member()),
    Case("film-watchlist", "post", lambda w: f"/films/{w.bare_film.slug}/watchlist/",
         lambda w: {"action": "add"}, any_member()),
    Case("diary-log", "post", lambda w: f"/films/{w.bare_film.slug}/log/",
         lambda w: {"watched_on": "2025-01-01"}, any_member()),
    Case("diary-log form", "get", lambda w: f"/films/{w.bare_film.slug}/log/",
         expect=any_member("page")),
    Case("diary-edit form", "get", lambda w: f"/diary/{_alices_entry()}/edit/",
         expect=owner_only("page")),
    Case("diary-edit", "post", lambda w: f"/diary/{_alices_entry()}/edit/",
         lambda w: {"watched_on": "2025-01-02", "note": "Changed"}, owner_only()),
    Case("diary-delete form", "get", lambda w: f"/diary/{_alices_entry()}/delete/",
         expect=owner_only("page")),
    Case("diary-delete", "post", lambda w: f"/diary/{_alices_entry()}/delete/",
         expect=owner_only()),
    Case("film-life-visibility form", "get", lambda w: "/diary/visibility/",
         expect=any_member("page")),
    Case("film-life-visibility", "post", lambda w: "/diary/visibility/",
         lambda w: {"diary_visibility": "private", "watchlist_visibility": "public"},
         any_member()),
    # Alice's diary and watchlist are public: a page for everyone (tests/reviews/
    # test_diary.py and test_watchlist.py hold the cells of the other visibilities).
    Case("member-diary", "get", lambda w: "/u/alice/diary/",
         expect={role: "page" for role in ROLES}),
    Case("member-watchlist", "get", lambda w: "/u/alice/watchlist/",
         expect={role: "page" for role in ROLES}),
    # The activity feed: each member's own (tests/reviews/test_activity.py holds who is
    # shown what in it).
    Case("activity", "get", lambda w: "/activity/", expect=any_member("page")),
    Case("activity post", "post", lambda w: "/activity/", expect=any_member("405")),
    # Letterboxd: the upload only previews (saves nothing); a confirm without a preview
    # in the session is refused (tests/reviews/test_letterboxd.py confirms real ones).
    Case("letterboxd-import form", "get", lambda w: "/diary/import/",
         expect=any_member("page")),
    Case("letterboxd-import", "post", lambda w: "/diary/import/", _letterboxd_upload,
         any_member("page")),
    Case("letterboxd-confirm", "post", lambda w: "/diary/import/confirm/",
         lambda w: {"token": "no-preview"}, any_member("400")),
    Case("letterboxd-done", "get", lambda w: "/diary/import/done/", expect=any_member("same")),
    Case("letterboxd-export", "get", lambda w: "/diary/export.zip", expect=any_member("page")),
    # Notifications: each member's own; the digest's link needs no login (its signature
    # names the member).
    Case("notification-list", "get", lambda w: "/notifications/", expect=any_member("page")),
    Case("notification-read", "post", lambda w: f"/notifications/{_alices_notification()}/read/",
         expect=owner_only()),
    Case("notification-read-all", "post", lambda w: "/notifications/read/",
         expect=any_member("same", author="ok")),
    Case("notification-settings form", "get", lambda w: "/notifications/settings/",
         expect=any_member("page")),
    Case("notification-settings", "post", lambda w: "/notifications/settings/",
         lambda w: {"enabled": ["comments"], "digest": "on"}, any_member()),
    Case("digest-unsubscribe form", "get", lambda w: _alices_unsubscribe(),
         expect={role: "page" for role in ROLES}),
    Case("digest-unsubscribe", "post", lambda w: _alices_unsubscribe(),
         expect={role: "ok" for role in ROLES}),
    Case("digest-unsubscribe tampered", "post", lambda w: _alices_unsubscribe()[:-3] + "xx/",
         expect={role: "400" for role in ROLES}),
]  # fmt: skip


def _alices_notification():
    return Notification.objects.get(recipient__username="alice").pk


def _alices_unsubscribe():
    alice = get_user_model().objects.get(username="alice")
    return f"/notifications/unsubscribe/{notifications.unsubscribe_token(alice)}/"


def _alices_entry():
    return DiaryEntry.objects.get(user__username="alice").pk


CELLS = [(case, role) for case in CASES for role in ROLES]


def snapshot():
    """Every row a write could touch, as plain values."""
    models = (
        Review,
        Comment,
        QuoteCollection,
        CollectionItem,
        ReviewLike,
        CollectionLike,
        Profile,
        Report,
        ModerationAction,
        RemovalReason,
        WatchedWord,
        Film,
        Correction,
        Quote,
        Follow,
        Block,
        DiaryEntry,
        WatchlistItem,
        FilmLifeSettings,
        Activity,
        LetterboxdFilm,
        Notification,
        NotificationSettings,
        get_user_model(),
    )
    state = {}
    for model in models:
        rows = model.objects.values()
        if model is get_user_model():
            rows = rows.values("pk", "username", "is_active", "is_staff", "email")
        state[model.__name__] = sorted(map(repr, rows))
    return state


@pytest.mark.parametrize("case,role", CELLS, ids=[f"{c}|{r}" for c, r in CELLS])
def test_permission_matrix(world, case, role):
    expected = case.expect[role]
    before = snapshot()
    response = getattr(client_for(role), case.method)(case.url(world), case.data(world))
    status = response.status_code
    changed = snapshot() != before
    if expected == "ok":
        assert status in (200, 302), status
        assert changed, "the write should have happened"
        if status == 302:
            assert "/login/" not in response.url
        return
    assert not changed, f"{role} changed something through {case.name}"
    if expected == "page":
        assert status == 200
    elif expected == "same":
        assert status == 302 and "/login/" not in response.url
    elif expected == "login":
        assert status == 302 and response.url.startswith("/accounts/login/?next=")
    elif expected == "admin":
        assert status == 302 and response.url.startswith("/admin/login/?next=")
    else:
        assert status == int(expected)


def test_every_cell_of_the_matrix_is_filled():
    for case in CASES:
        assert set(case.expect) == set(ROLES), case.name


def test_every_write_url_is_in_the_matrix():
    """A new route under reviews/urls.py must join the matrix (read-only pages aside)."""
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
        "member-followers",
        "member-following",
    }
    covered = {case.name.split(" ")[0] for case in CASES}
    names = {p.name for p in urlpatterns} - read_only
    assert names <= covered, names - covered


# The digest's one-click unsubscribe is posted by mail clients, which hold no CSRF token
# (RFC 8058): its signed URL is what authorises it, and a tampered one is a 400 (above).
CSRF_EXEMPT = {"digest-unsubscribe"}
POSTS_THAT_WRITE = [
    (case, next(role for role in ROLES if case.expect[role] == "ok"))
    for case in CASES
    if case.method == "post" and "ok" in case.expect.values() and case.name not in CSRF_EXEMPT
]


@pytest.mark.parametrize(
    "case,role", POSTS_THAT_WRITE, ids=[f"{c}|{r}" for c, r in POSTS_THAT_WRITE]
)
def test_every_write_refuses_a_post_without_a_csrf_token(world, case, role):
    """The role that may write, but through a client that enforces CSRF and sends none."""
    client = Client(enforce_csrf_checks=True)
    signed_in = client_for(role)
    client.cookies = signed_in.cookies
    before = snapshot()
    response = client.post(case.url(world), case.data(world))
    assert response.status_code == 403
    assert snapshot() == before
