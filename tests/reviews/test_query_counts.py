"""Community pages run a fixed number of queries, however many rows they show."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leonsite.accounts.models import Profile
from reviews.models import CollectionItem, FilmRatingStats, QuoteCollection, Review
from reviews.services import stats_recompute
from tests.factories import (
    forget_members,
    make_collection,
    make_comment,
    make_film,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

BUDGETS = {
    "film": 17,  # the catalogue's film page (tests/films) with the community summary
    # Signed in: + session, user, profile (nav name) and the member's own review.
    "film-member": 18,
    "home-member": 22,
    "reviews": 10,
    "review": 8,
    "collection": 8,
    "profile": 10,
    "collections": 6,
    "home": 21,
    "feed": 5,  # signed in: session, user, profile (suspension check), film, reviews
}


def bulk_reviews(film, n, authors=None):
    """n reviews written straight to the table (bulk_create), then the stats rebuilt."""
    authors = authors or [
        User(username=f"bulk{film.pk}-{i}", email=f"bulk{film.pk}-{i}@example.com")
        for i in range(n)
    ]
    if not authors[0].pk:
        authors = User.objects.bulk_create(authors)
        Profile.objects.bulk_create(
            [Profile(user=u, display_name=u.username.upper()) for u in authors]
        )
    Review.objects.bulk_create(
        [
            Review(
                author=author,
                film=film,
                rating=(i % 10) + 1,
                title=f"Review {i}",
                body_html=f'<p>Body {i} <span class="spoiler" tabindex="0">x</span></p>',
                body=f"Body {i} ||x||",
                is_spoiler=i % 7 == 0,
            )
            for i, author in enumerate(authors[:n])
        ]
    )
    stats_recompute(film=film)


def count(client, url):
    forget_members()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_film_page_with_a_thousand_reviews(client, settings, django_assert_max_num_queries):
    small, big = make_film(), make_film()
    bulk_reviews(small, 5)
    bulk_reviews(big, 1000)
    assert FilmRatingStats.objects.get(film=big).count == 1000
    settings.FEATURED_FILM_SLUG = small.slug
    assert count(client, small.get_absolute_url()) == count(client, big.get_absolute_url())
    with django_assert_max_num_queries(BUDGETS["film"]):
        page = client.get(big.get_absolute_url()).content.decode()
    assert "Average of 1000 ratings" in page
    settings.FEATURED_FILM_SLUG = big.slug
    with django_assert_max_num_queries(BUDGETS["home"]):
        client.get("/")
    client.force_login(make_user())
    assert count(client, small.get_absolute_url()) == count(client, big.get_absolute_url())
    with django_assert_max_num_queries(BUDGETS["film-member"]):
        client.get(big.get_absolute_url())
    with django_assert_max_num_queries(BUDGETS["home-member"]):
        client.get("/")


@pytest.mark.parametrize("logged_in", [False, True])
def test_review_list_review_page_and_feed(client, logged_in, django_assert_max_num_queries):
    small, big = make_film(), make_film()
    bulk_reviews(small, 5)
    bulk_reviews(big, 60)
    if logged_in:
        client.force_login(make_user())
    for kind, url in [
        ("reviews", "/films/{}/reviews/"),
        ("reviews", "/films/{}/reviews/?sort=liked&rating=4"),
        ("feed", "/films/{}/feed/"),
    ]:
        n_small = count(client, url.format(small.slug))
        n_big = count(client, url.format(big.slug))
        assert n_small == n_big, url
        assert n_big <= BUDGETS[kind], (url, n_big)
    review = Review.objects.filter(film=big).first()
    few = Review.objects.filter(film=small).first()
    for i in range(30):
        make_comment(review=review, author=make_user(), body=f"c{i}")
    make_comment(review=few, author=make_user())
    assert count(client, few.get_absolute_url()) == count(client, review.get_absolute_url())
    with django_assert_max_num_queries(BUDGETS["review"]):
        client.get(review.get_absolute_url())


def test_collection_of_a_hundred_quotes(client, django_assert_max_num_queries):
    film = make_film()
    quotes = [make_quote(film) for _ in range(100)]
    owner = make_user()
    few = make_collection(owner=owner, quotes=quotes[:5])
    many = make_collection(owner=owner)
    CollectionItem.objects.bulk_create(
        [CollectionItem(collection=many, quote=q, position=i) for i, q in enumerate(quotes, 1)]
    )
    QuoteCollection.objects.filter(pk=many.pk).update(item_count=100)
    for viewer in (None, owner):
        if viewer:
            client.force_login(viewer)
        assert count(client, few.get_absolute_url()) == count(client, many.get_absolute_url())
        with django_assert_max_num_queries(BUDGETS["collection"]):
            page = client.get(many.get_absolute_url()).content.decode()
        assert page.count('class="collection-item"') == 100
    with django_assert_max_num_queries(BUDGETS["collections"]):
        client.get("/collections/")


def test_quotes_page_with_add_forms_reads_my_collections_once(client):
    film = make_film()
    member = make_user()
    for i in range(3):
        make_collection(owner=member, title=f"C{i}")
    client.force_login(member)
    make_quote(film)
    one = count(client, f"/films/{film.slug}/quotes/")
    for _ in range(20):
        make_quote(film)
    assert count(client, f"/films/{film.slug}/quotes/") == one


def test_profile_with_two_hundred_reviews(client, django_assert_max_num_queries):
    few_author, many_author = make_user(), make_user()
    for author, n in [(few_author, 5), (many_author, 200)]:
        films = [make_film() for _ in range(n)]
        Review.objects.bulk_create(
            [Review(author=author, film=f, rating=5, title=f"T{f.pk}") for f in films]
        )
        make_collection(owner=author)
    assert count(client, f"/u/{few_author.username}/") == count(
        client, f"/u/{many_author.username}/"
    )
    with django_assert_max_num_queries(BUDGETS["profile"]):
        page = client.get(f"/u/{many_author.username}/").content.decode()
    assert page.count('class="review-item"') == 20
