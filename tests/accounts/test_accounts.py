"""Accounts, profiles, avatars, data export and account deletion."""

import io
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from leonsite.accounts.models import Profile
from reviews.models import QuoteCollection, Review
from tests.factories import (
    PASSWORD,
    image_bytes,
    make_collection,
    make_comment,
    make_quote,
    make_review,
    make_user,
    session_queries,
)
from tests.reviews.test_markup import XSS_CORPUS, assert_harmless

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, username="carol", email="carol@example.com", password=PASSWORD, next_url=""):
    url = "/accounts/signup/" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        {"username": username, "email": email, "password1": password, "password2": password},
    )


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    """Sign up, running what waits for the commit (the e-mails) as a real request does."""

    def post(client, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return signup(client, **kwargs)

    return post


def confirmation_link(message):
    return re.search(r"http://testserver(/accounts/confirm/\S+)", message.body).group(1)


def test_signup_sends_a_link_that_confirms_the_account_and_logs_in(client, mailoutbox, sign_up):
    response = sign_up(client, next_url="/films/")
    assert response.status_code == 302 and response.url == "/accounts/signup/sent/"
    user = User.objects.get(username="carol")
    assert not user.is_active and Profile.objects.get(user=user).is_pending
    assert not client.login(username="carol", password=PASSWORD)
    (message,) = mailoutbox
    assert message.to == ["carol@example.com"]
    link = confirmation_link(message)
    # Following the link (as a mail scanner would) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    assert not User.objects.get(username="carol").is_active
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/films/"
    assert client.get("/").context["user"] == user
    assert not Profile.objects.get(user=user).is_pending


def test_a_confirmation_link_works_once(client, mailoutbox, sign_up):
    sign_up(client)
    link = confirmation_link(mailoutbox[0])
    assert client.post(link).status_code == 302
    client.post("/accounts/logout/")
    response = client.post(link)
    assert response.status_code == 400 and "That link does not work" in response.content.decode()
    assert client.post("/accounts/confirm/junk/junk-token/").status_code == 400


def test_signup_ignores_an_unsafe_next(client, mailoutbox, sign_up):
    sign_up(client, next_url="https://evil.example/")
    response = client.post(confirmation_link(mailoutbox[0]))
    assert response.status_code == 302 and response.url == "/u/carol/"


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_word(client, mailoutbox, sign_up):
    make_user("dave", email="Dave@Example.com")
    taken = sign_up(client, username="carol", email="dave@example.COM")
    fresh = sign_up(Client(), username="erin", email="erin@example.com")
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert not User.objects.filter(username="carol").exists()
    to_dave, to_erin = mailoutbox
    assert to_dave.to == ["Dave@example.com"] and "Someone tried" in to_dave.subject
    assert "/accounts/confirm/" not in to_dave.body
    assert "/accounts/confirm/" in to_erin.body


def test_signing_up_again_while_unconfirmed_sends_the_link_again(client, mailoutbox, sign_up):
    sign_up(client)
    sign_up(Client(), username="carol2")
    first, again = mailoutbox
    assert again.to == ["carol@example.com"] and "/accounts/confirm/" in again.body
    assert not User.objects.filter(username="carol2").exists()


def test_unconfirmed_signups_are_purged_after_a_week(client, mailoutbox, sign_up):
    sign_up(client)
    User.objects.filter(username="carol").update(date_joined=timezone.now() - timedelta(days=8))
    out = io.StringIO()
    call_command("purge_unconfirmed", stdout=out)
    assert "1 unconfirmed" in out.getvalue()
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.parametrize("lookalike", ["ALICE", "alíce", "\u0430lice", "a1ice", "ａlice"])
def test_a_username_that_looks_like_a_members_is_refused(client, alice, lookalike):
    response = signup(client, username=lookalike)
    assert "looks too much like a member" in unescape(response.content.decode()) or (
        "already exists" in response.content.decode()
    )
    assert not User.objects.filter(username=lookalike).exists()


@pytest.mark.parametrize("name", ["ev\u202eil", "zero\u200bwidth", "iso\u2066late"])
def test_invisible_and_direction_changing_characters_are_refused(alice_client, name):
    response = signup(Client(), username=name)
    assert "invisible or direction-changing" in unescape(response.content.decode())
    response = alice_client.post("/accounts/settings/", {"display_name": name, "bio": ""})
    assert "invisible or direction-changing" in unescape(response.content.decode())
    assert Profile.objects.get(user__username="alice").display_name == "Alice"


def test_password_validators_apply(client):
    response = signup(client, password="12345")
    page = unescape(response.content.decode())
    assert "This password is too short" in page and "entirely numeric" in page
    assert not User.objects.filter(username="carol").exists()


def test_login_returns_to_a_safe_next_only(client, alice):
    ok = client.post("/accounts/login/?next=/films/", {"username": "alice", "password": PASSWORD})
    assert ok.url == "/films/"
    client.post("/accounts/logout/")
    evil = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "alice", "password": PASSWORD}
    )
    assert evil.status_code == 302 and "evil" not in evil.url


