"""Quote collections: add, reorder, remove, notes, copies, visibility and likes."""

from html import unescape

import pytest
from django.test import Client

from reviews.models import CollectionItem, CollectionLike, QuoteCollection, ReviewLike
from tests.factories import make_collection, make_quote, make_review, make_user, session_queries
from tests.reviews.test_markup import XSS_CORPUS, assert_harmless

pytestmark = pytest.mark.django_db


def positions(collection):
    return list(
        CollectionItem.objects.filter(collection=collection)
        .order_by("position")
        .values_list("quote_id", flat=True)
    )


def test_add_a_quote_to_an_existing_collection_from_the_quotes_page(alice_client, alice):
    quote = make_quote()
    collection = make_collection(owner=alice, title="Favourites")
    page = alice_client.get(f"/films/{quote.film.slug}/quotes/").content.decode()
    assert 'action="/collections/add/"' in page and "Favourites" in page
    response = alice_client.post(
        "/collections/add/",
        {"quote": quote.pk, "collection": collection.pk, "note": "Chills", "next": "/films/"},
    )
    assert response.status_code == 302 and response.url == "/films/"
    item = CollectionItem.objects.get(collection=collection)
    assert (item.quote, item.note, item.position) == (quote, "Chills", 1)
    # Adding it twice keeps one row.
    alice_client.post("/collections/add/", {"quote": quote.pk, "collection": collection.pk})
    assert CollectionItem.objects.filter(collection=collection).count() == 1
    collection.refresh_from_db()
    assert collection.item_count == 1


def test_add_a_quote_to_a_new_collection(alice_client, alice):
    quote = make_quote()
    response = alice_client.post(
        "/collections/add/", {"quote": quote.pk, "collection": "new", "new_title": "Léon 🌱"}
    )
    collection = QuoteCollection.objects.get(owner=alice)
    assert response.url == collection.get_absolute_url()
    assert collection.title == "Léon 🌱" and positions(collection) == [quote.pk]


@pytest.mark.parametrize(
    "data",
    [
        {"collection": "new", "new_title": ""},
        {"collection": "999999"},
        {"collection": "abc"},
        {"quote": "abc", "collection": "new", "new_title": "x"},
        {"quote": "999999", "collection": "new", "new_title": "x"},
        {"collection": "new", "new_title": "x" * 500},
    ],
)
def test_bad_add_requests_get_a_clear_answer_and_change_nothing(alice_client, alice, data):
    quote = make_quote()
    response = alice_client.post("/collections/add/", {"quote": quote.pk, **data})
    assert response.status_code in {400, 404}
    assert not QuoteCollection.objects.exists() and not CollectionItem.objects.exists()


def test_cannot_add_to_someone_elses_collection(bob_client, alice):
    quote = make_quote()
    collection = make_collection(owner=alice)
    response = bob_client.post(
        "/collections/add/", {"quote": quote.pk, "collection": collection.pk}
    )
    assert response.status_code == 400
    assert not CollectionItem.objects.exists()


def test_reorder_with_up_and_down_buttons(alice_client, alice):
    quotes = [make_quote() for _ in range(3)]
    collection = make_collection(owner=alice, quotes=quotes)
    items = {i.quote_id: i.pk for i in CollectionItem.objects.filter(collection=collection)}
    url = f"/collections/{collection.pk}/reorder/"
    alice_client.post(url, {"item": items[quotes[2].pk], "direction": "up"})
    assert positions(collection) == [quotes[0].pk, quotes[2].pk, quotes[1].pk]
    alice_client.post(url, {"item": items[quotes[0].pk], "direction": "down"})
    assert positions(collection) == [quotes[2].pk, quotes[0].pk, quotes[1].pk]
    # At the ends, nothing moves; nonsense is refused without a 500.
    alice_client.post(url, {"item": items[quotes[2].pk], "direction": "up"})
    assert positions(collection) == [quotes[2].pk, quotes[0].pk, quotes[1].pk]
    for bad in [
        {"item": "x", "direction": "up"},
        {"item": items[quotes[0].pk], "direction": "left"},
        {"item": 999999, "direction": "up"},
    ]:
        assert alice_client.post(url, bad).status_code == 302
    assert positions(collection) == [quotes[2].pk, quotes[0].pk, quotes[1].pk]
    assert alice_client.get(url).status_code == 405


