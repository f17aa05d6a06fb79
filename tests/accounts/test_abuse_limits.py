"""Abuse limits: rate limits answering 429, the login lockout, honeypots, CSRF, headers."""

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client

from leonsite.lib import ratelimit
from reviews.models import Comment, Review, ReviewLike
from reviews.moderation.models import Report
from tests.factories import PASSWORD, make_film, make_review, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

# The middle of a day-long window: fixed windows never roll over during a test.
FROZEN = 1_800_000_000 - (1_800_000_000 % 86400) + 43_200


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: FROZEN)


def member_client(user=None, ip="203.0.113.7"):
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user or make_user())
    return client


def old_member():
    """A member past their first day, so the ordinary limits apply."""
    user = make_user()
    User.objects.filter(pk=user.pk).update(date_joined=user.date_joined - timedelta(days=2))
    return User.objects.get(pk=user.pk)


def assert_429(response, scope_text):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "One moment, please" in page and scope_text in page
    assert "Nothing was saved from this last try" in page


# Rate limits ----------------------------------------------------------------------------


def test_parse_rate_reads_counts_and_periods():
    assert ratelimit.parse_rate("10/d") == (10, 86400)
    assert ratelimit.parse_rate("1/30s") == (1, 30)
    assert ratelimit.parse_rate(" 6 / m ") == (6, 60)
    with pytest.raises(ValueError):
        ratelimit.parse_rate("ten per day")


def test_every_configured_rate_parses(settings):
    for scope, rules in settings.RATE_LIMITS.items():
        for who, rates in rules.items():
            assert who in {"user", "new_user", "ip"} or who.startswith("field:"), scope
            for rate in rates:
                ratelimit.parse_rate(rate)


