"""Cached fragments never show stale facts: every write shows on the next request."""

import pydoc
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
from tests.factories import (
    make_cast_credit,
    make_collection,
    make_person,
    make_review,
    make_rich_film,
    make_user,
)

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


def test_a_cached_page_comes_with_the_headers_it_was_served_with(client, film, monkeypatch):
    """A cached copy is answered before the middleware that set the security policy, the
    frame options and the language: it must carry them all the same."""
    url = film.get_absolute_url()
    first = client.get(url)
    rendered = []
    monkeypatch.setattr("films.views.selectors.film_page", lambda *a: rendered.append(a))
    again = client.get(url)
    assert again.status_code == 200 and not rendered
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert again[header] == first[header], header
    assert "Cookie" in again["Vary"]


def test_a_variant_that_cannot_read_the_database_leaves_the_view_to_answer(
    client, film, monkeypatch
):
    from django.db import OperationalError

    def unreachable(*args):
        raise OperationalError("connection refused")

    scene = film.scenes.order_by("order").first()
    client.cookies["watched"] = f"{film.slug}:{scene.pk}"
    monkeypatch.setattr("films.progress.selectors.scene_orders", unreachable)
    assert client.get(film.get_absolute_url()).status_code == 503


def test_a_page_that_hands_out_a_csrf_token_is_not_stored(rf, visitor_cached):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    calls = []

    @caching.cache_for_visitors("catalogue")
    def view(request):
        calls.append(1)
        return HttpResponse(get_token(request) if request.path == "/form/" else "plain")

    serve = visitor_cached(view)
    for path in ("/form/", "/form/", "/plain/", "/plain/"):
        response = serve(rf.get(path))
        assert response.status_code == 200
        assert "Cookie" in response["Vary"]
    assert len(calls) == 3  # the form twice, the plain page once


def test_pages_spanning_films_are_cached_for_visitors_without_progress(client, film):
    """A person's page, a quote's, a collection's and the reviews feed: whole from the
    cache for a visitor who has marked no progress; rendered for one who has (their
    spoilers depend on films the URL does not name), and for members."""
    person = film.credits.filter(character__isnull=False).first().person
    quote = film.quotes.first()
    collection = make_collection(quotes=[quote])
    urls = [
        person.get_absolute_url(),
        quote.get_absolute_url(),
        collection.get_absolute_url(),
        f"/films/{film.slug}/feed/",
    ]
    warm(client, *urls)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        assert len(queries) == 0, url
    scene = film.scenes.order_by("order").first()
    watcher = Client()
    watcher.cookies["watched"] = f"{film.slug}:{scene.pk}"
    warm(watcher, *urls[:3])
    for url in urls[:3]:
        with CaptureQueriesContext(connection) as queries:
            page(watcher, url)
        assert len(queries) > 0, url
    services.collection_update(
        collection=collection, title="Renamed for the visitors", description="", visibility="public"
    )
    assert "Renamed for the visitors" in page(client, collection.get_absolute_url())


def test_a_workers_own_copy_goes_when_another_worker_writes(client, film):
    """Each process keeps its own copy of a page beside the shared one. A write in
    another worker moves the shared version on, which every request reads: the copy
    kept here is not served again, and a fresh shared copy is preferred to rendering."""
    from django.core.cache import caches

    url = film.get_absolute_url()
    warm(client, url)
    cache.incr("cache-version:catalogue")  # as another worker's write would
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    assert len(queries) > 0
    caches["pages"].clear()  # a worker that never served it: the shared copy is fresh
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("url", "rendering", "namespace"),
    [
        ("/search/?q=leon", "leonsite.views.search_engine.search", "search-index"),
        ("/search/suggest/?q=mat", "leonsite.views.search_engine.suggest", "search-index"),
        (
            "/films/{slug}/reviews/?sort=highest&page=2",
            "reviews.views.selectors.film_reviews_page",
            "catalogue",
        ),
    ],
)
def test_a_page_a_query_selects_is_kept_in_the_process_only(
    client, film, url, rendering, namespace, monkeypatch
):
    """Search, its suggestions and a sorted list: cached when their form accepts the
    query, in each process's own bounded cache only (a stream of queries must not fill
    the shared one); an unknown or repeated parameter is rendered every time."""
    from django.core.cache import caches

    calls = []
    real = pydoc.locate(rendering)
    monkeypatch.setattr(rendering, lambda *a, **k: calls.append(1) or real(*a, **k))

    def renders(url):
        before = len(calls)
        page(client, url)
        return len(calls) > before

    url = url.format(slug=film.slug)
    assert renders(url)
    assert not renders(url)
    caches["pages"].clear()
    assert renders(url)  # not served from the shared cache
    for odd in (url + "&utm_source=x", url + "&" + url.split("?")[1].split("&")[0]):
        assert renders(odd) and renders(odd), odd
    caching.bump(namespace)
    assert renders(url)


def test_a_query_the_form_refuses_is_not_cached(client, film):
    url = f"/films/{film.slug}/reviews/?sort=loudest"
    warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0


def test_a_cached_search_follows_the_index_not_the_write(client, film):
    """The index takes a write in only after it commits, once the write's own versions
    have moved on: a search read in between must not be kept past the index's change."""
    from films import search

    person = make_person(name="Zebulon Quartermaine")  # the index follows at commit
    for url in ("/search/?q=quartermaine", "/search/suggest/?q=quartermaine"):
        warm(client, url)
        assert "Zebulon" not in page(client, url)
    search.reindex("person", [person.pk])
    search.refresh_words()
    assert "Zebulon Quartermaine" in page(client, "/search/?q=quartermaine")
    assert "Zebulon Quartermaine" in page(client, "/search/suggest/?q=quartermaine")