def test_reordering_someone_elses_collection_is_a_404_and_changes_nothing(bob_client, alice):
    quotes = [make_quote() for _ in range(2)]
    collection = make_collection(owner=alice, quotes=quotes)
    item = CollectionItem.objects.get(collection=collection, quote=quotes[1])
    response = bob_client.post(
        f"/collections/{collection.pk}/reorder/", {"item": item.pk, "direction": "up"}
    )
    assert response.status_code == 404
    assert positions(collection) == [quotes[0].pk, quotes[1].pk]


def test_remove_and_note(alice_client, alice):
    quotes = [make_quote() for _ in range(2)]
    collection = make_collection(owner=alice, quotes=quotes)
    first = CollectionItem.objects.get(collection=collection, quote=quotes[0])
    alice_client.post(f"/collections/{collection.pk}/note/", {"item": first.pk, "note": "ليون"})
    first.refresh_from_db()
    assert first.note == "ليون"
    alice_client.post(f"/collections/{collection.pk}/remove/", {"item": first.pk})
    assert positions(collection) == [quotes[1].pk]
    collection.refresh_from_db()
    assert collection.item_count == 1


def test_copy_a_public_collection(bob_client, bob, alice):
    quotes = [make_quote() for _ in range(3)]
    source = make_collection(owner=alice, title="Best lines", quotes=quotes)
    response = bob_client.post(f"/collections/{source.pk}/copy/")
    copy = QuoteCollection.objects.get(owner=bob)
    assert response.url == copy.get_absolute_url()
    assert copy.title == "Best lines (copy)" and copy.visibility == "private"
    assert copy.copied_from == source and copy.item_count == 3
    assert positions(copy) == positions(source)


def test_visibility_rules(alice_client, bob_client, alice):
    client = Client()  # anonymous (the `client` fixture is Alice's here)
    public = make_collection(owner=alice, title="Open")
    unlisted = make_collection(owner=alice, title="By link", visibility="unlisted")
    private = make_collection(owner=alice, title="Mine only", visibility="private")
    listing = client.get("/collections/").content.decode()
    assert "Open" in listing and "By link" not in listing and "Mine only" not in listing
    assert client.get(unlisted.get_absolute_url()).status_code == 200
    for other in (client, bob_client):
        assert other.get(private.get_absolute_url()).status_code == 404
        assert other.post(f"/collections/{private.pk}/copy/").status_code in {302, 404}
    assert bob_client.post(f"/collections/{private.pk}/copy/").status_code == 404
    assert (
        bob_client.post(f"/collections/{private.pk}/like/", {"action": "like"}).status_code == 404
    )
    assert alice_client.get(private.get_absolute_url()).status_code == 200
    profile = bob_client.get("/u/alice/").content.decode()
    assert "Open" in profile and "By link" not in profile and "Mine only" not in profile
    assert public.is_public


def test_collection_tabs(client):
    older = make_collection(title="Older", quotes=[make_quote()])
    newer = make_collection(title="Newer", quotes=[make_quote()])
    older.like_count = 3
    older.save(update_fields=["like_count"])
    popular = client.get("/collections/").content.decode()
    newest = client.get("/collections/?tab=newest").content.decode()
    assert popular.index("Older") < popular.index("Newer")
    assert newest.index("Newer") < newest.index("Older")
    assert client.get("/collections/?tab=<script>&page=abc").status_code == 200
    assert newer.pk


