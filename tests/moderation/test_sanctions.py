"""Silences (can read, cannot post) and suspensions (cannot log in), lifting by themselves."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from films.models import Correction
from leonsite.accounts.models import Profile
from reviews import diary
from reviews.models import (
    CollectionItem,
    CollectionLike,
    Comment,
    Follow,
    QuoteCollection,
    Review,
    ReviewLike,
)
from reviews.moderation.models import ModerationAction, Report
from tests.factories import (
    PASSWORD,
    make_collection,
    make_comment,
    make_film,
    make_quote,
    make_review,
    make_user,
)

pytestmark = pytest.mark.django_db


def restrict_url(user):
    return f"/moderation/members/{user.username}/restrict/"


def in_days(days):
    return timezone.now() + timedelta(days=days)


def form_date(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def silence(member, days=3, reason="Cool off for a few days."):
    Profile.objects.filter(user=member).update(silenced_until=in_days(days), silence_reason=reason)


def suspend(member, days=3, reason="Repeated harassment."):
    Profile.objects.filter(user=member).update(
        suspended_until=in_days(days), suspension_reason=reason
    )


# Deciding -------------------------------------------------------------------------------


def test_a_moderator_silences_a_member_until_a_date(moderator, moderator_client, bob):
    until = in_days(3).replace(second=0, microsecond=0)
    response = moderator_client.post(
        restrict_url(bob), {"action": "silence", "until": form_date(until), "note": "Calm down."}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=bob)
    assert profile.silenced_until == until and profile.silence_reason == "Calm down."
    assert profile.is_silenced and not profile.is_suspended
    entry = ModerationAction.objects.get()
    assert (entry.kind, entry.actor, entry.subject, entry.until) == (
        "silence",
        moderator,
        bob,
        until,
    )


def test_the_members_record_page_offers_the_restrictions(moderator_client, bob):
    page = moderator_client.get(f"/moderation/members/{bob.username}/").content.decode()
    assert 'value="silence"' in page and 'value="suspend"' in page
    assert 'value="unsilence"' not in page
    silence(bob)
    page = moderator_client.get(f"/moderation/members/{bob.username}/").content.decode()
    assert 'value="unsilence"' in page and "Cool off for a few days." in page


def test_a_moderator_lifts_a_silence_early(moderator, moderator_client, bob):
    silence(bob)
    moderator_client.post(restrict_url(bob), {"action": "unsilence", "note": "Apologised."})
    assert not Profile.objects.get(user=bob).is_silenced
    assert ModerationAction.objects.get().kind == "unsilence"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"action": "silence", "note": "x"}, "Pick the date and time it ends."),
        ({"action": "silence", "until": "2001-01-01T00:00", "note": "x"}, "in the future"),
        ({"action": "suspend", "until": "9999-12-31T23:59", "note": "x"}, "within ten years"),
        ({"action": "silence", "until": "not a date", "note": "x"}, "Enter a valid date"),
        ({"action": "silence", "until": form_date(in_days(2))}, "Pick a reason or write one."),
        ({"action": "ban", "until": form_date(in_days(2)), "note": "x"}, "Select a valid choice"),
        ({"action": "unsuspend", "note": "x"}, "is not suspended"),
    ],
    ids=["no-date", "past", "too-far", "garbage-date", "no-reason", "unknown", "not-suspended"],
)
def test_bad_restrictions_are_explained_and_change_nothing(moderator_client, bob, data, message):
    response = moderator_client.post(restrict_url(bob), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.get(user=bob)
    assert profile.silenced_until is None and profile.suspended_until is None
    assert not ModerationAction.objects.exists()


def test_staff_and_oneself_are_not_restricted_here(moderator, moderator_client):
    from tests.factories import make_moderator_role as make_moderator

    other_moderator = make_moderator(make_user().username)
    for target in (other_moderator, moderator):
        response = moderator_client.post(
            restrict_url(target),
            {"action": "suspend", "until": form_date(in_days(1)), "note": "x"},
            follow=True,
        )
        assert response.status_code == 200
    assert not Profile.objects.filter(suspended_until__isnull=False).exists()
    assert not ModerationAction.objects.exists()


def test_restricting_needs_the_sanction_permission(bob):
    from django.contrib.auth.models import Permission

    limited = make_user()
    limited.user_permissions.add(Permission.objects.get(codename="moderate"))
    client = Client()
    client.force_login(limited)
    response = client.post(
        restrict_url(bob), {"action": "silence", "until": form_date(in_days(1)), "note": "x"}
    )
    assert response.status_code == 403
    assert not Profile.objects.get(user=bob).is_silenced


def test_unknown_members_are_a_404(moderator_client):
    assert moderator_client.get("/moderation/members/nobody/").status_code == 404
    response = moderator_client.post(
        "/moderation/members/nobody/restrict/", {"action": "silence", "note": "x"}
    )
    assert response.status_code == 404


def test_a_restriction_without_a_csrf_token_is_refused(moderator, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(
        restrict_url(bob), {"action": "suspend", "until": form_date(in_days(1)), "note": "x"}
    )
    assert response.status_code == 403
    assert not Profile.objects.get(user=bob).is_suspended


# A silenced member reads but cannot post --------------------------------------------------


@pytest.fixture
def silenced(bob, alice):
    """Bob, silenced, with something of his own to edit, and Alice's posts around."""
    film = make_film()
    quotes = [make_quote(film) for _ in range(3)]
    own_review = make_review(author=bob, film=film, body="Bob's review.")
    own_comment = make_comment(review=own_review, author=bob, body="Bob's comment.")
    own_collection = make_collection(owner=bob, quotes=quotes[:2])
    alice_review = make_review(author=alice)
    alice_collection = make_collection(owner=alice)
    own_entry = diary.entry_create(user=bob, film=film, note="Bob's viewing.")
    silence(bob)
    items = list(own_collection.items.order_by("position"))
    return {
        "film": make_film(),
        "quote": quotes[2],
        "review": own_review,
        "comment": own_comment,
        "collection": own_collection,
        "items": items,
        "alice_review": alice_review,
        "alice_collection": alice_collection,
        "entry": own_entry,
    }


