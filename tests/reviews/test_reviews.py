"""Reviews and ratings: writing, validation, one per film, editing, lists and the summary."""

import json
import re
from html import unescape

import pytest

from reviews.models import FilmRatingStats, Review
from reviews.services import stats_recompute
from tests.factories import make_film, make_review, make_user
from tests.reviews.test_markup import XSS_CORPUS, assert_harmless

pytestmark = pytest.mark.django_db


def new_url(film):
    return f"/films/{film.slug}/reviews/new/"


def post_review(client, to_film, **data):
    payload = {"rating": "7", "title": "", "body": "", **data}
    return client.post(new_url(to_film), {k: v for k, v in payload.items() if v is not None})


def test_member_writes_a_review_and_the_statistics_follow(alice_client, alice, film):
    response = post_review(alice_client, film, rating="7", title="Quiet", body="Plant **love**.")
    review = Review.objects.get(author=alice, film=film)
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    assert review.rating == 7 and review.stars == 3.5
    assert "<strong>love</strong>" in review.body_html
    stats = FilmRatingStats.objects.get(film=film)
    assert (stats.count, stats.total, stats.b7) == (1, 7, 1)
    page = alice_client.get(review.get_absolute_url()).content.decode()
    assert "Quiet" in page and "3.5 stars" in page


@pytest.mark.parametrize("rating", ["0", "11", "abc", "-1", "7.5", None])
def test_bad_ratings_get_a_form_error_not_a_500(alice_client, film, rating):
    response = post_review(alice_client, film, rating=rating, body="Hm.")
    assert response.status_code == 200
    assert "Choose a rating, from half a star to five stars." in response.content.decode()
    assert not Review.objects.exists()


def test_a_hundred_thousand_character_body_gets_a_form_error(alice_client, film):
    response = post_review(alice_client, film, body="x" * 100_000)
    assert response.status_code == 200
    assert "Keep your review under 20,000 characters (it has 100000)." in unescape(
        response.content.decode()
    )
    assert not Review.objects.exists()


def test_a_twenty_thousand_character_body_is_accepted(alice_client, alice, film):
    post_review(alice_client, film, body="y" * 20_000)
    assert len(Review.objects.get(author=alice).body) == 20_000


def test_emoji_and_right_to_left_text_round_trip(alice_client, alice, film):
    title = "ليون 🌱 המקצוען"
    body = "Mathilda 🪴 — «C'est fini» — مرحبا بالعالم — שלום"
    post_review(alice_client, film, title=title, body=body)
    review = Review.objects.get(author=alice)
    assert review.title == title and review.body == body
    page = unescape(alice_client.get(review.get_absolute_url()).content.decode())
    assert title in page and body in page


def test_extra_fields_are_ignored(alice_client, alice, bob, film):
    """Mass assignment (T5): the author, counters and film come from the server."""
    other = make_film()
    post_review(
        alice_client,
        film,
        author=str(bob.pk),
        film=str(other.pk),
        like_count="999",
        body_html="<script>x</script>",
        deleted_at="2020-01-01",
    )
    review = Review.objects.get()
    assert (review.author, review.film, review.like_count) == (alice, film, 0)
    assert review.deleted_at is None and "<script" not in review.body_html


