"""Share cards: 1200×630 PNGs of a quote, a collection and a review, cached by their
content, never showing a spoiler, and only for what anyone may open."""

import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from reviews import cards, selectors, services
from reviews.models import CollectionItem, QuoteCollection
from reviews.moderation import services as moderation
from tests.factories import (
    make_character,
    make_collection,
    make_film,
    make_moderator,
    make_quote,
    make_review,
    make_user,
)

pytestmark = pytest.mark.django_db


def assert_png_card(response):
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)


def test_quote_card_is_a_1200_by_630_png(client):
    film = make_film(title="Léon: The Professional")
    mathilda = make_character(film, name="Mathilda")
    quote = make_quote(
        film, [(mathilda, "Is life always this hard, or is it just when you're a kid?")]
    )
    response = client.get(f"/quotes/{quote.pk}/card.png")
    assert_png_card(response)
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


# Collections and reviews ----------------------------------------------------------------


@pytest.fixture
def leon():
    return make_film(title="Léon: The Professional", year=1994)


def test_collection_card_names_its_title_member_size_and_first_quote(client, leon):
    owner = make_user("mathilda", display_name="Mathilda Lando")
    mathilda = make_character(leon, name="Mathilda")
    first = make_quote(leon, [(mathilda, "Is life always this hard?"), (None, "Always.")])
    collection = make_collection(
        owner=owner, title="Lines I repeat", quotes=[first, make_quote(leon)]
    )
    data = cards.collection_card_data(collection, selectors.first_collection_item(collection))
    assert data == {
        "title": "Lines I repeat",
        "member": "Mathilda Lando",
        "count": 2,
        "lines": ["Is life always this hard?", "Always."],
        "speaker": "Mathilda",
        "film": "Léon: The Professional (1994)",
    }
    assert_png_card(client.get(f"/collections/{collection.pk}/card.png"))


def test_an_empty_collection_has_a_card_too(client):
    collection = make_collection(title="Nothing yet")
    data = cards.collection_card_data(collection, None)
    assert data["count"] == 0 and data["lines"] == [] and data["film"] == ""
    assert_png_card(client.get(f"/collections/{collection.pk}/card.png"))


def test_review_card_names_the_film_stars_member_title_and_an_excerpt(client, leon):
    author = make_user(display_name="Léa")
    review = make_review(
        author=author, film=leon, rating=9, title="Quiet, sad and tender",
        body="The *plant* says it all. " + "More words here. " * 60,
    )  # fmt: skip
    data = cards.review_card_data(review)
    assert data["film"] == "Léon: The Professional (1994)"
    assert (data["rating"], data["stars"]) == (9, "4.5 stars")
    assert data["member"] == "Léa" and data["title"] == "Quiet, sad and tender"
    assert data["excerpt"].startswith("The plant says it all.")  # text, not Markdown
    assert len(data["excerpt"]) <= cards.EXCERPT_CHARS + 1 and data["excerpt"].endswith("…")
    assert data["spoiler"] is False
    assert_png_card(client.get(f"/reviews/{review.pk}/card.png"))


def test_an_excerpt_reads_as_written(leon):
    review = make_review(
        film=leon, body="Gary Oldman is *unhinged*; [Portman](https://example.com) too.\n\n"
        "A `plant`, **always**. ||He *falls*.||",
    )  # fmt: skip
    assert cards.review_card_data(review)["excerpt"] == (
        "Gary Oldman is unhinged; Portman too. A plant, always. [spoiler]"
    )


def test_a_rating_without_words_has_a_card(client):
    review = make_review(rating=1)
    data = cards.review_card_data(review)
    assert (data["title"], data["excerpt"], data["spoiler"]) == ("", "", False)
    assert data["stars"] == "half a star"
    assert_png_card(client.get(f"/reviews/{review.pk}/card.png"))


# Never a spoiler ------------------------------------------------------------------------


def test_no_spoiler_reaches_a_card(leon):
    flagged = make_review(
        film=leon, rating=6, title="The ending, qxflaggedtitle",
        body="When he falls, qxflaggedbody.", is_spoiler=True,
    )  # fmt: skip
    inline = make_review(
        film=leon, title="Worth it ||qxtitlespan||",
        body="The score is wonderful. ||The fall, qxinlinemark.|| "
        "||He *||falls||* at the end, qxnestedmark||",
    )  # fmt: skip
    spoiler_quote = make_quote(leon, [(None, "Remember, qxquotemark.")], is_spoiler=True)
    collection = make_collection(
        title="Mine ||qxcollectionmark||", quotes=[spoiler_quote, make_quote(leon)]
    )
    services.collection_item_note(
        collection=collection, item_id=collection.items.get(quote=spoiler_quote).pk,
        note="That last line, qxnotemark.",
    )  # fmt: skip
    datas = [
        cards.review_card_data(flagged),
        cards.review_card_data(inline),
        cards.collection_card_data(collection, selectors.first_collection_item(collection)),
    ]
    kinds = ("review", "review", "collection")
    alts = [cards.alt_text(kind, data) for kind, data in zip(kinds, datas, strict=True)]
    printed = json.dumps([datas, alts], ensure_ascii=False)
    assert "qx" not in printed
    assert "opens with" not in alts[2]  # the first quote is a spoiler: not told either
    flagged_data, inline_data, collection_data = datas
    assert flagged_data["spoiler"] is True and flagged_data["excerpt"] == ""
    assert flagged_data["title"] == ""  # a flagged review's title stays behind its guard
    assert inline_data["title"] == "Worth it [spoiler]"
    assert inline_data["excerpt"] == "The score is wonderful. [spoiler] [spoiler]"
    assert collection_data["lines"] == ["[spoiler]"]  # drawn as a notice, as quote cards do
    assert collection_data["title"] == "Mine [spoiler]"


