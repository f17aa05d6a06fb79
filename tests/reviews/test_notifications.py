"""Notifications: who is told what, grouping, reading, settings, the digest, the data."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from leonsite.accounts import services as accounts
from reviews import follows, notifications, services
from reviews.models import DigestSent, Notification, NotificationSettings
from reviews.moderation import services as moderation
from reviews.notification_kinds import Kind, Switch
from tests.factories import (
    make_collection,
    make_comment,
    make_film,
    make_moderator,
    make_review,
    make_user,
)

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def only(recipient):
    rows = list(Notification.objects.filter(recipient=recipient))
    assert len(rows) == 1, rows
    return rows[0]


def text_of(notification):
    return notifications.entries([notification])[0].text


# Each event: one notification for the owner ------------------------------------------


def test_a_like_of_a_review_notifies_its_author_once(alice, bob):
    review = make_review(author=alice, film=make_film(title="Léon"))
    services.like(user=bob, item=review)
    services.like(user=bob, item=review)  # a second submission adds nothing
    found = only(alice)
    assert (found.kind, found.actor, found.count, found.review) == (
        Kind.LIKE_REVIEW,
        bob,
        1,
        review,
    )
    assert text_of(found) == "Bob liked your review of Léon"
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_like_of_a_collection_notifies_its_owner(alice, bob):
    collection = make_collection(owner=alice, title="Best lines")
    services.like(user=bob, item=collection)
    found = only(alice)
    assert (found.kind, found.collection) == (Kind.LIKE_COLLECTION, collection)
    assert text_of(found) == "Bob liked your collection “Best lines”"


def test_a_comment_notifies_the_reviews_author_and_links_to_the_comment(alice, bob):
    review = make_review(author=alice)
    comment = make_comment(review=review, author=bob)
    found = only(alice)
    assert (found.kind, found.comment) == (Kind.COMMENT, comment)
    assert notifications.entries([found])[0].url == comment.get_absolute_url()


def test_a_follow_notifies_the_member_followed(alice, bob):
    follows.follow(follower=bob, followed=alice)
    found = only(alice)
    assert (found.kind, found.actor) == (Kind.FOLLOW, bob)
    assert text_of(found) == "Bob followed you"
    assert notifications.entries([found])[0].url == "/u/bob/"


def test_a_copy_of_a_collection_notifies_its_owner(alice, bob):
    collection = make_collection(owner=alice, title="Plant lines")
    services.collection_copy(source=collection, owner=bob)
    found = only(alice)
    assert (found.kind, found.collection) == (Kind.COPY, collection)
    assert text_of(found) == "Bob copied your collection “Plant lines”"


def test_a_members_own_actions_notify_no_one(alice):
    review = make_review(author=alice)
    make_comment(review=review, author=alice)
    services.collection_copy(source=make_collection(owner=alice), owner=alice)
    assert not notifications.notify(recipient=alice, actor=alice, kind=Kind.MENTION)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("blocker", ["owner", "actor"])
def test_nothing_is_sent_across_a_block_either_way(alice, bob, blocker):
    if blocker == "owner":
        follows.block(blocker=alice, blocked=bob)
    else:
        follows.block(blocker=bob, blocked=alice)
    review = make_review(author=alice)
    for kind in (Kind.REPLY, Kind.MENTION, Kind.LIKE_REVIEW):
        assert not notifications.notify(recipient=alice, actor=bob, kind=kind, target=review)
    assert not Notification.objects.exists()


def test_a_switched_off_kind_creates_nothing_and_the_others_still_come(alice, bob):
    notifications.settings_update(
        user=alice,
        enabled=[s for s in Switch if s != Switch.LIKES],
        digest=False,
        language="en",
    )
    review = make_review(author=alice)
    services.like(user=bob, item=review)
    assert not Notification.objects.exists()
    make_comment(review=review, author=bob)
    assert only(alice).kind == Kind.COMMENT


def test_a_held_comment_tells_no_one_until_it_is_published(alice, bob):
    from tests.factories import make_watched_word

    make_watched_word("plantpot", action="hold")
    make_comment(review=make_review(author=alice), author=bob, body="plantpot")
    assert not Notification.objects.exists()


# Replies and mentions: sent later by other features through notify() ------------------


def test_replies_group_on_the_thread_and_mentions_come_one_by_one(alice, bob):
    carol = make_user("carol", display_name="Carol")
    review = make_review(author=bob, film=make_film(title="Léon"))
    first = make_comment(review=review, author=bob)
    second = make_comment(review=review, author=carol)
    assert notifications.notify(recipient=alice, actor=bob, kind=Kind.REPLY, target=first)
    assert notifications.notify(recipient=alice, actor=carol, kind=Kind.REPLY, target=second)
    reply = Notification.objects.get(recipient=alice, kind=Kind.REPLY)
    assert reply.count == 2
    assert text_of(reply) == "Carol and 1 other replied to your comment on Léon"
    notifications.notify(recipient=alice, actor=bob, kind=Kind.MENTION, target=first)
    notifications.notify(recipient=alice, actor=carol, kind=Kind.MENTION, target=second)
    mentions = Notification.objects.filter(recipient=alice, kind=Kind.MENTION)
    assert mentions.count() == 2
    assert text_of(mentions.first()) == "Carol mentioned you in a comment on a review of Léon"


@pytest.mark.parametrize(("kind", "switch"), [(Kind.REPLY, "replies"), (Kind.MENTION, "mentions")])
def test_replies_and_mentions_have_their_own_switch(alice, bob, kind, switch):
    notifications.settings_update(
        user=alice, enabled=[s for s in Switch if s != switch], digest=False, language="en"
    )
    assert not notifications.notify(recipient=alice, actor=bob, kind=kind)
    assert not Notification.objects.exists()


# Replies and mentions, as the community's services send them ---------------------------


def kinds_for(member):
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_a_reply_tells_the_threads_author_and_the_reviews_author_once_each(alice, bob):
    carol = make_user("carol", display_name="Carol")
    review = make_review(author=alice, film=make_film(title="Léon"))
    top = make_comment(review=review, author=bob, body="The milk!")
    Notification.objects.all().delete()  # the comment's own notice to Alice
    reply = make_comment(parent=top, author=carol, body="Two cartons, always.")
    for member, kind in ((bob, Kind.REPLY), (alice, Kind.COMMENT)):
        found = only(member)
        assert (found.kind, found.actor, found.comment) == (kind, carol, reply)
    assert text_of(only(bob)) == "Carol replied to your comment on Léon"
    assert text_of(only(alice)) == "Carol commented on your review of Léon"
    assert not Notification.objects.filter(recipient=carol).exists()


def test_a_mention_in_a_review_tells_the_member_named_and_an_edit_does_not_repeat_it(alice, bob):
    review = make_review(author=bob, film=make_film(title="Léon"), body="Thanks @alice!")
    found = only(alice)
    assert (found.kind, found.actor, found.review) == (Kind.MENTION, bob, review)
    assert text_of(found) == "Bob mentioned you in a review of Léon"
    services.review_update(
        review=review, rating=7, title="", body="Thanks again @alice.", is_spoiler=False
    )
    assert only(alice) == found


def test_a_comment_naming_the_reviews_author_is_one_comment_notice_not_two(alice, bob):
    carol = make_user("carol", display_name="Carol")
    review = make_review(author=alice)
    make_comment(review=review, author=bob, body="Right, @alice, and @carol agrees.")
    assert kinds_for(alice) == [Kind.COMMENT]
    assert kinds_for(carol) == [Kind.MENTION]


def test_a_mention_across_a_block_or_in_a_held_post_tells_no_one(alice, bob):
    from tests.factories import make_watched_word

    follows.block(blocker=alice, blocked=bob)
    make_review(author=bob, body="Ask @alice.")
    make_watched_word("plantpot", action="hold")
    make_user("carol", display_name="Carol")
    make_review(author=bob, body="plantpot @carol")
    assert not Notification.objects.exists()


# Grouping -----------------------------------------------------------------------------


def _likers(review, names):
    for name in names:
        services.like(user=make_user(name), item=review)


def test_a_burst_of_likes_is_one_notification_with_the_latest_liker(alice):
    review = make_review(author=alice, film=make_film(title="Léon"))
    _likers(review, ["fan-c", "fan-b", "fan-a"])
    found = only(alice)
    assert found.count == 3
    assert text_of(found) == "fan-a and 2 others liked your review of Léon"


def test_grouped_text_in_french(alice):
    review = make_review(author=alice, film=make_film(title="Léon"))
    _likers(review, ["fan-c", "fan-b", "fan-a"])
    with translation.override("fr"):
        assert text_of(only(alice)) == "fan-a et 2 autres ont aimé votre critique de Léon"
    services.like(user=make_user("solo"), item=make_review(author=make_user("zed")))
    with translation.override("fr"):
        found = Notification.objects.get(actor__username="solo")
        assert text_of(found) == f"solo a aimé votre critique de {found.review.film.title}"


def test_likes_on_two_reviews_are_two_groups(alice, bob):
    services.like(user=bob, item=make_review(author=alice))
    services.like(user=bob, item=make_review(author=alice))
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_a_like_after_the_group_was_read_opens_a_new_group(alice, bob):
    review = make_review(author=alice)
    _likers(review, ["fan-1", "fan-2"])
    notifications.mark_all_read(user=alice)
    services.like(user=bob, item=review)
    rows = Notification.objects.filter(recipient=alice).order_by("pk")
    assert [(r.count, r.is_unread) for r in rows] == [(2, False), (1, True)]


def test_the_same_member_liking_again_does_not_count_twice(alice, bob):
    review = make_review(author=alice)
    services.like(user=bob, item=review)
    services.unlike(user=bob, item=review)
    services.like(user=bob, item=review)
    assert only(alice).count == 1


# Moderators' decisions, with their reason ---------------------------------------------


@pytest.fixture
def mod(db):
    return make_moderator("mona")


def test_hide_restore_and_spoiler_tell_the_author_with_the_reason(
    alice, mod, django_capture_on_commit_callbacks
):
    review = make_review(author=alice, film=make_film(title="Léon"), title="Secret", body="x")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=review, action="hide", reason="Off topic.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=review, action="restore", reason="On appeal.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=review, action="spoiler", reason="The ending.")
    rows = list(Notification.objects.filter(recipient=alice).order_by("pk"))
    assert [(r.kind, r.reason, r.actor) for r in rows] == [
        (Kind.HIDDEN, "Off topic.", None),
        (Kind.RESTORED, "On appeal.", None),
        (Kind.SPOILER, "The ending.", None),
    ]
    assert [text_of(r) for r in rows] == [
        "A moderator hid your review of Léon",
        "A moderator restored your review of Léon",
        "A moderator marked your review of Léon as containing spoilers",
    ]


def test_a_hidden_profile_or_comment_is_named_without_its_text(
    alice, bob, mod, django_capture_on_commit_callbacks
):
    from leonsite.accounts.models import Profile

    comment = make_comment(review=make_review(author=bob, film=make_film(title="Léon")),
                           author=alice, body="Secret words")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=Profile.objects.get(user=alice), action="hide",
                          reason="Rude bio.")  # fmt: skip
        moderation.decide(moderator=mod, item=comment, action="hide", reason="Rude.")
    texts = [text_of(n) for n in Notification.objects.filter(recipient=alice).order_by("pk")]
    assert texts == [
        "A moderator hid your profile",
        "A moderator hid your comment on a review of Léon",
    ]


def test_a_decision_that_changes_nothing_tells_no_one(
    alice, mod, django_capture_on_commit_callbacks
):
    review = make_review(author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=review, action="restore", reason="x")
        moderation.decide(moderator=mod, item=review, action="dismiss", reason="x")
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("action", "kind"), [("silence", Kind.SILENCED), ("suspend", Kind.SUSPENDED)]
)
def test_a_silence_or_suspension_tells_the_member_why_and_until_when(
    alice, mod, action, kind, django_capture_on_commit_callbacks
):
    until = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.sanction(
            moderator=mod, member=alice, action=action, until=until, reason="Insults."
        )
    found = only(alice)
    assert (found.kind, found.reason, found.until) == (kind, "Insults.", until)
    assert "until" in text_of(found)


def test_the_owner_sees_the_title_of_their_hidden_collection_without_a_dead_link(
    alice, mod, django_capture_on_commit_callbacks
):
    collection = make_collection(owner=alice, title="My lines")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=mod, item=collection, action="hide", reason="Spam.")
    services.collection_delete(collection=collection)
    page = Client()
    page.force_login(alice)
    html = page.get(LIST).content.decode()
    assert "A moderator hid your collection “My lines”" in html
    assert "Spam." in html
    assert collection.get_absolute_url() not in html


# The page -----------------------------------------------------------------------------


def test_the_page_shows_no_spoiler_text_and_marks_unread(alice, bob, alice_client):
    review = make_review(
        author=alice, title="He dies at the end", body="Tony betrays him", is_spoiler=True
    )
    make_comment(review=review, author=bob, body="Mathilda survives, what a twist")
    html = alice_client.get(LIST).content.decode()
    for secret in ("He dies", "Tony betrays", "Mathilda survives"):
        assert secret not in html
    assert 'class="notification is-unread"' in html
    assert "Mark as read" in html


def test_a_deleted_review_is_still_listed_without_a_link(alice, bob, alice_client):
    review = make_review(author=alice)
    services.like(user=bob, item=review)
    services.review_delete(review=review)
    html = alice_client.get(LIST).content.decode()
    assert "Bob liked your review" in html
    assert review.get_absolute_url() not in html


def test_a_deleted_actor_is_a_deleted_user(alice, alice_client):
    carol, dave = make_user("carol"), make_user("dave")
    review = make_review(author=alice)
    services.like(user=carol, item=review)
    services.like(user=dave, item=review)
    accounts.account_delete(user=dave)
    assert "a deleted user and 1 other liked your review" in alice_client.get(LIST).content.decode()


def test_mark_one_read_and_mark_all_read(alice, bob, alice_client):
    services.like(user=bob, item=make_review(author=alice))
    follows.follow(follower=bob, followed=alice)
    first, second = Notification.objects.filter(recipient=alice).order_by("pk")
    response = alice_client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_unread, second.is_unread) == (False, True)
    alice_client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=alice).unread().exists()


def test_another_members_notification_is_a_404_and_stays_unread(alice, bob, bob_client):
    services.like(user=bob, item=make_review(author=alice))
    mine = only(alice)
    assert bob_client.post(f"/notifications/{mine.pk}/read/").status_code == 404
    mine.refresh_from_db()
    assert mine.is_unread


def test_reading_never_happens_on_a_get(alice, bob, alice_client):
    services.like(user=bob, item=make_review(author=alice))
    found = only(alice)
    assert alice_client.get(f"/notifications/{found.pk}/read/").status_code == 405
    assert alice_client.get("/notifications/read/").status_code == 405
    found.refresh_from_db()
    assert found.is_unread


def _notifications(recipient, n):
    """n notifications of every kind of target, each on its own review or collection."""
    actors = [make_user() for _ in range(3)]
    film = make_film()
    reviews = [make_review(author=recipient, film=make_film() if i else film) for i in range(3)]
    rows = []
    for i in range(n):
        target = reviews[i % 3]
        kind = [Kind.LIKE_REVIEW, Kind.COMMENT, Kind.LIKE_COLLECTION, Kind.FOLLOW][i % 4]
        fields = {} if kind == Kind.FOLLOW else {"review": target}
        if kind == Kind.LIKE_COLLECTION:
            fields = {"collection_id": make_collection(owner=recipient).pk} if i < 8 else {}
        rows.append(
            Notification(
                recipient=recipient, actor=actors[i % 3], kind=kind, count=1 + i % 5, **fields
            )
        )
    Notification.objects.bulk_create(rows)


def test_the_page_costs_the_same_queries_at_10_and_at_500_notifications(
    django_assert_num_queries,
):
    few, many = make_user("few"), make_user("many")
    _notifications(few, 10)
    _notifications(many, 500)

    def queries(member):
        client = Client()
        client.force_login(member)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(captured)

    assert queries(few) == queries(many) <= 6


# The unread count in the navigation ------------------------------------------------------


def test_the_nav_shows_the_unread_count(alice, bob, alice_client):
    for name in ("fan-1", "fan-2"):
        follows.follow(follower=make_user(name), followed=alice)
    services.like(user=bob, item=make_review(author=alice))
    html = alice_client.get("/films/").content.decode()
    assert re.search(r'notification-badge">2<span class="visually-hidden"> unread</span>', html)


def test_the_nav_count_costs_one_query_after_a_change_and_none_after(
    alice, bob, django_assert_num_queries
):
    services.like(user=bob, item=make_review(author=alice))
    with django_assert_num_queries(1):
        assert notifications.unread_count(alice) == 1
    with django_assert_num_queries(0):
        assert notifications.unread_count(alice) == 1
    notifications.mark_all_read(user=alice)
    with django_assert_num_queries(1):
        assert notifications.unread_count(alice) == 0


def test_a_visitors_nav_asks_nothing_about_notifications(client, db):
    html = client.get("/films/").content.decode()
    assert "nav-notifications" not in html


# Settings -------------------------------------------------------------------------------


def test_the_settings_page_saves_switches_and_the_digest(alice, alice_client):
    assert alice_client.get("/notifications/settings/").status_code == 200
    response = alice_client.post(
        "/fr/notifications/settings/", {"enabled": ["comments", "follows"], "digest": "on"}
    )
    assert response.status_code == 302
    chosen = NotificationSettings.objects.get(user=alice)
    assert set(chosen.muted) == {s.value for s in Switch} - {"comments", "follows"}
    assert (chosen.digest, chosen.language) == (True, "fr")


def test_the_settings_page_and_the_notifications_link_each_other(alice_client):
    assert "/notifications/settings/" in alice_client.get("/accounts/settings/").content.decode()
    assert "/notifications/settings/" in alice_client.get(LIST).content.decode()


def test_a_bad_switch_is_a_form_error_not_a_500(alice_client):
    response = alice_client.post("/notifications/settings/", {"enabled": ["nonsense"]})
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()


# Permission cells for every new URL -----------------------------------------------------


@pytest.fixture
def cells(alice, bob):
    services.like(user=bob, item=make_review(author=alice))
    return only(alice)


@pytest.mark.parametrize(
    ("who", "method", "url", "expected"),
    [
        ("anonymous", "get", "/notifications/", 302),
        ("anonymous", "get", "/notifications/settings/", 302),
        ("anonymous", "post", "/notifications/read/", 302),
        ("anonymous", "post", "/notifications/{pk}/read/", 302),
        ("owner", "get", "/notifications/", 200),
        ("owner", "get", "/notifications/settings/", 200),
        ("owner", "post", "/notifications/read/", 302),
        ("owner", "post", "/notifications/{pk}/read/", 302),
        ("member", "get", "/notifications/", 200),
        ("member", "post", "/notifications/{pk}/read/", 404),
        ("blocked", "post", "/notifications/{pk}/read/", 404),
        ("moderator", "get", "/notifications/", 200),
        ("moderator", "post", "/notifications/{pk}/read/", 404),
    ],
)
def test_who_may_open_and_post_each_notification_url(alice, cells, who, method, url, expected):
    users = {"owner": alice, "member": make_user("m"), "moderator": make_moderator()}
    if who == "blocked":
        users["blocked"] = make_user("pest")
        follows.block(blocker=alice, blocked=users["blocked"])
    client = Client()
    if who in users:
        client.force_login(users[who])
    response = getattr(client, method)(url.format(pk=cells.pk))
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    cells.refresh_from_db()
    assert cells.is_unread == (who != "owner" or method == "get")


# The daily digest -----------------------------------------------------------------------


def _opted_in(user, language="en"):
    notifications.settings_update(user=user, enabled=list(Switch), digest=True, language=language)


def test_send_digests_is_idempotent_and_carries_one_click_unsubscribe(alice, bob):
    _opted_in(alice)
    services.like(user=bob, item=make_review(author=alice, film=make_film(title="Léon")))
    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "Bob liked your review of Léon" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"])[1]
    assert link in message.body
    assert DigestSent.objects.get(user=alice).count == 1
    assert Notification.objects.get(recipient=alice).emailed_at is not None


class RefusingBackend(locmem.EmailBackend):
    """The mail server of a real day: it refuses one address."""

    def send_messages(self, messages):
        for message in messages:
            if "alice@example.com" in message.to:
                raise smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"No such user")})
        return super().send_messages(messages)


def test_a_refused_address_stops_no_one_elses_digest_and_is_tried_again(alice, bob, settings):
    carol = make_user("carol", display_name="Carol")
    for member in (alice, carol):
        _opted_in(member)
        services.like(user=bob, item=make_review(author=member))
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    call_command("send_digests", verbosity=0)
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
    assert not DigestSent.objects.filter(user=alice).exists()  # the next run tries again
    assert Notification.objects.get(recipient=alice).emailed_at is None


def test_the_next_day_brings_only_what_was_not_mailed(alice, bob):
    _opted_in(alice)
    services.like(user=bob, item=make_review(author=alice))
    call_command("send_digests", verbosity=0)
    call_command("send_digests", "--day", "2099-01-01", verbosity=0)
    assert len(mail.outbox) == 1  # nothing new: no second mail
    follows.follow(follower=bob, followed=alice)
    call_command("send_digests", "--day", "2099-01-02", verbosity=0)
    assert len(mail.outbox) == 2
    assert "followed you" in mail.outbox[1].body
    assert "liked your review" not in mail.outbox[1].body


def test_no_digest_without_opting_in_or_for_read_or_muted_kinds(alice, bob):
    services.like(user=bob, item=make_review(author=alice))
    call_command("send_digests", verbosity=0)
    assert not mail.outbox
    _opted_in(alice)
    notifications.mark_all_read(user=alice)
    call_command("send_digests", verbosity=0)
    assert not mail.outbox
    assert not DigestSent.objects.exists()


def test_the_digest_is_written_in_the_members_language(alice, bob):
    _opted_in(alice, language="fr")
    services.like(user=bob, item=make_review(author=alice, film=make_film(title="Léon")))
    call_command("send_digests", verbosity=0)
    message = mail.outbox[0]
    assert "Bob a aimé votre critique de Léon" in message.body
    assert message.extra_headers["Content-Language"] == "fr"
    assert "/fr/notifications/" in message.body


def _unsubscribe_link(alice, bob):
    _opted_in(alice)
    services.like(user=bob, item=make_review(author=alice))
    call_command("send_digests", verbosity=0)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    return link.split("://", 1)[1].split("/", 1)[1]


def test_the_signed_link_shows_a_confirmation_then_unsubscribes_without_login(alice, bob):
    path = "/" + _unsubscribe_link(alice, bob)
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    assert NotificationSettings.objects.get(user=alice).digest
    # The mail client's one-click POST: no session, no CSRF token.
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert not NotificationSettings.objects.get(user=alice).digest


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_a_400_page(alice, bob, method):
    path = "/" + _unsubscribe_link(alice, bob)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = getattr(Client(enforce_csrf_checks=True), method)(tampered)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert NotificationSettings.objects.get(user=alice).digest


# The member's data ----------------------------------------------------------------------


def test_account_deletion_removes_the_members_notifications_both_ways(alice, bob):
    carol = make_user("carol")
    review = make_review(author=alice)
    services.like(user=bob, item=review)  # alice <- bob alone
    follows.follow(follower=carol, followed=alice)
    follows.follow(follower=bob, followed=alice)  # alice <- carol, then bob
    services.like(user=alice, item=make_review(author=bob))  # bob <- alice
    accounts.account_delete(user=bob)
    assert not Notification.objects.filter(recipient=bob).exists()
    assert not Notification.objects.filter(actor=bob).exists()
    left = only(alice)
    assert (left.kind, left.count, left.actor) == (Kind.FOLLOW, 2, None)


def test_a_deleted_account_is_told_nothing_about_its_public_posts(alice, bob):
    collection = make_collection(owner=alice)
    accounts.account_delete(user=alice)
    services.like(user=bob, item=collection)
    services.collection_copy(source=collection, owner=bob)
    assert not Notification.objects.exists()


def test_the_export_holds_the_notifications_and_settings(alice, bob):
    services.like(user=bob, item=make_review(author=alice))
    notifications.settings_update(user=alice, enabled=[Switch.LIKES], digest=True, language="en")
    export = accounts.account_export(user=alice)
    assert [row["kind"] for row in export["notifications"]] == ["like_review"]
    assert export["notification_settings"]["daily_digest"] is True
    assert "comments" in export["notification_settings"]["switched_off"]
