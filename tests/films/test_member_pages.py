"""Members' own copies of pages: served again only while nothing they show has changed,
never to anyone else, never with another session's forms."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leonsite.accounts import security
from leonsite.accounts.models import Profile
from reviews import diary, notifications, services
from reviews.models import Notification
from tests.factories import (
    make_moderator,
    make_review,
    make_rich_film,
    make_user,
    session_queries,
)

pytestmark = pytest.mark.django_db


def hit_queries() -> int:
    """A copy served still costs loading the session (the member, with their profile, is
    read from this process's copy of them: see tests/accounts)."""
    return session_queries()


@pytest.fixture
def film(settings):
    film = make_rich_film()
    settings.FEATURED_FILM_SLUG = film.slug
    return film


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return unescape(response.content.decode())


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        read(client, url)
    return len(queries)


def from_copy(client, url, status=200) -> bool:
    """Whether the page came from the member's copy: no template was rendered."""
    response = client.get(url)
    assert response.status_code == status
    return not response.templates


def warm(client, url):
    """The first read hands out the CSRF cookie (nothing is kept without it), the
    second is kept."""
    read(client, url)
    read(client, url)


@pytest.fixture(autouse=True)
def _no_member_copies():
    caches["member-pages"].clear()


def test_a_members_second_read_comes_from_their_copy(film):
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    assert queries_for(member, url) == hit_queries()
    kept = [key.split(":", 2)[2] for key in caches["member-pages"]._cache]
    assert kept
    assert all(cache.get(key) is None for key in kept)  # never in the shared cache


def test_a_copy_is_never_anothers(film):
    author = make_user()
    make_review(author=author, film=film)
    alice, bob = signed_in(author), signed_in(make_user())
    url = film.get_absolute_url()
    warm(alice, url)
    warm(bob, url)
    assert "Edit your review" in read(alice, url)
    assert "Edit your review" not in read(bob, url)


def test_a_members_own_write_shows_at_once(film):
    user = make_user()
    member = signed_in(user)
    url = film.get_absolute_url()
    warm(member, url)
    assert "On your watchlist." not in read(member, url)
    diary.watchlist_add(user=user, film=film)
    assert "On your watchlist." in read(member, url)
    diary.watchlist_remove(user=user, film=film)
    assert "On your watchlist." not in read(member, url)


def test_another_members_write_shows_at_once(film):
    author, fan = make_user(), make_user()
    review = make_review(author=author, film=film, body="A long look at the film.")
    member = signed_in(author)
    url = "/notifications/"
    warm(member, url)
    services.like(user=fan, item=review)
    assert fan.username in read(member, url)


def test_a_bulk_write_outside_the_namespaces_shows_at_once(film):
    """Marking every notification read is one UPDATE, with no model signal."""
    author, fan = make_user(), make_user()
    review = make_review(author=author, film=film)
    services.like(user=fan, item=review)
    member = signed_in(author)
    url = film.get_absolute_url()
    warm(member, url)
    badge = 'notification-badge">1<'
    assert badge in read(member, url)
    assert notifications.mark_all_read(user=author) == 1
    assert badge not in read(member, url)
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()


def test_a_change_to_the_account_from_the_admin_shows_at_once(film):
    """A group a member joins is a many-to-many write on the user model, which no
    namespace of the catalogue's or the community's watches."""
    user = make_user()
    member = signed_in(user)
    url = film.get_absolute_url()
    warm(member, url)
    before = cache.get("cache-version:members")
    user.groups.add(Group.objects.create(name="Testers"))
    assert cache.get("cache-version:members") != before
    assert not from_copy(member, url)


def test_staff_are_always_rendered(film):
    member = signed_in(make_moderator())
    url = film.get_absolute_url()
    warm(member, url)
    assert not from_copy(member, url)


def test_a_waiting_message_is_rendered_not_served_from_a_copy(film):
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    member.cookies["messages"] = "a pending message"
    assert not from_copy(member, url)


def test_a_copy_goes_with_the_csrf_secret_its_forms_carry(film):
    """Logging in again rotates the secret: the old copy's tokens would be refused."""
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    member.cookies["csrftoken"] = "x" * 32
    response = member.get(url)
    assert response.templates  # rendered afresh for the new secret...
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', response.content.decode())
    assert _unmask_cipher_token(token.group(1)) == "x" * 32
    assert from_copy(member, url)  # ...and kept from then on


def test_a_copy_renews_the_csrf_cookie_as_rendering_does(film):
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    secret = member.cookies["csrftoken"].value
    response = member.get(url)
    assert response.cookies["csrftoken"].value == secret


def test_a_copy_of_a_post_is_never_kept(film):
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    response = member.post(
        f"/films/{film.slug}/watchlist/", {"action": "add", "next": url}, follow=True
    )
    assert response.status_code == 200
    assert "On your watchlist." in read(member, url)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/activity/", True),
        ("/activity/?before=", True),
        ("/activity/?since=yesterday", False),  # not the feed's: rendered every time
        ("/notifications/", True),
        ("/notifications/?page=2", True),
        ("/notifications/?utm_source=mail", False),
    ],
)
def test_a_members_own_pages_are_kept_for_the_queries_they_take(film, url, kept):
    member = signed_in(make_user())
    read(member, url)
    read(member, url)
    assert from_copy(member, url) is kept


def test_a_suspended_member_gets_no_copy(film, monkeypatch):
    """The account's state is checked before any copy is served, whatever the copy."""
    member = signed_in(make_user())
    url = film.get_absolute_url()
    warm(member, url)
    assert from_copy(member, url)
    monkeypatch.setattr(Profile, "is_suspended", property(lambda profile: True))
    monkeypatch.setattr(security, "suspension_message", lambda profile: "Suspended.")
    response = member.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