def posting_forms(w):
    """Every form a member posts through: (name, url, data)."""
    return [
        (
            "reviews:review-create",
            f"/films/{w['film'].slug}/reviews/new/",
            {"rating": "6", "body": "x"},
        ),
        (
            "reviews:review-edit",
            f"/reviews/{w['review'].pk}/edit/",
            {"rating": "2", "body": "New."},
        ),
        ("reviews:review-like", f"/reviews/{w['alice_review'].pk}/like/", {"action": "like"}),
        ("reviews:comment-create", f"/reviews/{w['alice_review'].pk}/comments/", {"body": "Hi"}),
        (
            "reviews:comment-edit",
            f"/reviews/{w['review'].pk}/comments/{w['comment'].pk}/edit/",
            {"body": "Changed."},
        ),
        ("reviews:collection-create", "/collections/new/", {"title": "T", "visibility": "public"}),
        (
            "reviews:collection-edit",
            f"/collections/{w['collection'].pk}/edit/",
            {"title": "Changed", "visibility": "public"},
        ),
        (
            "reviews:collection-add",
            "/collections/add/",
            {"quote": w["quote"].pk, "collection": "new", "new_title": "New"},
        ),
        (
            "reviews:collection-note",
            f"/collections/{w['collection'].pk}/note/",
            {"item": w["items"][0].pk, "note": "Changed"},
        ),
        (
            "reviews:collection-reorder",
            f"/collections/{w['collection'].pk}/reorder/",
            {"item": w["items"][1].pk, "direction": "up"},
        ),
        ("reviews:collection-copy", f"/collections/{w['alice_collection'].pk}/copy/", {}),
        (
            "reviews:collection-like",
            f"/collections/{w['alice_collection'].pk}/like/",
            {"action": "like"},
        ),
        ("reviews:film-rate", f"/films/{w['film'].slug}/rate/", {"rating": "6"}),
        ("reviews:diary-log", f"/films/{w['film'].slug}/log/", {"watched_on": "2025-01-01"}),
        (
            "reviews:diary-edit",
            f"/diary/{w['entry'].pk}/edit/",
            {"watched_on": "2025-01-02", "note": "Changed."},
        ),
        ("moderation:report", f"/report/review/{w['alice_review'].pk}/", {"reason": "spam"}),
        ("accounts:settings", "/accounts/settings/", {"display_name": "New name", "bio": "x"}),
        (
            "reviews:correction-create",
            f"/corrections/new/?kind=quote&id={w['quote'].pk}",
            {
                "field": "context",
                "proposed_value": "Said in the hallway.",
                "source_url": "https://example.com/leon",
            },
        ),
        (
            "reviews:member-follow",
            f"/u/{w['alice_review'].author.username}/follow/",
            {"action": "follow"},
        ),
    ]


def state():
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (
            Review,
            Comment,
            QuoteCollection,
            CollectionItem,
            ReviewLike,
            CollectionLike,
            Report,
            Profile,
            Correction,
            Follow,
        )
    }


def test_a_silenced_member_is_refused_by_every_posting_form(bob_client, silenced):
    before = state()
    for name, url, data in posting_forms(silenced):
        response = bob_client.post(url, data)
        assert response.status_code == 403, name
        page = response.content.decode()
        assert "You can't post right now" in page, name
        assert "Cool off for a few days." in page, name
        assert "UTC" in page, name
    assert state() == before


def test_the_posting_forms_work_again_once_the_silence_is_over(bob, bob_client, silenced):
    Profile.objects.filter(user=bob).update(silenced_until=timezone.now() - timedelta(minutes=1))
    for name, url, data in posting_forms(silenced):
        response = bob_client.post(url, data)
        assert response.status_code == 302, name


