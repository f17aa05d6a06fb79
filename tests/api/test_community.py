"""The community in the read API: only what the public sees, through the site's own
visibility rules, with members' spoilers left out unless asked for."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from films import search
from leonsite.accounts import services as accounts
from reviews import services
from reviews.models import QuoteCollection
from reviews.moderation import services as moderation
from tests import factories
from tests.api.conftest import API, get_json

pytestmark = pytest.mark.django_db


def ids(client, path, **params):
    return {item["id"] for item in get_json(client, path, **params)["results"]}


@pytest.fixture
def community(alice, bob, moderator):
    """Alice's posts in every state the public must or must not see."""
    film = factories.make_film()
    quote = factories.make_quote(film, [(None, "Open line.")])
    seen = factories.make_review(author=alice, film=film, rating=9, body="Seen by all.")
    hidden = factories.make_review(author=alice, body="Hidden by a moderator.")
    moderation.decide(moderator=moderator, item=hidden, action="hide", reason="Off topic.")
    deleted = factories.make_review(author=alice, body="Deleted by Alice.")
    services.review_delete(review=deleted)
    public = factories.make_collection(owner=alice, quotes=[quote], title="Public one")
    unlisted = factories.make_collection(owner=alice, visibility="unlisted", title="By link")
    private = factories.make_collection(owner=alice, visibility="private", title="Mine only")
    held = factories.make_collection(owner=alice, title="Hidden one")
    moderation.decide(moderator=moderator, item=held, action="hide", reason="Spam.")
    gone = factories.make_collection(owner=alice, title="Deleted one")
    services.collection_delete(collection=gone)
    return {
        "film": film, "seen": seen, "hidden": hidden, "deleted": deleted, "public": public,
        "unlisted": unlisted, "private": private, "held": held, "gone": gone,
    }  # fmt: skip


def test_only_public_reviews_and_collections_are_listed_or_found(client, community):
    assert ids(client, "/reviews/") == {community["seen"].pk}
    assert ids(client, "/collections/") == {community["public"].pk}
    for name in ("hidden", "deleted"):
        assert client.get(f"{API}/reviews/{community[name].pk}/").status_code == 404, name
    for name in ("unlisted", "private", "held", "gone"):
        assert client.get(f"{API}/collections/{community[name].pk}/").status_code == 404, name
    search.rebuild()  # as the commits of the rows above would
    found = get_json(client, "/search/", q="hidden deleted seen", kind="review")["results"]
    assert {hit["id"] for hit in found} == {community["seen"].pk}


def test_a_review_names_its_film_and_author_with_links(client, community, alice):
    review = get_json(client, f"/reviews/{community['seen'].pk}/")
    assert review["rating"] == 9 and review["stars"] == 4.5
    assert review["film"]["slug"] == community["film"].slug
    assert review["author"] == {
        "username": "alice",
        "name": "Alice",
        "url": f"http://testserver{API}/members/alice/",
    }
    assert review["body_html"] == "<p>Seen by all.</p>" and review["body_text"] == "Seen by all."
    assert review["page"] == f"http://testserver/reviews/{community['seen'].pk}/"
    member = get_json(client, review["author"]["url"])
    assert ids(client, member["links"]["reviews"]) == {community["seen"].pk}
    assert ids(client, member["links"]["collections"]) == {community["public"].pk}


def test_reviews_filter_by_film_author_and_rating(client, community, bob):
    other = factories.make_review(author=bob, film=community["film"], rating=4)
    film = community["film"].slug
    assert ids(client, "/reviews/", film=film) == {community["seen"].pk, other.pk}
    assert ids(client, "/reviews/", rating=4) == {other.pk}
    assert ids(client, "/reviews/", author="bob") == {other.pk}
    for bad in ({"rating": "11"}, {"rating": "4.5"}, {"author": "nobody"}, {"film": "nope"}):
        response = client.get(f"{API}/reviews/", bad)
        assert response.status_code == 400 and set(response.json()) == set(bad), bad


def published_copy(source, owner):
    copy = services.collection_copy(source=source, owner=owner)  # private at first
    QuoteCollection.objects.filter(pk=copy.pk).update(visibility="public")
    return copy


def test_a_collection_lists_its_quotes_and_a_public_original(client, community, bob):
    copy = published_copy(community["public"], bob)
    data = get_json(client, f"/collections/{copy.pk}/")
    assert data["copied_from"]["id"] == community["public"].pk
    assert [item["quote"]["text"] for item in data["items"]] == ["Open line."]
    unlisted_copy = published_copy(community["unlisted"], bob)
    # An unlisted original is shared by its link only: a copy does not hand it around.
    assert get_json(client, f"/collections/{unlisted_copy.pk}/")["copied_from"] is None