def test_signup_is_limited_per_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": {"ip": ["3/d"]}}
    statuses = []
    for i in range(4):
        client = Client(REMOTE_ADDR="198.51.100.9")
        response = client.post(
            "/accounts/signup/",
            {
                "username": f"new{i}",
                "email": f"new{i}@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429]
    assert_429(response, "creating accounts")
    assert not User.objects.filter(username="new3").exists()
    other_address = Client(REMOTE_ADDR="198.51.100.10").post(
        "/accounts/signup/",
        {"username": "new9", "email": "n9@example.com", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip
    assert other_address.status_code == 302


def test_a_form_sent_back_with_an_error_costs_nothing(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": {"ip": ["1/d"]}}
    client = Client(REMOTE_ADDR="198.51.100.9")
    bad = client.post("/accounts/signup/", {"username": "x", "password1": "a", "password2": "b"})
    assert bad.status_code == 200
    good = client.post(
        "/accounts/signup/",
        {"username": "fine", "email": "fine@example.com", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip
    assert good.status_code == 302


def test_a_new_member_posts_one_review_per_thirty_seconds():
    client = member_client()
    first = client.post(f"/films/{make_film().slug}/reviews/new/", {"rating": "8", "body": "a"})
    second = client.post(f"/films/{make_film().slug}/reviews/new/", {"rating": "8", "body": "b"})
    assert first.status_code == 302
    assert_429(second, "posting")
    assert Review.objects.count() == 1


def test_an_older_member_has_the_ordinary_review_limit(settings):
    limits = {"user": ["2/d"], "new_user": ["1/d"]}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "review": limits}
    client = member_client(old_member())
    statuses = [
        client.post(f"/films/{make_film().slug}/reviews/new/", {"rating": "8"}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_comments_are_limited_per_member():
    review = make_review()
    client = member_client()
    first = client.post(f"/reviews/{review.pk}/comments/", {"body": "One."})
    second = client.post(f"/reviews/{review.pk}/comments/", {"body": "Two."})
    assert first.status_code == 302
    assert_429(second, "posting")
    assert list(Comment.objects.values_list("body", flat=True)) == ["One."]


def test_likes_are_limited_per_member(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "like": {"new_user": ["2/d"]}}
    client = member_client()
    reviews = [make_review() for _ in range(3)]
    statuses = [
        client.post(f"/reviews/{r.pk}/like/", {"action": "like"}).status_code for r in reviews
    ]
    assert statuses == [302, 302, 429]
    assert ReviewLike.objects.count() == 2


def test_one_address_is_limited_across_members(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"ip": ["2/h"]}}
    review = make_review()
    statuses = [
        member_client(ip="192.0.2.50")
        .post(f"/reviews/{review.pk}/comments/", {"body": "x"})
        .status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_reports_are_limited_per_member(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": {"user": ["1/d"]}}
    client = member_client(old_member())
    first = client.post(f"/report/review/{make_review().pk}/", {"reason": "spam"})
    second = client.post(f"/report/review/{make_review().pk}/", {"reason": "spam"})
    assert first.status_code == 302
    assert_429(second, "posting")
    assert Report.objects.count() == 1


def test_a_forged_forwarded_for_header_buys_nothing(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": {"ip": ["1/d"]}}
    statuses = []
    for i in range(2):
        client = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        statuses.append(
            client.post(
                "/accounts/signup/",
                {"username": f"f{i}", "email": f"f{i}@example.com", "password1": PASSWORD,
                 "password2": PASSWORD},
            ).status_code
        )  # fmt: skip
    assert statuses == [302, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert ratelimit.client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"
    junk = rf.get("/", REMOTE_ADDR="not-an-ip")
    assert ratelimit.client_ip(junk) is None
    settings.TRUSTED_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>, drop table")
    assert ratelimit.client_ip(forged) is None


def test_rate_limited_requests_are_logged(caplog, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "like": {"new_user": ["0/d"]}}
    with caplog.at_level(logging.WARNING, logger="leonsite.security"):
        member_client().post(f"/reviews/{make_review().pk}/like/", {"action": "like"})
    assert "rate limit scope=like" in caplog.text


# Login lockout --------------------------------------------------------------------------


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_pair_even_for_the_right_one(alice):
    client = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [login(client, "alice", "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = login(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(alice, monkeypatch):
    client = Client(REMOTE_ADDR="203.0.113.21")
    for _ in range(5):
        login(client, "alice", "wrong-password")
    assert login(client, "alice", PASSWORD).status_code == 429
    # Sixteen minutes later (for the lockout's records and for the per-address limit).
    earlier = AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=earlier)
    monkeypatch.setattr(ratelimit.time, "time", lambda: FROZEN + 16 * 60)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_another_member_from_the_same_address_still_logs_in(alice, bob):
    client = Client(REMOTE_ADDR="203.0.113.22")
    for _ in range(5):
        login(client, "alice", "wrong-password")
    assert login(Client(REMOTE_ADDR="203.0.113.22"), "bob", PASSWORD).status_code == 302


def test_a_forged_forwarded_for_does_not_unlock(alice):
    for i in range(5):
        login(Client(REMOTE_ADDR="203.0.113.23", HTTP_X_FORWARDED_FOR=f"10.1.1.{i}"), "alice", "x")
    spoofed = Client(REMOTE_ADDR="203.0.113.23", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert login(spoofed, "alice", PASSWORD).status_code == 429


def test_the_seventh_login_from_one_address_in_a_minute_is_refused(alice, bob):
    client = Client(REMOTE_ADDR="203.0.113.24")
    statuses = [login(client, f"nobody{i}", "x").status_code for i in range(6)]
    assert statuses == [200] * 6
    assert login(Client(REMOTE_ADDR="203.0.113.24"), "bob", PASSWORD).status_code == 429


def test_logins_are_logged_without_passwords_and_odd_usernames_cannot_forge_lines(caplog, alice):
    with caplog.at_level(logging.INFO, logger="leonsite.security"):
        login(Client(), "mallory\n[ADMIN] fake", "hunter2-secret")
        login(Client(), "alice", PASSWORD)
    assert "hunter2-secret" not in caplog.text and PASSWORD not in caplog.text
    assert "login failure username='mallory\\n[ADMIN] fake'" in caplog.text
    assert not any(line.startswith("[ADMIN]") for line in caplog.text.splitlines())
    assert f"login success user={alice.pk}" in caplog.text


# Honeypots ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,url,data,model",
    [
        ("signup", "/accounts/signup/",
         {"username": "bot", "email": "bot@example.com", "password1": PASSWORD,
          "password2": PASSWORD}, User),
        ("review", "/films/{film}/reviews/new/", {"rating": "8", "body": "Buy now"}, Review),
        ("comment", "/reviews/{review}/comments/", {"body": "Buy now"}, Comment),
        ("report", "/report/review/{review}/", {"reason": "spam"}, Report),
    ],
)  # fmt: skip
def test_public_forms_carry_a_honeypot_that_stops_bots(name, url, data, model):
    film, review = make_film(), make_review()
    url = url.format(film=film.slug, review=review.pk)
    client = Client() if name == "signup" else member_client()
    form_page = client.get(url if name != "comment" else review.get_absolute_url())
    assert re.search(r'<div\s+class="hp-field"\s+aria-hidden="true">', form_page.content.decode())
    assert 'name="homepage"' in form_page.content.decode()
    before = model.objects.count()
    response = client.post(url, {**data, "homepage": "http://spam.example"})
    assert response.status_code in (200, 400)
    assert "This form could not be sent" in response.content.decode()
    assert model.objects.count() == before


# Headers --------------------------------------------------------------------------------


def test_every_community_page_sends_a_strict_csp_without_inline_allowances(moderator_client, alice):
    review = make_review(author=alice)
    for url in ("/moderation/", "/moderation/log/", f"/report/review/{review.pk}/", "/"):
        response = moderator_client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        for directive in ("script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "base-uri 'none'", "frame-ancestors 'none'"):  # fmt: skip
            assert directive in csp, (url, directive)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_template_needs_an_inline_script_style_or_handler():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if 'type="application/ld+json"' not in match.group(1):
                offenders.append(f"{path.name}: inline script")
        if re.search(r"\sstyle=", text) or re.search(r"<style", text):
            offenders.append(f"{path.name}: inline style")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.name}: event handler attribute")
    assert not offenders, offenders


def test_the_moderation_pages_render_without_inline_styles(moderator_client, alice):
    review = make_review(author=alice)
    from tests.factories import make_report

    for _ in range(3):
        make_report(review)
    for url in ("/moderation/", "/moderation/log/", f"/moderation/members/{alice.username}/"):
        page = moderator_client.get(url).content.decode()
        assert " style=" not in page, url
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), url


# Staff sessions (QUALITY.md S10) --------------------------------------------------------


def test_a_moderators_session_ends_after_thirty_idle_minutes(moderator):
    from leonsite.accounts.security import STAFF_SEEN

    client = Client()
    assert login(client, moderator.username, PASSWORD).status_code == 302
    assert client.get("/moderation/").status_code == 200
    session = client.session
    session[STAFF_SEEN] -= 31 * 60
    session.save()
    response = client.get("/moderation/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/?next=%2Fmoderation%2F"
    assert "Your staff session has ended" in response.content.decode()


def test_a_moderators_session_ends_after_twelve_hours_whatever_the_activity(moderator):
    from leonsite.accounts.security import STAFF_STARTED

    client = Client()
    login(client, moderator.username, PASSWORD)
    session = client.session
    session[STAFF_STARTED] -= 12 * 3600 + 1
    session.save()
    assert client.get("/moderation/").url.startswith("/accounts/login/")


def test_a_members_session_is_not_cut_short(alice):
    client = Client()
    login(client, "alice", PASSWORD)
    assert client.session.get_expiry_age() == 14 * 24 * 3600
    assert client.get("/accounts/settings/").status_code == 200


# A cache outage -------------------------------------------------------------------------


def test_with_the_cache_down_posting_still_works_unlimited_and_logged(settings, caplog):
    """Redis down (a closed port): the limits fail open instead of refusing every post."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    review = make_review()
    client = member_client()
    with caplog.at_level(logging.WARNING, logger="leonsite.security"):
        first = client.post(f"/reviews/{review.pk}/comments/", {"body": "One."})
        second = client.post(f"/reviews/{review.pk}/comments/", {"body": "Two."})
    assert (first.status_code, second.status_code) == (302, 302)
    assert Comment.objects.count() == 2
    assert "rate limit cache unavailable scope=comment" in caplog.text
    assert client.get(review.get_absolute_url()).status_code == 200


def test_requests_without_a_valid_address_log_in_and_moderate_without_a_500(
    alice, moderator, settings
):
    """A proxy passing junk must not break the login lockout's or the log's inet columns."""
    from reviews.moderation.models import ModerationAction
    from tests.factories import make_report

    settings.TRUSTED_PROXY_COUNT = 1
    junk = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}
    assert Client(**junk).post("/accounts/login/", {"username": "alice", "password": "x"})
    assert login(Client(**junk), "alice", PASSWORD).status_code == 302
    review = make_review(author=alice)
    make_report(review)
    client = Client(**junk)
    client.force_login(moderator)
    response = client.post(
        f"/moderation/items/review/{review.pk}/", {"action": "hide", "note": "x"}
    )
    assert response.status_code == 302
    assert ModerationAction.objects.latest("pk").ip_address is None
    assert AccessLog.objects.get(username="alice").ip_address is None  # axes' record of the login


# Every write has a limit ---------------------------------------------------------------


def _world():
    from tests.factories import make_collection, make_comment, make_quote

    member = old_member()
    quote = make_quote()
    review = make_review(author=member)
    comment = make_comment(author=member)
    collection = make_collection(owner=member, quotes=[quote, make_quote()])
    other = make_collection(owner=make_user(), title="Theirs")
    items = list(collection.items.order_by("position"))
    return member, {
        "review": review,
        "comment": comment,
        "collection": collection,
        "other": other,
        "items": items,
        "quote": quote,
    }


WRITES = [
    ("review-edit", lambda w: f"/reviews/{w['review'].pk}/edit/", {"rating": "3", "body": "x"}),
    (
        "comment-edit",
        lambda w: f"/reviews/{w['comment'].review_id}/comments/{w['comment'].pk}/edit/",
        {"body": "Edited."},
    ),
    ("collection", lambda w: "/collections/new/", {"title": "T", "visibility": "public"}),
    ("collection", lambda w: f"/collections/{w['other'].pk}/copy/", {}),
    (
        "collection-edit",
        lambda w: f"/collections/{w['collection'].pk}/edit/",
        {"title": "Renamed", "visibility": "public"},
    ),
    (
        "collection-edit",
        lambda w: f"/collections/{w['collection'].pk}/note/",
        {"item": "{item}", "note": "n"},
    ),
    ("profile", lambda w: "/accounts/settings/", {"display_name": "New", "bio": ""}),
]


@pytest.mark.parametrize(
    "scope,url,data", WRITES, ids=[f"{w[0]} {i}" for i, w in enumerate(WRITES)]
)
def test_every_write_stops_at_its_limit_and_changes_nothing_more(settings, scope, url, data):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: {"user": ["1/d"]}}
    member, world = _world()
    client = member_client(member)
    data = {k: str(world["items"][0].pk) if v == "{item}" else v for k, v in data.items()}
    first = client.post(url(world), data)
    assert first.status_code == 302, first.content.decode()[:500]
    before = (Review.objects.count(), Comment.objects.count())
    from reviews.models import QuoteCollection

    collections = QuoteCollection.objects.count()
    assert_429(client.post(url(world), data), "posting")
    assert (Review.objects.count(), Comment.objects.count()) == before
    assert QuoteCollection.objects.count() == collections


def test_a_one_day_old_account_cannot_fill_the_newest_collections():
    from reviews.models import QuoteCollection

    client = member_client()
    statuses = [
        client.post("/collections/new/", {"title": f"Spam {n}", "visibility": "public"}).status_code
        for n in range(25)
    ]
    assert statuses[:3] == [302] * 3 and set(statuses[3:]) == {429}
    assert QuoteCollection.objects.count() == 3


def test_deleting_posts_is_limited_too(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delete": {"user": ["1/d"]}}
    member = old_member()
    first, second = make_review(author=member), make_review(author=member)
    client = member_client(member)
    assert client.post(f"/reviews/{first.pk}/delete/").status_code == 302
    assert_429(client.post(f"/reviews/{second.pk}/delete/"), "posting")
    assert Review.objects.get(pk=second.pk).deleted_at is None


def test_avatar_uploads_have_their_own_limit(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import image_bytes

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "avatar": {"user": ["1/h"]}}
    member = old_member()
    client = member_client(member)

    def upload():
        avatar = SimpleUploadedFile("a.png", image_bytes(), content_type="image/png")
        return client.post("/accounts/settings/", {"display_name": "", "bio": "", "avatar": avatar})

    assert upload().status_code == 302
    assert_429(upload(), "posting")
    assert (
        client.post("/accounts/settings/", {"display_name": "Fine", "bio": ""}).status_code == 302
    )


def test_password_reset_is_limited_per_address_and_per_target(client, mailoutbox):
    alice = make_user("alice")
    statuses = [
        client.post("/accounts/password_reset/", {"email": alice.email}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 3
    # Another address from elsewhere is not held up by alice's, nor tells anything apart:
    # an unknown address gets the same answer and the same limit.
    other = Client(REMOTE_ADDR="198.51.100.9")
    unknown = [
        other.post("/accounts/password_reset/", {"email": "nobody@example.com"}).status_code
        for _ in range(4)
    ]
    assert unknown == statuses
    # Many addresses from one place: the per-address limit.
    spray = Client(REMOTE_ADDR="198.51.100.10")
    sprayed = [
        spray.post("/accounts/password_reset/", {"email": f"n{n}@example.com"}).status_code
        for n in range(6)
    ]
    assert sprayed == [302] * 5 + [429]
