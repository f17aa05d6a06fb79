"""Sharing a quote, a collection or a review: each page names its card in Open Graph,
and holds a Share control that works without JavaScript (the page's absolute address in
a labelled, read-only box) and is the same for every reader (pages are cached whole)."""

import re
from html import unescape

import pytest
from django.test import Client

from reviews import cards
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
HOST = "http://testserver"


def meta(html, name):
    """The content of a <meta property|name="..."> tag, or None."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def share_block(html):
    found = re.search(r'<div class="share [^"]*" data-share.*?</details>', html, re.S)
    return found.group(0) if found else None


def assert_shares(html, url, name):
    """A Share control for `url`: a disclosure with the address in a labelled read-only
    box (works without JavaScript), the script's button and its live status."""
    block = share_block(html)
    assert block, "no share control"
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", block, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", summary) == f"Share {name}"
    box = re.search(r"<input [^>]*data-share-url>", block).group(0)
    assert f'value="{url}"' in box and "readonly" in box and 'type="url"' in box
    box_id = re.search(r'id="([^"]+)"', box).group(1)
    assert f'<label class="form-label small mb-1" for="{box_id}">Link to {name}</label>' in block
    assert re.search(r'<button type="button"[^>]*data-share-button hidden>Share', block)
    assert '<span class="small" role="status" aria-live="polite" data-share-status></span>' in html


@pytest.fixture
def leon():
    return make_film(title="Léon: The Professional", year=1994)


def test_a_collection_page_names_its_card_and_shares_its_address(client, leon):
    owner = make_user(display_name="Mathilda Lando")
    collection = make_collection(owner=owner, title="Lines I repeat", quotes=[make_quote(leon)])
    html = client.get(collection.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"{HOST}/collections/{collection.pk}/card.png"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:type") == "image/png"
    assert meta(html, "og:image:alt").startswith(
        "Lines I repeat, a quote collection by Mathilda Lando: 1 quote."
    )
    assert meta(html, "og:description") == "A quote collection by Mathilda Lando: 1 quote."
    assert_shares(html, f"{HOST}/collections/{collection.pk}/", "this collection")
    assert 'src="/static/js/share.js" defer' in html


def test_a_review_page_names_its_card_and_shares_its_address(client, leon):
    review = make_review(
        author=make_user(display_name="Léa"), film=leon, rating=9, title="Tender", body="Yes."
    )
    html = client.get(review.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"{HOST}/reviews/{review.pk}/card.png"
    assert meta(html, "og:image:alt") == cards.review_card(review).alt
    assert meta(html, "og:image:alt") == (
        "Léa rated Léon: The Professional (1994) 4.5 stars. “Tender”"
    )
    assert_shares(html, f"{HOST}/reviews/{review.pk}/", "this review")


def test_a_quote_page_and_the_quotes_list_share_each_quote(client, leon):
    mathilda = make_character(leon, name="Mathilda")
    quotes = [make_quote(leon, [(mathilda, f"Line {i}")]) for i in range(3)]
    spoiler = make_quote(leon, [(mathilda, "qxsharemark")], is_spoiler=True)
    html = client.get(quotes[0].get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"{HOST}/quotes/{quotes[0].pk}/card.png"
    assert_shares(html, f"{HOST}{quotes[0].get_absolute_url()}", "this quote")

    html = client.get(f"/films/{leon.slug}/quotes/").content.decode()
    assert html.count("data-share-url>") == 4
    for quote in [*quotes, spoiler]:
        assert f'value="{HOST}{quote.get_absolute_url()}"' in html
        assert f'id="share-{quote.pk}"' in html
    assert 'Share<span class="visually-hidden"> quote 4</span>' in html
    assert 'data-share-text="Line 0"' in html
    assert "qxsharemark" not in " ".join(re.findall(r"data-share[^>]*>", html))
    assert html.count('src="/static/js/share.js"') == 1  # once, however many quotes


def test_hidden_and_private_items_offer_no_card_and_no_share(client):
    moderator = make_moderator()
    author = make_user()
    review = make_review(author=author)
    moderation.decide(moderator=moderator, item=review, action="hide", reason="No.")
    private = make_collection(owner=author, visibility="private")
    client.force_login(author)  # the author still sees both pages
    for url in (review.get_absolute_url(), private.get_absolute_url()):
        html = client.get(url).content.decode()
        assert meta(html, "og:image") is None and share_block(html) is None, url
        assert "share.js" not in html


def test_an_unlisted_collection_is_shared_by_its_link(client):
    collection = make_collection(visibility="unlisted")
    html = client.get(collection.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"{HOST}/collections/{collection.pk}/card.png"
    assert_shares(html, f"{HOST}/collections/{collection.pk}/", "this collection")


def test_the_share_control_is_the_same_for_every_reader(leon):
    # Visitors' pages are cached whole: nothing in the control may depend on the reader.
    review = make_review(film=leon, body="Fine.")
    collection = make_collection(quotes=[make_quote(leon)])
    member = Client()
    member.force_login(make_user())
    for url in (review.get_absolute_url(), collection.get_absolute_url()):
        visitor = share_block(Client().get(url).content.decode())
        cached = share_block(Client().get(url).content.decode())
        signed_in = share_block(member.get(url).content.decode())
        assert visitor == cached == signed_in, url


def test_the_share_address_follows_the_host_asked_for(leon):
    # The page cache keys pages by host, so each host's copy carries its own address.
    review = make_review(film=leon)
    html = Client(HTTP_HOST="localhost").get(review.get_absolute_url()).content.decode()
    assert f'value="http://localhost/reviews/{review.pk}/"' in html
    assert meta(html, "og:image") == f"http://localhost/reviews/{review.pk}/card.png"


def test_pages_with_a_card_ask_for_a_large_twitter_card(client, leon):
    review = make_review(film=leon)
    for url in (review.get_absolute_url(), make_quote(leon).get_absolute_url()):
        html = client.get(url).content.decode()
        assert html.count('name="twitter:card"') == 1
        assert meta(html, "twitter:card") == "summary_large_image", url
