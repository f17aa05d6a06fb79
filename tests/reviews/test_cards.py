"""Share cards: a 1200×630 PNG per quote, cached by its content."""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from reviews import cards
from tests.factories import make_character, make_film, make_quote

pytestmark = pytest.mark.django_db


def test_quote_card_is_a_1200_by_630_png(client):
    film = make_film(title="Léon: The Professional")
    mathilda = make_character(film, name="Mathilda")
    quote = make_quote(
        film, [(mathilda, "Is life always this hard, or is it just when you're a kid?")]
    )
    response = client.get(f"/quotes/{quote.pk}/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
    assert "max-age" in response["Cache-Control"]


def test_card_is_cached_under_its_content_and_redrawn_when_it_changes(client):
    cache.clear()
    quote = make_quote(lines=[(None, "Line one 🌱 — مرحبا")])
    first = cards.cache_key(cards.card_data(quote))
    client.get(f"/quotes/{quote.pk}/card.png")
    assert cache.get(first) is not None
    line = quote.lines.get()
    line.text = "A changed line"
    line.save()
    quote = type(quote).objects.get(pk=quote.pk)
    assert cards.cache_key(cards.card_data(quote)) != first


def test_very_long_quotes_still_fit(client):
    quote = make_quote(lines=[(None, "word " * 400)])
    response = client.get(f"/quotes/{quote.pk}/card.png")
    assert response.status_code == 200


def test_unknown_quote_card_is_a_404(client):
    assert client.get("/quotes/999999/card.png").status_code == 404


def test_a_font_is_found_or_the_default_is_used():
    font = cards._font("serif", 40)
    assert font.getbbox("Léon")[2] > 0
