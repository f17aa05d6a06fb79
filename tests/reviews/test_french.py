"""The community in French: what tests/test_french_pages.py cannot see (pages it does not
list, form errors, flash messages, the Share script's words, the feed, the share cards'
labels), and English left as it was."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from reviews import cards
from reviews.stars import stars
from tests.factories import (
    make_collection,
    make_comment,
    make_film,
    make_quote,
    make_review,
    make_user,
)
from tests.test_french_pages import english_phrases, visible_text

pytestmark = pytest.mark.django_db


def english_left(html: str) -> list[str]:
    text = visible_text(html)
    return sorted(phrase for phrase in english_phrases() if phrase in text)


def flashes(response) -> list[str]:
    """The messages waiting after a redirect (read and cleared, as a page would)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("rating", "english", "french"),
    [
        (1, "half a star", "une demi-étoile"),
        (2, "1 star", "1 étoile"),
        (3, "1.5 stars", "1,5 étoiles"),
        (7, "3.5 stars", "3,5 étoiles"),
        (10, "5 stars", "5 étoiles"),
    ],
)
def test_ratings_read_in_the_active_language(rating, english, french):
    with translation.override("en"):
        assert stars(rating) == english
    with translation.override("fr"):
        assert stars(rating) == french
        assert stars(rating, "short") == f"{rating / 2:g}★"  # the same in every language


def test_the_pages_the_page_list_leaves_out_are_french_for_their_author(alice_client, alice):
    """Edit and delete pages, the add-to-collection page and an owner's collection."""
    quote = make_quote()
    review = make_review(author=alice, title="Quiet", body="The *plant*.")
    comment = make_comment(review=review, author=alice)
    collection = make_collection(owner=alice, quotes=[quote], visibility="unlisted")
    paths = [
        f"/reviews/{review.pk}/edit/",
        f"/reviews/{review.pk}/delete/",
        f"/reviews/{review.pk}/comments/{comment.pk}/edit/",
        f"/reviews/{review.pk}/comments/{comment.pk}/delete/",
        f"/collections/{collection.pk}/",
        f"/collections/{collection.pk}/edit/",
        f"/collections/{collection.pk}/delete/",
        f"/collections/add/?quote={quote.pk}",
        f"/films/{review.film.slug}/reviews/?rating=8",
    ]
    for path in paths:
        response = alice_client.get("/fr" + path)
        assert response.status_code == 200, path
        assert english_left(response.content.decode()) == [], path
    page = unescape(alice_client.get(f"/fr/collections/{collection.pk}/").content.decode())
    assert "1 réplique" in page and "Non répertoriée" in page
    assert "Monter" in page and "Ajouter une remarque" in page
    page = unescape(alice_client.get(f"/fr/reviews/{review.pk}/delete/").content.decode())
    assert "Votre note de 4 étoiles et «\u00a0Quiet\u00a0»" in page


def test_form_errors_and_labels_are_french(alice_client):
    film = make_film()
    response = alice_client.post(f"/fr/films/{film.slug}/reviews/new/", {"title": "Sans note"})
    page = unescape(response.content.decode())
    assert "Choisissez une note, d'une demi-étoile à cinq étoiles." in page
    assert "Votre critique (facultatif)" in page and "Publier ma critique" in page
    assert "Jusqu'à 20\u00a0000 caractères." in page
    quote = make_quote()
    response = alice_client.post(
        "/fr/collections/add/", {"quote": quote.pk, "collection": "new", "new_title": ""}
    )
    assert "Donnez un titre à la nouvelle collection." in unescape(response.content.decode())


def test_a_too_long_review_is_refused_in_french(alice_client):
    film = make_film()
    response = alice_client.post(
        f"/fr/films/{film.slug}/reviews/new/", {"rating": 8, "body": "x" * 20_001}
    )
    page = unescape(response.content.decode())
    assert "Votre critique doit faire moins de 20\u00a0000 caractères (elle en fait 20001)." in page


def test_flash_messages_are_french(alice_client, alice):
    film = make_film()
    response = alice_client.post(f"/fr/films/{film.slug}/reviews/new/", {"rating": 7})
    assert flashes(response) == ["Votre critique est publiée."]
    alice_client.get(response.url)  # shows the message, which leaves the queue
    response = alice_client.get(f"/fr/films/{film.slug}/reviews/new/")
    assert flashes(response)[-1] == (
        "Vous avez déjà écrit une critique de ce film\u00a0: vous pouvez la modifier."
    )
    collection = make_collection(owner=alice, title="Mes répliques")
    response = alice_client.post(f"/fr/collections/{collection.pk}/delete/")
    assert flashes(response)[-1] == "«\u00a0Mes répliques\u00a0» est supprimée."
    own = make_review(author=alice, film=make_film())
    response = alice_client.post(f"/fr/reviews/{own.pk}/like/", {"action": "like"})
    assert flashes(response)[-1] == "Vous ne pouvez pas aimer votre propre critique."


def test_english_is_unchanged(alice_client):
    film = make_film()
    response = alice_client.post(f"/films/{film.slug}/reviews/new/", {"rating": 7})
    assert flashes(response) == ["Your review is published."]
    page = unescape(alice_client.get(response.url).content.decode())
    assert "3.5 stars" in page and "Link copied" in page and "0 likes" in page


def test_the_share_script_gets_its_words_from_the_page(client):
    review = make_review()
    page = unescape(client.get(f"/fr/reviews/{review.pk}/").content.decode())
    assert 'data-share-copied="Lien copié"' in page
    assert 'data-share-copy-yourself="Copiez le lien depuis le champ."' in page
    assert "Partager" in page and "Lien vers cette critique" in page


def test_the_feed_is_french_under_the_french_prefix(client):
    review = make_review(rating=7, title="Tendre")
    feed = unescape(client.get(f"/fr/films/{review.film.slug}/feed/").content.decode())
    assert f"Critiques de {review.film.title} ({review.film.year}) · Leonsite" in feed
    assert "3,5 étoiles par" in feed and 'xml:lang="fr"' in feed


def test_share_cards_speak_the_requests_language(client):
    owner = make_user(display_name="Mathilda")
    collection = make_collection(owner=owner, title="Lait", quotes=[make_quote()])
    review = make_review(author=owner, rating=9)
    with translation.override("fr"):
        review_card = cards.review_card(review)
        french_key = review_card.key
        assert review_card.data["stars"] == "4,5 étoiles"
        assert review_card.alt.startswith("Mathilda a donné 4,5 étoiles à ")
        item = collection.items.select_related("quote__film").first()
        assert ", une collection de répliques de Mathilda\u00a0: 1 réplique." in (
            cards.collection_card(collection, item).alt
        )
    with translation.override("en"):
        assert cards.review_card(review).key != french_key  # one PNG per language
    english = client.get(f"/reviews/{review.pk}/card.png")
    french = client.get(f"/fr/reviews/{review.pk}/card.png")
    assert english.status_code == french.status_code == 200
    assert english["ETag"] != french["ETag"]
    assert english.content != french.content


@pytest.mark.browser
def test_the_share_button_announces_in_french(browser, transactional_db, live_server):
    """share.js reads its words from the page: a French page announces in French."""
    from playwright.sync_api import expect

    review = make_review(title="Tendre")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(
        "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr{review.get_absolute_url()}")
    page.get_by_role("button", name="Partager cette critique").click()
    expect(page.locator("[data-share-status]")).to_have_text("Lien copié")
    context.close()
