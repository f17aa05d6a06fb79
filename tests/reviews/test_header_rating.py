"""The film header: rate, log and keep a watchlist in one click, with or without
JavaScript; the member's part never in a cached page or fragment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leonsite.lib import caching
from reviews import diary
from reviews.models import DiaryEntry, FilmRatingStats, Review
from reviews.moderation import services as moderation
from tests.factories import forget_members, make_moderator, make_review, make_user

pytestmark = pytest.mark.django_db


def rate_url(film):
    return f"/films/{film.slug}/rate/"


# The rule: the header's rating is the member's review's ----------------------------------


def test_rating_without_a_review_creates_one_without_text(alice, film):
    review = diary.rate(user=alice, film=film, rating=7)
    assert (review.rating, review.title, review.body) == (7, "", "")
    stats = FilmRatingStats.objects.get(film=film)
    assert (stats.count, stats.total, stats.b7) == (1, 7, 1)


def test_rating_with_a_review_changes_only_its_rating(alice, film):
    own = make_review(author=alice, film=film, rating=4, title="T", body="B", is_spoiler=True)
    diary.rate(user=alice, film=film, rating=9)
    own.refresh_from_db()
    assert (own.rating, own.title, own.body, own.is_spoiler) == (9, "T", "B", True)
    assert Review.objects.filter(author=alice, film=film).count() == 1
    stats = FilmRatingStats.objects.get(film=film)
    assert (stats.count, stats.total, stats.b4, stats.b9) == (1, 9, 0, 1)


@pytest.mark.parametrize("bad", [0, 11, -1, "5", None, 4.5])
def test_a_bad_rating_is_refused(alice, film, bad):
    with pytest.raises(ValidationError):
        diary.rate(user=alice, film=film, rating=bad)
    assert not Review.objects.exists()


def test_a_hidden_review_keeps_its_rating(alice, film):
    own = make_review(author=alice, film=film, rating=4, title="T", body="B")
    moderation.decide(moderator=make_moderator(), item=own, action="hide", reason="Rude.")
    with pytest.raises(ValidationError, match="hidden"):
        diary.rate(user=alice, film=film, rating=9)
    own.refresh_from_db()
    assert own.rating == 4


def test_clearing_removes_only_a_rating_without_text(alice, film):
    diary.rate(user=alice, film=film, rating=6)
    assert diary.clear_rating(user=alice, film=film)
    assert not Review.objects.alive().exists()
    assert FilmRatingStats.objects.get(film=film).count == 0
    assert not diary.clear_rating(user=alice, film=film)
    make_review(author=alice, film=film, rating=6, body="Words.")
    with pytest.raises(ValidationError, match="delete the review"):
        diary.clear_rating(user=alice, film=film)


def test_the_review_form_and_the_header_write_the_same_rating(alice_client, alice, film):
    alice_client.post(rate_url(film), {"rating": "5"})
    review = Review.objects.get(author=alice, film=film)
    edit = alice_client.get(f"/reviews/{review.pk}/edit/").content.decode()
    assert 'value="5" checked' in edit
    alice_client.post(
        f"/reviews/{review.pk}/edit/", {"rating": "8", "title": "", "body": "Now with words."}
    )
    life = alice_client.get(film.get_absolute_url()).content.decode()
    assert "Your rating: 4 stars." in life


# The forms: without JavaScript (POST and back) and with it (JSON) ------------------------


def test_rating_without_javascript_goes_back_with_a_message(alice_client, alice, film):
    response = alice_client.post(rate_url(film), {"rating": "9", "next": film.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == film.get_absolute_url()
    page = alice_client.get(film.get_absolute_url()).content.decode()
    assert "You rated it 4.5 stars." in page
    assert f'id="rate-{film.pk}-9" value="9" checked' in page
    assert "Your rating: 4.5 stars." in page


def test_rating_with_javascript_answers_the_part_and_a_sentence(alice_client, film):
    response = alice_client.post(rate_url(film), {"rating": "3"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["message"] == "You rated it 1.5 stars."
    assert 'value="3" checked' in data["html"] and "<script" not in data["html"]
    cleared = alice_client.post(
        rate_url(film), {"rating": "clear"}, HTTP_ACCEPT="application/json"
    ).json()
    assert cleared["message"] == "Your rating is removed."
    assert "You haven't rated it yet." in cleared["html"]


@pytest.mark.parametrize("value", ["", "0", "11", "4.5", "five", "<script>"])
def test_a_bad_rating_from_the_form_is_a_400_with_a_message(alice_client, film, value):
    response = alice_client.post(rate_url(film), {"rating": value})
    assert response.status_code == 400
    assert b"Choose a rating" in response.content
    as_json = alice_client.post(rate_url(film), {"rating": value}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400 and "Choose a rating" in as_json.json()["message"]
    assert not Review.objects.exists()


def test_a_refused_rating_says_why(alice_client, alice, film):
    own = make_review(author=alice, film=film, rating=4, body="B")
    moderation.decide(moderator=make_moderator(), item=own, action="hide", reason="Rude.")
    response = alice_client.post(rate_url(film), {"rating": "9"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "hidden" in response.json()["message"]


def test_quick_log_from_the_header(alice_client, alice, film):
    today = timezone.localdate()
    log = f"/films/{film.slug}/log/"
    response = alice_client.post(
        log, {"watched_on": today.isoformat(), "next": film.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == film.get_absolute_url()
    response = alice_client.post(
        log,
        {"watched_on": (today - timedelta(days=1)).isoformat(), "rewatch": "on"},
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert "Logged" in data["message"]
    assert f"You watched it 2 times, last on {today:%-d %b %Y}." in data["html"]
    assert DiaryEntry.objects.filter(user=alice, rewatch=True).count() == 1
    future = alice_client.post(log, {"watched_on": "2999-01-01"}, HTTP_ACCEPT="application/json")
    assert future.status_code == 400 and "future" in future.json()["message"]


def test_the_history_on_the_film_page(alice_client, alice, film):
    page = alice_client.get(film.get_absolute_url()).content.decode()
    assert "Not in your diary yet." in page
    diary.entry_create(user=alice, film=film, watched_on=timezone.localdate().replace(day=1))
    diary.entry_create(user=alice, film=film, watched_on=timezone.localdate(), rewatch=True)
    diary.entry_create(user=make_user(), film=film)  # someone else's
    page = alice_client.get(film.get_absolute_url()).content.decode()
    assert f"You watched it 2 times, last on {timezone.localdate():%-d %b %Y}." in page
    # The quick form offers a rewatch once the film is in the diary.
    assert f'id="log-rewatch-{film.pk}" name="rewatch" checked' in page


# Permission cells -----------------------------------------------------------------------


def test_permission_cells_of_the_rate_form(film):
    anonymous = Client().post(rate_url(film), {"rating": "5"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    member = Client()
    member.force_login(make_user())
    assert member.get(rate_url(film)).status_code == 405
    assert member.post("/films/nope/rate/", {"rating": "5"}).status_code == 404
    silenced = make_user()
    moderation.sanction(
        moderator=make_moderator(),
        member=silenced,
        action="silence",
        until=timezone.now() + timedelta(days=1),
        reason="Cool down.",
    )
    client = Client()
    client.force_login(silenced)
    assert client.post(rate_url(film), {"rating": "5"}).status_code == 403
    assert not Review.objects.exists()


def test_rating_is_rate_limited(alice_client, film, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "rating": {"user": ["2/m"]}}
    for value in ("4", "6"):
        assert alice_client.post(rate_url(film), {"rating": value}).status_code == 302
    assert alice_client.post(rate_url(film), {"rating": "8"}).status_code == 429
    assert Review.objects.get().rating == 6


# The caches -----------------------------------------------------------------------------


def test_a_visitors_cached_page_holds_nothing_personal(alice, alice_client, film):
    diary.rate(user=alice, film=film, rating=9)
    diary.watchlist_add(user=alice, film=film)
    alice_client.get(film.get_absolute_url())  # the member's own render first
    visitor = Client()
    for _n in range(2):  # the second from the whole-page cache
        page = visitor.get(film.get_absolute_url()).content.decode()
        assert "csrfmiddlewaretoken" not in page
        assert "Your rating" not in page and "watchlist" not in page.replace("keep a watchlist", "")
        assert "Log in to rate it" in page


def test_a_members_part_is_never_anothers(alice, bob, film):
    diary.rate(user=alice, film=film, rating=9)
    first = Client()
    first.force_login(alice)
    assert "Your rating: 4.5 stars." in first.get(film.get_absolute_url()).content.decode()
    second = Client()
    second.force_login(bob)
    page = second.get(film.get_absolute_url()).content.decode()
    assert "You haven't rated it yet." in page and "4.5 stars." not in page


def test_a_rating_moves_the_community_version_and_shows_to_visitors(alice_client, film):
    visitor = Client()
    assert "No ratings yet" in visitor.get(film.get_absolute_url()).content.decode()
    before = caching.version("community")
    alice_client.post(rate_url(film), {"rating": "8"})
    assert caching.version("community") != before
    assert "1 rating so far." in visitor.get(film.get_absolute_url()).content.decode()


def test_the_film_page_runs_the_same_queries_with_a_long_diary(alice, alice_client, film):
    def count():
        forget_members()
        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(film.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    for _n in range(10):
        DiaryEntry.objects.create(user=alice, film=film, watched_on=timezone.localdate())
    count()
    at_10 = count()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=alice, film=film, watched_on=timezone.localdate()) for _n in range(990)
    )
    assert count() == at_10
