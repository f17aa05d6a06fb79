"""A superuser's edits in the admin go through the same services as the site's forms:
statistics, counters, screening and the cache stay right whoever edits."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from reviews.models import Comment, FilmRatingStats, QuoteCollection, Review
from tests.factories import (
    PASSWORD,
    make_collection,
    make_comment,
    make_film,
    make_quote,
    make_review,
    make_watched_word,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(db):
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(root)
    return client


def review_form(review, **changes):
    data = {
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "is_spoiler": "on" if review.is_spoiler else "",
    }
    return {key: value for key, value in {**data, **changes}.items() if value != ""}


def stats_of(film):
    stats = FilmRatingStats.objects.get(film=film)
    return stats.count, stats.total, stats.buckets


def test_changing_a_rating_in_the_admin_moves_the_film_statistics(root_client, alice):
    film = make_film()
    review = make_review(author=alice, film=film, rating=8)
    response = root_client.post(f"/admin/reviews/review/{review.pk}/change/", review_form(
        review, rating=2))  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.rating == 2
    assert stats_of(film) == (1, 2, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0])


def test_the_film_and_author_of_a_review_cannot_be_changed_in_the_admin(root_client, alice, bob):
    film, other = make_film(), make_film()
    review = make_review(author=alice, film=film, rating=8)
    data = review_form(review, title="Fixed typo", film=other.pk, author=bob.pk)
    root_client.post(f"/admin/reviews/review/{review.pk}/change/", data)
    review.refresh_from_db()
    assert (review.film, review.author, review.title) == (film, alice, "Fixed typo")
    assert stats_of(film)[0] == 1
    assert not FilmRatingStats.objects.filter(film=other, count__gt=0).exists()


def test_a_blocked_word_in_an_admin_edit_is_a_form_error_and_saves_nothing(root_client, alice):
    review = make_review(author=alice, title="Fine", body="Fine words.")
    make_watched_word("pills", action="block")
    response = root_client.post(
        f"/admin/reviews/review/{review.pk}/change/", review_form(review, body="Buy pills")
    )
    assert response.status_code == 200
    assert "not allowed on this site" in response.content.decode()
    review.refresh_from_db()
    assert review.body == "Fine words."


def test_editing_a_hidden_review_keeps_it_out_of_the_statistics(root_client, alice, moderator):
    from reviews.moderation import services as moderation

    film = make_film()
    review = make_review(author=alice, film=film, rating=8)
    moderation.decide(moderator=moderator, item=review, action="hide", reason="Rude.")
    root_client.post(
        f"/admin/reviews/review/{review.pk}/change/", review_form(review, rating=4, title="x")
    )
    assert stats_of(film)[0] == 0
    moderation.decide(moderator=moderator, item=review, action="restore", reason="Fine.")
    assert stats_of(film) == (1, 4, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0])


def test_comments_and_collections_are_edited_through_their_services(root_client, alice):
    comment = make_comment(author=alice, body="Frist")
    root_client.post(f"/admin/reviews/comment/{comment.pk}/change/", {"body": "First"})
    comment.refresh_from_db()
    assert comment.body == "First"

    collection = make_collection(owner=alice, quotes=[make_quote()], title="Lines")
    data = {
        "title": "Best lines",
        "description": "",
        "visibility": "public",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": str(collection.items.get().pk),
        "items-0-collection": str(collection.pk),
    }
    response = root_client.post(f"/admin/reviews/quotecollection/{collection.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    collection.refresh_from_db()
    assert (collection.title, collection.item_count) == ("Best lines", 1)


def test_likes_and_statistics_are_read_only_in_the_admin(root_client, alice):
    review = make_review(author=alice)
    for path in (
        f"/admin/reviews/filmratingstats/{review.film_id}/change/",
        "/admin/reviews/reviewlike/add/",
        "/admin/reviews/review/add/",
    ):
        response = root_client.post(path, {})
        assert response.status_code == 403, path


def test_the_statistics_action_repairs_a_drift(root_client, alice):
    film = make_film()
    make_review(author=alice, film=film, rating=6)
    FilmRatingStats.objects.filter(film=film).update(count=9, total=90)
    response = root_client.post(
        "/admin/reviews/filmratingstats/",
        {"action": "recompute", "_selected_action": [film.pk]},
    )
    assert response.status_code == 302
    assert stats_of(film) == (1, 6, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0])


def test_deleting_a_member_in_the_admin_anonymises_them_and_keeps_their_posts(root_client, alice):
    film = make_film()
    review = make_review(author=alice, film=film, rating=8)
    make_collection(owner=alice, title="Secret", visibility="private")
    response = root_client.post(f"/admin/auth/user/{alice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active and alice.username.startswith("deleted-")
    assert Review.objects.filter(pk=review.pk).exists()
    assert stats_of(film)[0] == 1
    assert not QuoteCollection.objects.filter(title="Secret").exists()
    assert Comment.objects.count() == 0