def test_second_review_of_the_same_film_redirects_to_editing_the_first(alice_client, alice, film):
    first = make_review(author=alice, film=film, rating=6)
    response = alice_client.get(new_url(film), follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{first.pk}/edit/"
    assert "You have already reviewed this film" in unescape(response.content.decode())
    response = post_review(alice_client, film, rating="2")
    assert response.status_code == 302 and response.url == f"/reviews/{first.pk}/edit/"
    assert Review.objects.filter(author=alice).count() == 1
    assert Review.objects.get().rating == 6


def test_author_edits_and_the_histogram_moves(alice_client, alice, film):
    review = make_review(author=alice, film=film, rating=4)
    response = alice_client.post(
        f"/reviews/{review.pk}/edit/", {"rating": "10", "title": "Better", "body": "On reflection"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.rating == 10 and review.title == "Better"
    stats = FilmRatingStats.objects.get(film=film)
    assert (stats.count, stats.total, stats.b4, stats.b10) == (1, 10, 0, 1)


def test_author_soft_deletes_and_the_review_is_hidden_everywhere(alice_client, alice, film):
    review = make_review(author=alice, film=film, rating=9, title="Gone soon", body="Text")
    assert alice_client.get(f"/reviews/{review.pk}/delete/").status_code == 200
    assert Review.objects.get().deleted_at is None  # GET never deletes
    response = alice_client.post(f"/reviews/{review.pk}/delete/")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.deleted_at is not None and review.body  # kept, hidden
    assert alice_client.get(review.get_absolute_url()).status_code == 404
    for url in [f"/films/{film.slug}/reviews/", film.get_absolute_url(), "/u/alice/", "/"]:
        assert "Gone soon" not in alice_client.get(url).content.decode(), url
    assert "Gone soon" not in alice_client.get(f"/films/{film.slug}/feed/").content.decode()
    stats = FilmRatingStats.objects.get(film=film)
    assert (stats.count, stats.total, stats.b9) == (0, 0, 0)
    # And she may review the film again.
    post_review(alice_client, film, rating="3")
    assert Review.objects.filter(author=alice, deleted_at__isnull=True).count() == 1


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_in_title_and_body_is_harmless_on_every_page(alice_client, alice, payload):
    film = make_film()
    review = make_review(author=alice, film=film, title=payload[:150], body=payload)
    for url in [review.get_absolute_url(), f"/films/{film.slug}/reviews/", "/u/alice/"]:
        page = alice_client.get(url).content.decode()
        body = page.split('<main id="main"', 1)[1]
        body = re.sub(r'<script type="application/ld\+json">.*?</script>', "", body, flags=re.S)
        assert_harmless(body.split("</main>", 1)[0])


def test_review_list_sorts_filters_and_paginates(client, film):
    ratings = [2, 10, 6, 10, 1]
    reviews = [make_review(film=film, rating=r, title=f"R{r}-{i}") for i, r in enumerate(ratings)]
    reviews[2].like_count = 5
    reviews[2].save(update_fields=["like_count"])
    url = f"/films/{film.slug}/reviews/"

    def titles(query):
        page = client.get(url + query).content.decode()
        return re.findall(r'class="review-title"><a href="[^"]+">([^<]+)</a>', page)

    assert titles("")[0] == "R1-4"  # newest first
    assert titles("?sort=liked")[0] == "R6-2"
    assert titles("?sort=highest")[:2] == ["R10-3", "R10-1"]
    assert titles("?sort=lowest")[0] == "R1-4"
    assert titles("?rating=10") == ["R10-3", "R10-1"]
    # Nonsense parameters fall back to defaults instead of failing.
    for query in ["?sort=evil", "?rating=99", "?rating=abc", "?page=999", "?page=x"]:
        assert client.get(url + query).status_code == 200, query


def test_review_list_paginates_by_twenty_and_keeps_the_sort(client, film):
    for i in range(23):
        make_review(film=film, rating=(i % 10) + 1)
    page = client.get(f"/films/{film.slug}/reviews/?sort=highest").content.decode()
    assert page.count('class="review-item"') == 20
    assert 'href="?sort=highest&amp;page=2"' in page
    second = client.get(f"/films/{film.slug}/reviews/?sort=highest&page=2").content.decode()
    assert second.count('class="review-item"') == 3


def test_spoiler_reviews_and_spans_are_hidden_until_asked(client, film):
    make_review(film=film, title="Ending", body="Wow", is_spoiler=True)
    make_review(film=film, body="He ||dies|| at the end")
    page = client.get(f"/films/{film.slug}/reviews/").content.decode()
    assert '<details class="spoiler-box"><summary><span class="spoiler-label">' in page
    assert '<span class="spoiler-text">dies</span></label>' in page
    assert '<input type="checkbox" class="spoiler-toggle">' in page
    assert " style=" not in page
    assert all(
        'type="application/ld+json"' in attrs
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    )


def test_film_page_shows_summary_histogram_and_average_from_five_ratings(client, film):
    for rating in [10, 8, 8, 6]:
        make_review(film=film, rating=rating)
    page = client.get(film.get_absolute_url()).content.decode()
    assert "4 ratings so far." in page and "Write a review" in page
    assert "rating-average-value" not in page
    assert "aggregateRating" not in page
    make_review(film=film, rating=3)
    response = client.get(film.get_absolute_url())
    page = response.content.decode()
    assert '<span class="rating-average-value">3.5</span>' in page  # (10+8+8+6+3)/5/2
    assert 'class="bar bar-h-100"' in page  # the 4-star bucket is the peak
    assert '<th scope="row">4 stars</th><td>2</td>' in page  # text alternative
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    aggregate = [json.loads(b) for b in blocks if "aggregateRating" in b][0]
    assert aggregate["aggregateRating"]["ratingValue"] == 3.5
    assert aggregate["aggregateRating"]["ratingCount"] == 5
    assert 'href="/films/' + film.slug + '/reviews/"' in page  # the Reviews tab


def test_statistics_equal_recomputed_aggregates(film):
    reviews = [make_review(film=film, rating=r) for r in [1, 5, 5, 9, 10]]
    from reviews import services

    services.review_update(review=reviews[0], rating=2, title="", body="", is_spoiler=False)
    services.review_delete(review=reviews[3])
    services.review_delete(review=reviews[3])  # twice: nothing moves the second time
    stats = FilmRatingStats.objects.get(film=film)
    live = (stats.count, stats.total, stats.buckets)
    fresh = stats_recompute(film=film)
    assert (
        live == (fresh.count, fresh.total, fresh.buckets) == (4, 22, [0, 1, 0, 0, 2, 0, 0, 0, 0, 1])
    )


def test_review_page_has_review_jsonld(client, film):
    review = make_review(film=film, rating=9, title="Great", body="Yes")
    page = client.get(review.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Review"
    assert data["reviewRating"]["ratingValue"] == 4.5
    assert data["itemReviewed"]["name"] == film.title


def test_atom_feed_lists_the_latest_reviews(client, film):
    make_review(film=film, rating=10, title="Masterpiece", body="**Yes**")
    make_review(film=film, rating=2, title="Secret", body="ending", is_spoiler=True)
    response = client.get(f"/films/{film.slug}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "Masterpiece" in text and "5 stars by" in text
    # A flagged review's title and body both stay out of the feed.
    assert "This review contains spoilers" in text
    assert "Secret" not in text and "ending" not in text
    assert client.get("/films/no-such-film/feed/").status_code == 404


def test_comments_post_edit_delete(alice_client, alice, bob_client, bob, film):
    review = make_review(author=alice, film=film)
    # Empty and oversized comments are form errors (and cost no rate-limit hit).
    assert bob_client.post(f"/reviews/{review.pk}/comments/", {"body": " "}).status_code == 400
    big = bob_client.post(f"/reviews/{review.pk}/comments/", {"body": "z" * 6000})
    assert big.status_code == 400 and review.comments.count() == 0
    response = bob_client.post(f"/reviews/{review.pk}/comments/", {"body": "Agreed 🌱"})
    assert response.status_code == 302
    comment = review.comments.get()
    assert bob_client.get(review.get_absolute_url()).content.decode().count("Agreed 🌱") == 1
    edit = f"/reviews/{review.pk}/comments/{comment.pk}/edit/"
    assert alice_client.post(edit, {"body": "hijack"}).status_code == 404
    assert bob_client.post(edit, {"body": "Edited"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Edited"
    bob_client.post(f"/reviews/{review.pk}/comments/{comment.pk}/delete/")
    comment.refresh_from_db()
    review.refresh_from_db()
    assert comment.deleted_at is not None and review.comment_count == 0
    assert "Edited" not in bob_client.get(review.get_absolute_url()).content.decode()


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_in_comments_is_escaped(bob_client, payload):
    review = make_review(author=make_user())
    bob_client.post(f"/reviews/{review.pk}/comments/", {"body": payload})
    page = bob_client.get(review.get_absolute_url()).content.decode()
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert_harmless(main)


def test_control_characters_are_stripped_from_what_members_post(alice_client, film):
    alice_client.post(
        f"/films/{film.slug}/reviews/new/",
        {"rating": "8", "title": "Tab\x0bbed", "body": "Odd\x07 \x1bbytes"},
    )
    review = Review.objects.get(film=film)
    assert (review.title, review.body) == ("Tabbed", "Odd bytes")


def test_a_control_character_already_stored_does_not_break_the_feed(client, film):
    review = make_review(film=film, title="Fine")
    Review.objects.filter(pk=review.pk).update(
        title="Vertical\x0btab", body_html="<p>Form\x0cfeed</p>"
    )
    response = client.get(f"/films/{film.slug}/feed/")
    assert response.status_code == 200
    from xml.dom.minidom import parseString

    feed = parseString(response.content)  # noqa: S318 - our own feed
    titles = [n.firstChild.data for n in feed.getElementsByTagName("title")]
    assert any("Verticaltab" in t for t in titles)