def test_logout_is_a_post_form_in_the_nav(alice_client):
    page = alice_client.get("/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/">', page)
    assert alice_client.post("/accounts/logout/").status_code == 302
    assert "Log in" in alice_client.get("/").content.decode()


def test_anonymous_nav_offers_login_and_signup(client, db):
    page = client.get("/films/").content.decode()
    assert 'href="/accounts/login/?next=/films/"' in page
    assert 'href="/accounts/signup/?next=/films/"' in page


def test_password_reset_sends_an_email(client, alice):
    response = client.post("/accounts/password_reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_password_change_page_renders(alice_client):
    assert alice_client.get("/accounts/password_change/").status_code == 200


def test_settings_update_display_name_and_bio(alice_client, alice):
    response = alice_client.post(
        "/accounts/settings/", {"display_name": "Alice 🌱", "bio": "مرحبا — I water plants."}
    )
    assert response.status_code == 302
    page = unescape(alice_client.get("/u/alice/").content.decode())
    assert "Alice 🌱" in page and "مرحبا — I water plants." in page


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_in_display_name_and_bio_is_escaped(alice_client, alice, payload):
    alice_client.post("/accounts/settings/", {"display_name": payload[:60], "bio": payload})
    make_review(author=alice)
    for url in ["/u/alice/", "/"]:
        page = alice_client.get(url).content.decode()
        assert_harmless(page.split("<body>", 1)[1])


def upload(name, data, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_avatar(client, file):
    return client.post("/accounts/settings/", {"display_name": "Alice", "bio": "", "avatar": file})


def test_avatar_is_cropped_resized_and_renamed(alice_client, alice):
    response = post_avatar(alice_client, upload("../../evil name.php.png", image_bytes((900, 600))))
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert re.fullmatch(r"avatars/[0-9a-f]{32}\.webp", profile.avatar.name)
    with Image.open(profile.avatar.path) as image:
        assert image.format == "WEBP" and image.size == (512, 512)


def test_avatar_exif_and_gps_are_stripped_and_orientation_applied(alice_client, alice):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    buffer = io.BytesIO()
    # A wide image with a red left half: after applying orientation 6 it stands upright.
    image = Image.new("RGB", (800, 400), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 400, 400))
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(buffer.getvalue())) as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really carries GPS

    assert (
        post_avatar(alice_client, upload("me.jpg", buffer.getvalue(), "image/jpeg")).status_code
        == 302
    )
    path = Profile.objects.get(user=alice).avatar.path
    with open(path, "rb") as stored:
        data = stored.read()
    assert b"Exif" not in data and b"SpyCam" not in data
    with Image.open(path) as out:
        assert not out.getexif() and "exif" not in out.info
        # Rotated: the red half is now on top, so the top centre is red.
        r, g, b = out.convert("RGB").getpixel((256, 20))
        assert r > 200 and b < 60


def test_a_second_avatar_replaces_the_first(
    alice_client, alice, django_capture_on_commit_callbacks
):
    post_avatar(alice_client, upload("a.png", image_bytes()))
    first = Profile.objects.get(user=alice).avatar
    first_path = first.path
    # The old file goes only once the new one is committed.
    with django_capture_on_commit_callbacks(execute=True):
        post_avatar(alice_client, upload("b.png", image_bytes(color=(0, 0, 0))))
    second = Profile.objects.get(user=alice).avatar
    assert second.name != first.name
    import os

    assert not os.path.exists(first_path)


def truncated_png():
    data = image_bytes((300, 300), color=(10, 200, 10))
    return data[: len(data) // 2]


def bomb_png():
    # 8000×8000 of one colour compresses to a few kilobytes.
    return image_bytes((8000, 8000), color=(0, 0, 0))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"just some text, not an image", "not an image we can read"),
        ("page.html", b"<html><script>alert(1)</script></html>", "web-page markup"),
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "SVG files are not accepted",
        ),
        ("empty.png", b"", "The submitted file is empty"),
        ("half.png", truncated_png(), "damaged or incomplete"),
        ("tall.png", image_bytes((1, 5000)), "at most 4096 pixels a side"),
        ("bomb.png", bomb_png(), "at most 4096 pixels a side"),
        ("anim.gif", image_bytes((40, 40), fmt="GIF"), "Upload a JPEG, PNG or WebP image"),
        ("scan.tiff", image_bytes((40, 40), fmt="TIFF"), "Upload a JPEG, PNG or WebP image"),
    ],
)
def test_bad_avatars_get_a_clear_error_and_the_old_one_stays(
    alice_client, alice, name, data, message
):
    post_avatar(alice_client, upload("good.png", image_bytes()))
    before = Profile.objects.get(user=alice).avatar.name
    response = post_avatar(alice_client, upload(name, data))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    profile = Profile.objects.get(user=alice)
    assert profile.avatar.name == before and profile.avatar.storage.exists(before)