def test_likes_are_idempotent_and_not_on_ones_own(alice_client, alice, bob_client, bob):
    review = make_review(author=alice)
    collection = make_collection(owner=alice)
    for url, model, obj in [
        (f"/reviews/{review.pk}/like/", ReviewLike, review),
        (f"/collections/{collection.pk}/like/", CollectionLike, collection),
    ]:
        bob_client.post(url, {"action": "like"})
        bob_client.post(url, {"action": "like"})
        assert model.objects.count() == 1
        obj.refresh_from_db()
        assert obj.like_count == 1
        response = alice_client.post(url, {"action": "like"}, follow=True)
        assert "You can't like your own" in unescape(response.content.decode())
        assert model.objects.count() == 1
        bob_client.post(url, {"action": "unlike"})
        bob_client.post(url, {"action": "unlike"})
        obj.refresh_from_db()
        assert model.objects.count() == 0 and obj.like_count == 0
        assert bob_client.post(url, {"action": "explode"}).status_code == 400
        assert bob_client.get(url).status_code == 405


def test_like_redirects_back_to_a_safe_next_only(bob_client, alice):
    review = make_review(author=alice)
    url = f"/reviews/{review.pk}/like/"
    ok = bob_client.post(url, {"action": "like", "next": "/films/#review-1"})
    assert ok.url == "/films/#review-1"
    evil = bob_client.post(url, {"action": "unlike", "next": "https://evil.example/"})
    assert evil.url == review.get_absolute_url()


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_in_collection_title_description_and_notes(alice_client, alice, payload):
    quote = make_quote()
    alice_client.post(
        "/collections/new/",
        {"title": payload[:120], "description": payload, "visibility": "public"},
    )
    collection = QuoteCollection.objects.get(owner=alice)
    alice_client.post(
        "/collections/add/", {"quote": quote.pk, "collection": collection.pk, "note": payload[:500]}
    )
    make_user()
    for url in [collection.get_absolute_url(), "/collections/", "/u/alice/"]:
        page = alice_client.get(url).content.decode()
        assert_harmless(page.split("<body>", 1)[1])


def test_quote_page_offers_the_collection_form_and_a_share_card(alice_client, alice):
    quote = make_quote()
    page = alice_client.get(quote.get_absolute_url()).content.decode()
    assert 'action="/collections/add/"' in page
    assert (
        f'<meta property="og:image" content="http://testserver/quotes/{quote.pk}/card.png">' in page
    )


def test_a_copy_links_its_original_only_for_those_who_may_see_it(alice, bob, moderator):
    from reviews import services
    from reviews.moderation import services as moderation

    secret = make_collection(owner=alice, title="Shared by link", visibility="unlisted")
    copy = services.collection_copy(source=secret, owner=bob)
    services.collection_update(
        collection=copy, title="Bob's copy", description="", visibility="public"
    )
    link = f'href="{secret.get_absolute_url()}"'
    assert link not in Client().get(copy.get_absolute_url()).content.decode()
    owner = Client()
    owner.force_login(alice)
    assert link in owner.get(copy.get_absolute_url()).content.decode()

    public = make_collection(owner=alice, title="Open to all")
    public_copy = services.collection_copy(source=public, owner=bob)
    services.collection_update(
        collection=public_copy, title="Bob's", description="", visibility="public"
    )
    public_link = f'href="{public.get_absolute_url()}"'
    assert public_link in Client().get(public_copy.get_absolute_url()).content.decode()
    moderation.decide(moderator=moderator, item=public, action="hide", reason="Spam.")
    assert public_link not in Client().get(public_copy.get_absolute_url()).content.decode()


def test_the_public_collections_are_counted_once_until_the_community_changes(
    django_assert_num_queries,
):
    for _ in range(3):
        make_collection()
    make_collection(visibility="private")
    member = make_user()
    client = Client()
    client.force_login(member)
    first = client.get("/collections/")
    assert first.context["page_obj"].paginator.count == 3
    # Signed in, the page is rendered again (the first read handed out the CSRF cookie,
    # without which no copy is kept), but the count comes from the cache: the session
    # (unless the cache holds it) and the page's collections are the only queries (the
    # member is this process's copy since the first read).
    with django_assert_num_queries(session_queries() + 1):
        client.get("/collections/")
    make_collection()
    assert client.get("/collections/").context["page_obj"].paginator.count == 4