def test_deleted_and_closed_accounts_have_no_profile_and_their_posts_no_name(client, alice):
    review = factories.make_review(author=alice, body="Still here.")
    accounts.account_delete(user=alice)
    data = get_json(client, f"/reviews/{review.pk}/")
    assert data["author"] == {"username": None, "name": "a deleted user", "url": None}
    assert client.get(f"{API}/members/alice/").status_code == 404
    factories.make_user("pending", is_active=False)
    assert client.get(f"{API}/members/pending/").status_code == 404


def test_a_suspended_members_posts_stay_public_as_on_the_site(client, alice, moderator):
    review = factories.make_review(author=alice, body="Before the suspension.")
    until = timezone.now() + timedelta(days=3)
    moderation.sanction(
        moderator=moderator, member=alice, action="suspend", until=until, reason="Cool off."
    )
    assert ids(client, "/reviews/") == {review.pk}
    assert client.get(f"/u/{alice.username}/").status_code == 200
    assert get_json(client, "/members/alice/")["username"] == "alice"


def test_a_profile_shows_what_the_public_sees_and_no_address(client, alice, moderator):
    accounts.profile_update(user=alice, display_name="Alice L.", bio="Fan since 1994.")
    profile = get_json(client, "/members/alice/")
    assert profile["name"] == "Alice L." and profile["bio"] == "Fan since 1994."
    assert profile["member_since"] == alice.date_joined.strftime("%Y-%m")
    assert "@" not in json.dumps(profile)
    moderation.decide(moderator=moderator, item=alice.profile, action="hide", reason="Rude bio.")
    hidden = get_json(client, "/members/alice/")
    assert (hidden["name"], hidden["bio"], hidden["avatar"]) == ("alice", None, None)


def test_members_spoilers_stay_out_by_default(client, alice, bob):
    flagged = factories.make_review(
        author=alice, title="SECRET title", body="SECRET body.", is_spoiler=True
    )
    inline = factories.make_review(author=bob, body="Great film. ||SECRET twist|| Really.")
    data = get_json(client, f"/reviews/{flagged.pk}/")
    assert (data["title"], data["body_html"], data["body_text"]) == (None, None, None)
    assert data["is_spoiler"] is True
    data = get_json(client, f"/reviews/{inline.pk}/")
    assert data["body_text"] == "Great film. [spoiler] Really."
    assert "SECRET" not in json.dumps(get_json(client, "/reviews/"))

    shown = get_json(client, f"/reviews/{flagged.pk}/", spoilers="include")
    assert (shown["title"], shown["body_text"]) == ("SECRET title", "SECRET body.")
    shown = get_json(client, f"/reviews/{inline.pk}/", spoilers="include")
    assert shown["body_text"] == "Great film. SECRET twist Really."
    assert '<span class="spoiler" tabindex="0">SECRET twist</span>' in shown["body_html"]


def test_a_note_on_a_spoiler_quote_is_left_out(client, alice):
    quote = factories.make_quote(lines=[(None, "SECRET line.")], is_spoiler=True)
    collection = factories.make_collection(owner=alice)
    services.collection_add_quote(collection=collection, quote=quote, note="SECRET note.")
    item = get_json(client, f"/collections/{collection.pk}/")["items"][0]
    assert (item["note"], item["quote"]["text"], item["quote"]["is_spoiler"]) == (
        None, None, True,
    )  # fmt: skip
    item = get_json(client, f"/collections/{collection.pk}/", spoilers="include")["items"][0]
    assert (item["note"], item["quote"]["text"]) == ("SECRET note.", "SECRET line.")


def test_search_finds_the_catalogue_and_links_each_hit(client, spoiled_film):
    search.rebuild()  # as the commits of the rows above would
    data = get_json(client, "/search/", q="leon")
    hit = next(hit for hit in data["results"] if hit["kind"] == "character")
    assert hit["url"] == f"http://testserver{API}/characters/{spoiled_film.leon.pk}/"
    assert get_json(client, hit["url"])["name"] == "Léon"
    film = get_json(client, "/search/", q=spoiled_film.film.title, kind="film")["results"][0]
    assert film["url"].endswith(f"/films/{spoiled_film.film.slug}/")
    # A spoiler quote is found by its words but shows none of them.
    quote = get_json(client, "/search/", q="secret last", kind="quote")["results"]
    assert quote and all("SECRET" not in hit["title"] for hit in quote)
    assert quote[0]["inside_spoiler"] is True
    for bad in ({}, {"q": "  "}, {"q": "x", "kind": "comment"}, {"q": "x", "limit": "0"}):
        assert client.get(f"{API}/search/", bad).status_code == 400, bad