def test_a_file_over_five_megabytes_is_refused(alice_client, alice):
    big = bytearray(image_bytes()) + bytearray(5 * 1024 * 1024 + 1)
    response = post_avatar(alice_client, upload("big.png", bytes(big)))
    assert response.status_code == 200
    assert "an avatar can be at most 5 MB" in unescape(response.content.decode())
    assert not Profile.objects.get(user=alice).avatar


def test_decompression_bomb_below_the_side_limit_is_refused(alice_client, alice, settings):
    from PIL import Image as PILImage

    old = PILImage.MAX_IMAGE_PIXELS
    PILImage.MAX_IMAGE_PIXELS = 1000  # so a 100×100 image counts as a bomb
    try:
        response = post_avatar(alice_client, upload("b.png", image_bytes((100, 100))))
    finally:
        PILImage.MAX_IMAGE_PIXELS = old
    assert "far too many pixels" in unescape(response.content.decode())
    assert not Profile.objects.get(user=alice).avatar


def test_export_has_everything_the_member_wrote(alice_client, alice):
    review = make_review(author=alice, title="Mine", body="Body 🌱")
    make_comment(review=review, author=alice, body="Self-reply")
    make_collection(owner=alice, title="Lines", quotes=[make_quote()])
    response = alice_client.get("/accounts/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert (
        data["reviews"][0]["title"] == "Mine" and data["reviews"][0]["body_markdown"] == "Body 🌱"
    )
    assert data["comments"][0]["body"] == "Self-reply"
    assert data["collections"][0]["title"] == "Lines" and len(data["collections"][0]["items"]) == 1


def test_delete_account_needs_the_password(alice_client, alice):
    response = alice_client.post("/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 200 and "That is not your password." in response.content.decode()
    assert User.objects.get(pk=alice.pk).is_active


def test_delete_account_anonymises_and_keeps_public_posts(alice_client, alice, bob):
    review = make_review(author=alice, title="Stays")
    make_comment(review=review, author=bob)
    public = make_collection(owner=alice, title="Public one")
    make_collection(owner=alice, title="Secret one", visibility="private")
    alice_client.post("/accounts/settings/", {"display_name": "Alice A.", "bio": "Bio"})

    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(pk=alice.pk)
    assert not user.is_active and user.username.startswith("deleted-") and user.email == ""
    assert not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.bio, profile.deleted_at is not None) == ("", "", True)
    assert Review.objects.get(pk=review.pk).deleted_at is None
    page = alice_client.get(review.get_absolute_url()).content.decode()
    assert "a deleted user" in page and "Alice A." not in page
    assert QuoteCollection.objects.filter(pk=public.pk).exists()
    assert not QuoteCollection.objects.filter(title="Secret one").exists()
    assert alice_client.get("/u/alice/").status_code == 404
    assert not alice_client.login(username="alice", password=PASSWORD)
    # The address is free again for a new account.
    assert signup(alice_client, username="alice2", email="alice@example.com").status_code == 302