# Only what anyone may open --------------------------------------------------------------


def test_hidden_deleted_and_private_items_have_no_card(client):
    moderator = make_moderator()
    owner = make_user()
    hidden_review, deleted_review = make_review(), make_review()
    moderation.decide(moderator=moderator, item=hidden_review, action="hide", reason="No.")
    services.review_delete(review=deleted_review)
    private = make_collection(owner=owner, visibility="private")
    hidden = make_collection(owner=owner)
    moderation.decide(moderator=moderator, item=hidden, action="hide", reason="No.")
    deleted = make_collection(owner=owner)
    services.collection_delete(collection=deleted)
    urls = [
        f"/reviews/{hidden_review.pk}/card.png",
        f"/reviews/{deleted_review.pk}/card.png",
        f"/collections/{private.pk}/card.png",
        f"/collections/{hidden.pk}/card.png",
        f"/collections/{deleted.pk}/card.png",
        "/reviews/999999/card.png",
        "/collections/999999/card.png",
    ]
    for viewer in (None, owner, moderator):
        if viewer:  # not even for the owner or a moderator: the card is cached publicly
            client.force_login(viewer)
        for url in urls:
            assert client.get(url).status_code == 404, (viewer, url)


def test_an_unlisted_collection_has_a_card_for_whoever_holds_its_link(client):
    unlisted = make_collection(visibility="unlisted")
    assert_png_card(client.get(f"/collections/{unlisted.pk}/card.png"))


# Caching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["review", "collection"])
def test_cards_carry_an_etag_and_answer_304_without_drawing(client, kind, monkeypatch):
    item = make_review() if kind == "review" else make_collection(quotes=[make_quote()])
    url = f"/{kind}s/{item.pk}/card.png"
    first = client.get(url)
    assert first["ETag"] and first["Cache-Control"] == "public, max-age=600"
    monkeypatch.setitem(cards._DRAW, kind, lambda data: pytest.fail("drew again"))
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    cached = client.get(url)  # a new visitor: the cached PNG, not a new drawing
    assert cached.content == first.content
    assert client.head(url).status_code == 200


def test_a_card_changes_when_what_it_prints_changes(client):
    collection = make_collection(title="Before")
    before = client.get(f"/collections/{collection.pk}/card.png")["ETag"]
    services.collection_update(
        collection=collection, title="After", description="", visibility="public"
    )
    after = client.get(f"/collections/{collection.pk}/card.png")["ETag"]
    assert before != after


def test_card_queries_do_not_grow_with_the_collection(client, django_assert_max_num_queries):
    film = make_film()
    quotes = [make_quote(film) for _ in range(100)]
    few = make_collection(quotes=quotes[:2])
    many = make_collection()
    CollectionItem.objects.bulk_create(
        [CollectionItem(collection=many, quote=q, position=i) for i, q in enumerate(quotes, 1)]
    )
    QuoteCollection.objects.filter(pk=many.pk).update(item_count=100)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(f"/collections/{few.pk}/card.png") == count(f"/collections/{many.pk}/card.png")
    # the collection with its member, its first item with its quote and film, the lines
    with django_assert_max_num_queries(3):
        client.get(f"/collections/{many.pk}/card.png")
    review = make_review(body="Some words.")
    with django_assert_max_num_queries(1):  # the review with its member and film
        client.get(f"/reviews/{review.pk}/card.png")


# Legibility -------------------------------------------------------------------------------


def _luminance(rgb):
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", ["INK", "MUTED", "ACCENT", "STAR"])
def test_card_colours_meet_wcag_aa_on_the_whole_background(colour):
    for background in (cards.BACKGROUND_TOP, cards.BACKGROUND_BOTTOM):
        assert _contrast(getattr(cards, colour), background) >= 4.5


def test_long_text_is_cut_to_fit_the_card():
    image, draw = cards._canvas()
    font = cards._font("sans-bold", 34)
    name = "Marie-Élisabeth de La Rochefoucauld-Montmorency " * 3
    cut = cards._ellipsize(draw, name, font, cards.TEXT_WIDTH)
    assert cut.endswith("…") and draw.textlength(cut, font=font) <= cards.TEXT_WIDTH
    word = "a" * 300  # one word wider than the card is broken, not left to overflow
    block = cards._fit(draw, word, "serif", (40,), 200, max_lines=3)
    assert len(block.lines) == 3 and block.lines[-1].endswith("…")
    assert all(draw.textlength(line, font=block.font) <= cards.TEXT_WIDTH for line in block.lines)
