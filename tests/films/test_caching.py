"""Cached fragments never show stale facts: every write shows on the next request."""

from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from films.models import Film, Genre
from leonsite.lib import caching
from reviews import services
from reviews.moderation import services as moderation
from tests.factories import make_cast_credit, make_person, make_review, make_rich_film, make_user

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def film(settings):
    film = make_rich_film()
    settings.FEATURED_FILM_SLUG = film.slug
    return film


def warm(client, *urls):
    """Render the pages twice, so the second reads from the cache."""
    for url in urls:
        page(client, url)
        page(client, url)


def test_a_curator_edit_shows_at_once(client, film, django_assert_max_num_queries):
    url = film.get_absolute_url()
    warm(client, url, "/")
    with django_assert_max_num_queries(1):
        page(client, url)

    assert "Full cast and crew (10 actors)" in page(client, url)
    film.title = "Léon: Version Intégrale"
    film.save()
    make_cast_credit(film, make_person(name="Ellen Greene"))
    film.genres.add(Genre.objects.create(name="Neo-noir", slug="neo-noir"))

    for shown in (page(client, url), page(client, "/")):
        assert '<h1 class="film-title">Léon: Version Intégrale</h1>' in shown
        assert "Full cast and crew (11 actors)" in shown
        assert "Neo-noir" in shown


def test_a_deleted_fact_goes_at_once(client, film):
    url = film.get_absolute_url()
    warm(client, url)
    assert "Full cast and crew (10 actors)" in page(client, url)
    film.credits.get(billing_order=1).delete()
    assert "Full cast and crew (9 actors)" in page(client, url)


def test_reviews_likes_edits_and_hides_show_at_once(client, film, moderator):
    url = film.get_absolute_url()
    warm(client, url, "/")
    assert "No ratings yet" in page(client, url)

    review = make_review(film=film, rating=9, title="A perfect siege")
    shown = page(client, url)
    assert "1 rating so far" in shown and "A perfect siege" in shown
    assert "A perfect siege" in page(client, "/")

    services.review_update(
        review=review, rating=3, title="Second thoughts", body="", is_spoiler=False
    )
    assert "Second thoughts" in page(client, url)

    services.like(user=make_user(), item=review)
    assert "1 like" in page(client, url)

    moderation.decide(moderator=moderator, item=review, action="hide", reason="Spam.")
    for shown in (page(client, url), page(client, "/")):
        assert "Second thoughts" not in shown
    assert "No ratings yet" in page(client, url)


def test_a_member_never_sees_another_members_fragment(client, film):
    alice, bob = make_user(), make_user()
    make_review(author=alice, film=film)
    client.force_login(alice)
    warm(client, film.get_absolute_url())
    assert "Edit your review" in page(client, film.get_absolute_url())
    client.force_login(bob)
    shown = page(client, film.get_absolute_url())
    assert "Edit your review" not in shown and "Write a review" in shown
    client.logout()
    assert "Edit your review" not in page(client, film.get_absolute_url())


def test_a_lost_version_never_brings_back_old_fragments(client, film):
    url = film.get_absolute_url()
    warm(client, url)
    # A write the signals cannot see, then the version key lost (evicted, a restart).
    Film.objects.filter(pk=film.pk).update(title="Renamed behind our back")
    heading = '<h1 class="film-title">Renamed behind our back</h1>'
    assert heading not in page(client, url)
    cache.delete("cache-version:catalogue")
    assert heading in page(client, url)


def test_a_rolled_back_write_leaves_the_pages_right(client, film):
    url = film.get_absolute_url()
    warm(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        Film.objects.get(pk=film.pk).credits.get(billing_order=1).delete()
        raise RuntimeError
    assert "Full cast and crew (10 actors)" in page(client, url)


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_again_when_the_write_commits():
    before = caching.version("catalogue")
    with transaction.atomic():
        Genre.objects.create(name="Thriller", slug="thriller")
        during = caching.version("catalogue")
    after = caching.version("catalogue")
    assert before < during < after


def test_the_cached_review_list_follows_every_review(client, film):
    url = f"/films/{film.slug}/reviews/"
    make_review(film=film, title="First in")
    warm(client, url, url + "?sort=highest")
    assert "First in" in page(client, url)
    make_review(film=film, rating=10, title="Second in")
    assert "Second in" in page(client, url)
    assert "Second in" in page(client, url + "?sort=highest")
    assert "2 reviews" in page(client, url)


def test_the_review_list_counts_from_the_rating_statistics(client, film):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for rating in (2, 8, 8):
        make_review(film=film, rating=rating)
    with CaptureQueriesContext(connection) as queries:
        shown = page(client, f"/films/{film.slug}/reviews/?rating=8")
    assert "2 reviews rated 4 stars" in shown
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_a_catalogue_edit_shows_on_every_cached_page(client, film):
    urls = [
        film.get_absolute_url() + part for part in ("cast/", "soundtrack/", "trivia/", "scenes/")
    ]
    warm(client, *urls)
    credit = film.credits.get(billing_order=1)
    credit.person.name = "Renamed Person"
    credit.person.save()
    credit.character.name = "Renamed Character"
    credit.character.save()
    expected = ["Renamed Character", "Renamed Person", "Renamed Person", "Renamed Character"]
    for url, name in zip(urls, expected, strict=True):
        assert name in page(client, url), url


def test_visitors_get_whole_pages_from_the_cache_members_never(client, film):
    url = film.get_absolute_url()
    warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    assert len(queries) == 0
    for bypass in (url + "?utm_source=x", url):
        client.cookies["messages"] = "a pending message" if bypass == url else ""
        with CaptureQueriesContext(connection) as queries:
            client.get(bypass)
        assert len(queries) > 0, bypass
    author = make_user()
    make_review(author=author, film=film)
    member = Client()
    member.force_login(author)
    assert "Edit your review" in page(member, url)
    assert "Edit your review" not in page(Client(), url)


def test_a_page_that_hands_out_a_csrf_token_is_not_stored(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    calls = []

    @caching.cache_for_visitors("catalogue")
    def view(request):
        calls.append(1)
        return HttpResponse(get_token(request) if request.path == "/form/" else "plain")

    for path in ("/form/", "/form/", "/plain/", "/plain/"):
        response = view(rf.get(path))
        assert response.status_code == 200
        assert "Cookie" in response["Vary"]
    assert len(calls) == 3  # the form twice, the plain page once
