"""The watchlist: one click from the film header, its page, and who may see it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from films.models import Film
from reviews import diary
from reviews.models import WatchlistItem
from tests.factories import make_film, make_user
from tests.reviews.film_life_cells import WHO_SEES, answers

pytestmark = pytest.mark.django_db


def url(film):
    return f"/films/{film.slug}/watchlist/"


def page_url(user):
    return f"/u/{user.username}/watchlist/"


def test_add_and_remove_are_idempotent(alice, film):
    assert diary.watchlist_add(user=alice, film=film)
    assert not diary.watchlist_add(user=alice, film=film)
    assert WatchlistItem.objects.filter(user=alice).count() == 1
    assert diary.watchlist_remove(user=alice, film=film)
    assert not diary.watchlist_remove(user=alice, film=film)


def test_the_header_form_adds_and_goes_back_without_javascript(alice_client, alice, film):
    response = alice_client.post(url(film), {"action": "add", "next": film.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == film.get_absolute_url()
    assert WatchlistItem.objects.filter(user=alice, film=film).exists()
    page = alice_client.get(film.get_absolute_url()).content.decode()
    assert "is on your watchlist" in page  # the flash message
    assert "Remove from watchlist" in page


def test_the_header_form_answers_the_script_with_json(alice_client, alice, film):
    response = alice_client.post(url(film), {"action": "add"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert "on your watchlist" in data["message"]
    assert "Remove from watchlist" in data["html"]
    response = alice_client.post(url(film), {"action": "remove"}, HTTP_ACCEPT="application/json")
    assert "Add to watchlist" in response.json()["html"]
    assert not WatchlistItem.objects.exists()


def test_a_next_elsewhere_is_never_followed(alice_client, film):
    response = alice_client.post(url(film), {"action": "add", "next": "https://evil.example/"})
    assert response["Location"] == film.get_absolute_url()


@pytest.mark.parametrize("data", [{}, {"action": "steal"}])
def test_a_bad_action_is_a_400(alice_client, film, data):
    assert alice_client.post(url(film), data).status_code == 400
    assert alice_client.post(url(film), data, HTTP_ACCEPT="application/json").status_code == 400
    assert not WatchlistItem.objects.exists()


def test_permission_cells_of_the_form(film):
    anonymous = Client().post(url(film), {"action": "add"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    member = Client()
    member.force_login(make_user())
    assert member.get(url(film)).status_code == 405
    assert member.post("/films/no-such-film/watchlist/", {"action": "add"}).status_code == 404
    assert not WatchlistItem.objects.exists()


def test_csrf_is_checked(alice, film):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(url(film), {"action": "add"}).status_code == 403


def test_adding_is_rate_limited(alice_client, film, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "watchlist": {"user": ["2/m"]}}
    for _n in range(2):
        assert alice_client.post(url(film), {"action": "add"}).status_code == 302
    assert alice_client.post(url(film), {"action": "remove"}).status_code == 429


def test_the_page_lists_newest_first_and_the_owner_can_remove(alice, alice_client, film):
    older = make_film(title="Nikita", year=1990)
    diary.watchlist_add(user=alice, film=older)
    diary.watchlist_add(user=alice, film=film)
    page = Client().get(page_url(alice)).content.decode()
    assert page.index(film.title) < page.index("Nikita")
    assert "Remove" not in page
    own = alice_client.get(page_url(alice)).content.decode()
    assert 'name="action" value="remove"' in own


@WHO_SEES
def test_who_sees_a_watchlist(alice, bob, film, visibility, expected):
    diary.watchlist_add(user=alice, film=film)
    diary.visibility_update(user=alice, diary_visibility="public", watchlist_visibility=visibility)
    assert answers(alice, bob, page_url(alice)) == expected


def _fill(user, n):
    films = Film.objects.bulk_create(
        Film(title=f"Film {user.pk}-{i}", slug=f"film-{user.pk}-{i}", year=1994) for i in range(n)
    )
    WatchlistItem.objects.bulk_create(WatchlistItem(user=user, film=film) for film in films)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_runs_the_same_queries_at_10_and_1000_items(signed_in):
    small, large = make_user(), make_user()
    _fill(small, 10)
    _fill(large, 1000)
    client = Client()
    if signed_in:
        client.force_login(make_user())
    client.get(page_url(small))
    counts = []
    for owner in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page_url(owner)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= (9 if signed_in else 5)  # signed in: whether the owner blocks the reader