def test_a_deleted_account_leaves_no_name_in_the_log_or_the_login_records(alice, alice_client, bob):
    from axes.models import AccessAttempt

    from reviews.moderation import services as moderation
    from reviews.moderation.models import ModerationAction

    review = make_review(author=alice)
    moderation.report_create(reporter=bob, item=review, reason="spam")
    Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="alice").exists()
    alice_client.post("/accounts/delete/", {"password": PASSWORD})
    labels = list(ModerationAction.objects.values_list("target_label", flat=True))
    assert labels and not any("alice" in label.lower() for label in labels)
    assert not AccessAttempt.objects.filter(username="alice").exists()


def test_a_hidden_profiles_avatar_leaves_its_member_chips(alice, moderator):
    from leonsite.accounts.templatetags.members import member_avatar
    from reviews.moderation import services as moderation

    Profile.objects.filter(user=alice).update(avatar="avatars/alice.webp")
    alice = User.objects.get(pk=alice.pk)
    assert member_avatar(alice).endswith("avatars/alice.webp")
    moderation.decide(moderator=moderator, item=alice.profile, action="hide", reason="Rude.")
    review = make_review(author=User.objects.get(pk=alice.pk))
    page = Client().get(review.get_absolute_url()).content.decode()
    assert "avatars/alice.webp" not in page


def test_a_member_deactivated_in_the_admin_leaves_visitors_cached_pages_at_once(rf):
    from django.contrib import admin

    member = make_user("cora")
    make_review(author=member)
    visitor = Client()
    assert visitor.get("/u/cora/").status_code == 200  # now cached for visitors
    member.is_active = False
    admin.site.get_model_admin(get_user_model()).save_model(rf.post("/"), member, None, True)
    assert visitor.get("/u/cora/").status_code == 404


@pytest.mark.django_db
def test_a_signed_in_request_reads_its_member_and_profile_in_one_query(
    client, django_assert_num_queries
):
    member = make_user("one-query-fan")
    assert client.login(username="one-query-fan", password=PASSWORD)
    caches["members"].clear()
    # The session (unless the cache holds it), then the account with its profile...
    with django_assert_num_queries(session_queries() + 1):
        response = client.get("/robots.txt")
    assert response.wsgi_request.user == member
    # ...which this process keeps from then on.
    with django_assert_num_queries(session_queries()):
        response = client.get("/robots.txt")
    assert response.wsgi_request.user == member


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["suspend", "password", "deactivate"])
def test_a_change_to_the_account_is_read_on_the_next_request(client, change):
    """The process's copy of a member is kept under versions their writes move: a
    suspension (the profile), a new password or a deactivation (the account) ends the
    session on the next request."""
    member = make_user("changing-fan")
    assert client.login(username="changing-fan", password=PASSWORD)
    client.get("/robots.txt")
    assert client.get("/robots.txt").wsgi_request.user == member
    if change == "suspend":
        Profile.objects.filter(user=member).update(
            suspended_until=timezone.now() + timedelta(days=1)
        )
    elif change == "password":
        member.set_password("a-new-password-for-leon")
        member.save()
    else:
        member.is_active = False
        member.save()
    response = client.get("/films/")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_wrong_password_is_checked_once(client, monkeypatch):
    make_user("checked-once-fan")
    checks = []
    check = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda user, raw: checks.append(raw) or check(user, raw)
    )
    response = client.post(
        "/accounts/login/", {"username": "checked-once-fan", "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert checks == ["not-the-password"]
    assert client.login(username="checked-once-fan", password=PASSWORD)


@pytest.mark.django_db
def test_a_confirmed_sign_up_starts_its_session_under_the_members_backend(
    client, mailoutbox, sign_up
):
    sign_up(client)
    client.post(confirmation_link(mailoutbox[0]))
    assert client.session[BACKEND_SESSION_KEY] == "leonsite.accounts.security.MemberBackend"


@pytest.mark.django_db
def test_a_session_started_under_djangos_own_backend_stays_signed_in(client):
    member = make_user("older-session-fan")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/accounts/settings/")
    assert response.status_code == 200
    assert response.wsgi_request.user == member
