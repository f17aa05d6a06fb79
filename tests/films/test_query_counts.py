"""Every catalogue page runs a fixed number of queries, however many rows it shows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.models import Character, Credit, Person, Quote
from tests.factories import make_rich_film

pytestmark = pytest.mark.django_db

# The budget of each page; the same at 1x and 10x the rows.
BUDGETS = {
    # + the rating summary and the latest reviews (the community's block), and the scenes
    # of the "how far have you watched" form, and the film's pictures
    "film": 19,
    "cast": 4,
    "soundtrack": 6,
    "quotes": 5,
    "trivia": 11,
    "scenes": 9,  # + the film's cuts, for the timecodes
    "character": 8,
    "person": 8,
    "quote": 6,
    "film-list": 4,
    "home": 23,  # + latest reviews and popular collections (the community's block)
    "search": 8,
    "sitemap": 9,
}


def urls_for(film):
    base = film.get_absolute_url()
    character = Character.objects.filter(film=film, credits__isnull=False).first()
    person = Person.objects.filter(credits__film=film, credits__role=Credit.Role.CAST).first()
    quote = Quote.objects.filter(film=film).first()
    return {
        "film": base,
        "cast": base + "cast/",
        "soundtrack": base + "soundtrack/",
        "quotes": base + "quotes/",
        "trivia": base + "trivia/",
        "scenes": base + "scenes/",
        "character": character.get_absolute_url(),
        "person": person.get_absolute_url(),
        "quote": quote.get_absolute_url(),
        "film-list": "/films/",
        "home": "/",
        "search": "/search/?q=line",
        "sitemap": "/sitemap.xml",
    }


def count_queries(client, url, *, warm=False):
    """Queries of one request; cold (an empty cache, the worst case) unless warm."""
    if not warm:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(client, settings):
    small = make_rich_film(scale=1)
    big = make_rich_film(scale=10)
    settings.FEATURED_FILM_SLUG = small.slug
    small_counts = {page: count_queries(client, url) for page, url in urls_for(small).items()}
    settings.FEATURED_FILM_SLUG = big.slug
    big_counts = {page: count_queries(client, url) for page, url in urls_for(big).items()}

    assert big_counts == small_counts
    over = {page: n for page, n in big_counts.items() if n > BUDGETS[page]}
    assert not over, f"over budget: {over} (budgets {BUDGETS})"


# Served again from the cached fragments, a page reads only the film (QUALITY P3 asks
# for at most 8 on the film page).
WARM_BUDGETS = {"film": 1, "home": 1, "cast": 1, "soundtrack": 1, "trivia": 1, "scenes": 1}


@pytest.mark.parametrize("page", sorted(WARM_BUDGETS))
def test_cached_pages_skip_the_catalogue_queries(client, settings, page):
    film = make_rich_film(scale=10)
    settings.FEATURED_FILM_SLUG = film.slug
    url = urls_for(film)[page]
    cold = count_queries(client, url)
    warm = count_queries(client, url, warm=True)
    assert warm <= WARM_BUDGETS[page] < cold
    assert client.get(url).content == client.get(url).content


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_each_page_stays_within_budget_with_ten_times_the_rows(
    client, settings, django_assert_max_num_queries, page
):
    film = make_rich_film(scale=10)
    settings.FEATURED_FILM_SLUG = film.slug
    url = urls_for(film)[page]
    with django_assert_max_num_queries(BUDGETS[page]):
        assert client.get(url).status_code == 200