def test_every_posting_view_is_guarded(silenced):
    """A new view that writes must be listed above or be deliberately open to the silenced."""
    from django.urls import get_resolver

    guarded = {name for name, _, _ in posting_forms(silenced)}
    open_to_silenced = {
        # Taking things down is always allowed; so are reading and leaving.
        "reviews:review-delete",
        "reviews:comment-delete",
        "reviews:collection-delete",
        "reviews:collection-remove",
        # Blocking someone keeps them away (never refused); unfollowing is a taking down.
        "reviews:member-block",
        "accounts:export",
        "accounts:delete",
        "accounts:signup",
        "accounts:signup-sent",
        "accounts:confirm",
        # Moderation has its own rules (moderators are never silenced).
        "moderation:queue",
        "moderation:log",
        "moderation:decide",
        "moderation:member",
        "moderation:sanction",
        # Read-only pages.
        "accounts:profile",
        "reviews:film-reviews",
        "reviews:film-feed",
        "reviews:review-detail",
        "reviews:collection-list",
        "reviews:collection-detail",
        "reviews:quote-card",
        "reviews:review-card",
        "reviews:collection-card",
        "reviews:member-followers",
        "reviews:member-following",
        # A member's own lists and choices, which publish no text: the watchlist, deleting
        # a diary entry, who sees them; and the diary and watchlist pages.
        "reviews:film-watchlist",
        "reviews:diary-delete",
        "reviews:film-life-visibility",
        "reviews:member-diary",
        "reviews:member-watchlist",
        # The member's own data, to read or take away.
        "reviews:letterboxd-done",
        "reviews:letterboxd-export",
        # Reading the activity of those one follows publishes nothing.
        "reviews:activity",
        # Reading one's notifications and choosing them publish nothing; the digest's
        # unsubscribe link only ever turns e-mail off.
        "reviews:notification-list",
        "reviews:notification-read",
        "reviews:notification-read-all",
        "reviews:notification-settings",
        "reviews:digest-unsubscribe",
    }
    # A preview answers 200 and a confirm needs one first: tests/reviews/
    # test_letterboxd.py checks that a silenced member gets the 403 from both.
    guarded |= {"reviews:letterboxd-import", "reviews:letterboxd-confirm"}
    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace in ("accounts", "reviews", "moderation")
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert names - open_to_silenced == guarded


def test_a_silenced_member_still_reads_and_sees_why_in_settings(bob_client, silenced):
    assert bob_client.get(silenced["alice_review"].get_absolute_url()).status_code == 200
    page = bob_client.get("/accounts/settings/").content.decode()
    assert "A moderator has silenced your account until" in page
    assert "Cool off for a few days." in page


def test_a_silence_in_the_past_has_lifted_by_itself(bob):
    Profile.objects.filter(user=bob).update(
        silenced_until=timezone.now() - timedelta(seconds=1), silence_reason="Old."
    )
    profile = Profile.objects.get(user=bob)
    assert not profile.is_silenced
    assert not profile.is_restricted


# A suspended member cannot log in ---------------------------------------------------------


def test_a_suspended_member_cannot_log_in_and_is_told_why_and_until_when(bob):
    suspend(bob)
    until = Profile.objects.get(user=bob).suspended_until
    response = Client().post("/accounts/login/", {"username": bob.username, "password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Your account is suspended until {until:%-d %B %Y, %H:%M} UTC" in page
    assert "Repeated harassment." in page
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_wrong_password_does_not_reveal_a_suspension(bob):
    suspend(bob)
    response = Client().post("/accounts/login/", {"username": bob.username, "password": "wrong"})
    assert "suspended" not in response.content.decode()


def test_a_member_suspended_while_logged_in_is_logged_out_on_the_next_request(bob, bob_client):
    suspend(bob)
    response = bob_client.get("/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/"
    assert "Your account is suspended until" in response.content.decode()
    assert "_auth_user_id" not in bob_client.session


def test_a_suspension_in_the_past_has_lifted_by_itself(bob):
    Profile.objects.filter(user=bob).update(
        suspended_until=timezone.now() - timedelta(seconds=1), suspension_reason="Old."
    )
    client = Client()
    response = client.post("/accounts/login/", {"username": bob.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200


def test_suspension_reasons_are_escaped_where_the_member_reads_them(bob):
    suspend(bob, reason='<script>alert(1)</script><img src=x onerror="alert(1)">')
    page = (
        Client()
        .post("/accounts/login/", {"username": bob.username, "password": PASSWORD})
        .content.decode()
    )
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_silence_reasons_are_escaped_where_the_member_reads_them(bob, bob_client):
    silence(bob, reason='<script>alert(1)</script><a href="javascript:alert(1)">x</a>')
    for response in (bob_client.get("/accounts/settings/"), bob_client.post("/collections/new/")):
        page = response.content.decode()
        assert "<script>alert(1)" not in page and 'href="javascript:' not in page
