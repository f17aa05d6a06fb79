"""Every user-supplied string the moderation pages show is escaped (QUALITY.md T1)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from leonsite.accounts.models import Profile
from reviews.moderation import services as moderation
from reviews.moderation.models import Report
from tests.factories import (
    PASSWORD,
    make_collection,
    make_comment,
    make_removal_reason,
    make_report,
    make_review,
    make_user,
    make_watched_word,
)
from tests.reviews.test_markup import XSS_CORPUS, assert_harmless

pytestmark = pytest.mark.django_db

PAYLOADS = XSS_CORPUS

DANGEROUS = [
    r"<script>alert",
    r"<img[^>]*onerror",
    r"<svg[^>]*onload",
    r"<iframe",
    r"<style>body",
    r"<form action=//evil",
    r"""<a\b[^<>]*href=["']?\s*(javascript|data):""",
    r"""<a\b[^<>]*href=["']?jav&#x09;ascript""",
]


def assert_inert(html: str, where: str):
    """No payload survives as markup: on the raw page, and tag by tag in <main>."""
    for pattern in DANGEROUS:
        assert not re.search(pattern, html, re.IGNORECASE), f"{where}: {pattern}"
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert_harmless("<main" + main)


def rendered(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_queue_log_and_records_escape_every_member_string(moderator, moderator_client, payload):
    author = make_user(display_name=payload[:50], bio=payload)
    review = make_review(author=author, title=payload[:200], body=payload)
    comment = make_comment(review=make_review(), author=author, body=payload)
    collection = make_collection(owner=author, title=payload[:100], description=payload)
    reporter = make_user(display_name=payload[:50])
    for item in (review, comment, collection, author.profile):
        make_report(item, reporter=reporter, reason="other", details=payload)
    hidden = make_review(author=author)
    make_report(hidden)
    moderation.decide(moderator=moderator, item=hidden, action="hide", reason=payload)
    make_removal_reason(title=payload[:80], message=payload)
    for url in ("/moderation/", "/moderation/log/", f"/moderation/members/{author.username}/"):
        page = rendered(moderator_client, url)
        assert_inert(page, url)
        if payload == "{{ 7*7 }}":  # shown as typed, never evaluated
            assert "{{ 7*7 }}" in page, url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_moderators_reason_is_escaped_where_the_author_reads_it(moderator, alice, payload):
    review = make_review(author=alice, body="Fine.")
    comment = make_comment(review=make_review(), author=alice, body="Fine.")
    collection = make_collection(owner=alice)
    for item in (review, comment, collection, alice.profile):
        moderation.decide(moderator=moderator, item=item, action="hide", reason=payload)
    client = Client()
    client.force_login(alice)
    for url in (
        review.get_absolute_url(),
        comment.review.get_absolute_url(),
        collection.get_absolute_url(),
        "/u/alice/",
        "/accounts/settings/",
    ):
        assert_inert(rendered(client, url), url)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_restriction_reasons_are_escaped_where_the_member_reads_them(bob, payload):
    Profile.objects.filter(user=bob).update(
        silenced_until=timezone.now() + timedelta(days=1), silence_reason=payload
    )
    client = Client()
    client.force_login(bob)
    assert_inert(rendered(client, "/accounts/settings/"), "settings")
    assert_inert(client.post("/collections/new/", {}).content.decode(), "silenced page")
    Profile.objects.filter(user=bob).update(
        suspended_until=timezone.now() + timedelta(days=1), suspension_reason=payload
    )
    page = Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert_inert(page.content.decode(), "login")


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_a_watched_word_is_escaped_in_the_blocked_message(alice_client, payload):
    make_watched_word(payload, action="block")
    review = make_review()
    response = alice_client.post(f"/reviews/{review.pk}/comments/", {"body": f"a {payload} b"})
    assert response.status_code == 400
    assert_inert(response.content.decode(), "blocked comment")


def test_a_hundred_kilobyte_report_is_refused_and_a_long_one_is_shown_escaped(
    bob_client, moderator_client, alice
):
    review = make_review(author=alice)
    big = "<script>alert(1)</script>" * 4000
    response = bob_client.post(f"/report/review/{review.pk}/", {"reason": "other", "details": big})
    assert response.status_code == 400
    assert_inert(response.content.decode(), "report form")
    assert not Report.objects.exists()
    long_details = ("<b>bold</b>" * 90)[:1000]
    bob_client.post(f"/report/review/{review.pk}/", {"reason": "other", "details": long_details})
    page = rendered(moderator_client, "/moderation/")
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_usernames_are_validated_so_they_cannot_carry_markup(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "<script>", "email": "s@example.com", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 200  # the form refused it
    assert not get_user_model().objects.filter(username="<script>").exists()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
