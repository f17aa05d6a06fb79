"""A marker planted in every kind of spoiler is never readable outside a guard: on every
page type, signed out and signed in, nor in the feed, the sitemap, search, share cards,
meta tags or JSON-LD."""

import json
import re

import pytest
from django.urls import reverse

from films.models import Scene
from reviews import cards, follows, services
from tests.factories import (
    make_album,
    make_cast_credit,
    make_collection,
    make_comment,
    make_film,
    make_person,
    make_quote,
    make_review,
    make_track,
    make_trivia,
    make_user,
)
from tests.guards import read

pytestmark = pytest.mark.django_db

MARKERS = {
    "line": "qxlinemark",
    "context": "qxcontextmark",
    "trivia": "qxtriviamark",
    "scene": "qxscenemark",
    "plot": "qxplotmark",
    "flagged": "qxflaggedmark",
    "inline": "qxinlinemark",
    "note": "qxnotemark",
    "comment": "qxcommentmark",
    "title": "qxtitlemark",
    "nested": "qxnestedmark",
}
# The channels the search indexes (apart, as spoiler text).
SEARCHED = ("line", "context", "flagged", "inline", "title", "nested")
ANY_MARKER = re.compile("|".join(MARKERS.values()), re.I)


@pytest.fixture
def planted(db):
    film = make_film(
        slug="kestrel-lane", title="Kestrel Lane", synopsis="A keeper and a girl.",
        plot=f"In the end the keeper falls, {MARKERS['plot']}.",
    )  # fmt: skip
    person = make_person(name="Ada Brisk")
    credit = make_cast_credit(film, person, billing_order=1)
    hero = credit.character
    early = Scene.objects.create(film=film, slug="arrival", order=1, title="Arrival")
    late = Scene.objects.create(
        film=film, slug="quay", order=2, title="The Quay", is_spoiler=True,
        description=f"The keeper falls on the quay, {MARKERS['scene']}.",
    )  # fmt: skip
    for scene in (early, late):
        scene.characters.add(hero)
    quote = make_quote(
        film, [(hero, f"Remember the lighthouse, {MARKERS['line']}.")], scene=late,
        context=f"Dying, {MARKERS['context']}.", is_spoiler=True, is_featured=True,
    )  # fmt: skip
    make_quote(film, [(hero, "Bring the marigolds inside.")], scene=early, is_featured=True)
    trivia = make_trivia(film, text=f"The fall was shot last, {MARKERS['trivia']}.",
                         is_spoiler=True, scene=late)  # fmt: skip
    trivia.people.add(person)
    trivia.characters.add(hero)
    make_track(make_album(film), title="Tide Theme", scene=late)

    author = make_user("author")
    flagged = make_review(
        author=author, film=film, rating=9, title=f"The ending, {MARKERS['title']}",
        body=f"When the keeper falls, {MARKERS['flagged']}.", is_spoiler=True,
    )  # fmt: skip
    inline = make_review(
        author=make_user("second"), film=film, rating=7, title="Worth it",
        body=f"The score is wonderful. ||The fall, {MARKERS['inline']}.|| "
        f"||He *||falls||* at the end, {MARKERS['nested']}||",
    )  # fmt: skip
    make_comment(review=flagged, author=make_user("third"), body=f"Yes, {MARKERS['comment']}.")
    collection = make_collection(owner=author, title="Lines I love")
    services.collection_add_quote(
        collection=collection, quote=quote, note=f"That last line, {MARKERS['note']}."
    )
    return {
        "film": film, "person": person, "hero": hero, "quote": quote, "flagged": flagged,
        "inline": inline, "collection": collection, "author": author,
    }  # fmt: skip


def page_urls(p):
    film = p["film"]
    slug = {"slug": film.slug}
    return [
        "/",
        reverse("films:film-list"),
        reverse("films:film-detail", kwargs=slug),
        reverse("films:film-cast", kwargs=slug),
        reverse("films:film-soundtrack", kwargs=slug),
        reverse("films:film-quotes", kwargs=slug),
        reverse("films:film-scenes", kwargs=slug),
        reverse("films:film-trivia", kwargs=slug),
        reverse("films:character-detail", kwargs={"film_slug": film.slug, "slug": p["hero"].slug}),
        reverse("films:person-detail", kwargs={"slug": p["person"].slug}),
        p["quote"].get_absolute_url(),
        reverse("reviews:film-reviews", kwargs=slug),
        p["flagged"].get_absolute_url(),
        p["inline"].get_absolute_url(),
        reverse("reviews:collection-list"),
        p["collection"].get_absolute_url(),
        reverse("accounts:profile", kwargs={"username": "author"}),
        reverse("search") + "?q=kestrel",
        reverse("search") + "?q=keeper",
    ]


def assert_nothing_readable(html, url):
    visible, _hidden = read(html)
    leaked = ANY_MARKER.findall(visible)
    assert not leaked, f"{url} shows {leaked} outside a guard"


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_no_page_shows_a_spoiler_outside_a_guard(client, planted, signed_in):
    urls = page_urls(planted)
    if signed_in:
        reader = make_user("reader")
        for followed in (planted["author"], planted["inline"].author):
            follows.follow(follower=reader, followed=followed)
        client.force_login(reader)
        urls.append(reverse("reviews:activity"))  # and the home page's feed
    guarded = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_nothing_readable(html, url)
        guarded.update(ANY_MARKER.findall(read(html)[1]))
    # Every spoiler was on some page, behind its guard: the crawl saw them all.
    assert guarded == set(MARKERS.values())


def test_the_members_own_pages_guard_too(client, planted):
    # The author of the flagged review and the collection reads them guarded as well.
    client.force_login(planted["author"])
    for url in page_urls(planted):
        assert_nothing_readable(client.get(url).content.decode(), url)


def test_searching_for_a_spoilers_words_shows_nothing_of_them(client, planted):
    from films import search

    search.rebuild()
    for name, marker in MARKERS.items():
        html = client.get(reverse("search"), {"q": marker}).content.decode()
        results = " ".join(re.findall(r'<ol class="search-results.*?</ol>', html, re.S))
        assert marker not in results
        if name in SEARCHED:  # found, and shown as a match inside a spoiler only
            assert results.count("<li") == 1 and "Matches inside a spoiler" in results, name


def test_the_feed_and_the_sitemap_carry_no_spoiler(client, planted):
    feed = client.get(reverse("reviews:film-feed", kwargs={"slug": planted["film"].slug}))
    body = feed.content.decode()
    assert feed.status_code == 200 and not ANY_MARKER.search(body)
    assert "[spoiler]" in body  # where the inline spoiler was
    assert "This review contains spoilers" in body
    assert "wonderful" in body  # the open text is still there
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert not ANY_MARKER.search(sitemap)


def test_share_cards_name_the_film_and_speaker_and_say_the_line_is_a_spoiler(client, planted):
    data = cards.card_data(planted["quote"])
    assert not ANY_MARKER.search(json.dumps(data))
    assert data["speaker"] == planted["hero"].name and "Kestrel Lane" in data["film"]
    assert data["lines"] == ["[spoiler]"]
    response = client.get(reverse("reviews:quote-card", kwargs={"pk": planted["quote"].pk}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_meta_tags_and_json_ld_name_no_spoiler(client, planted):
    for url in (planted["quote"].get_absolute_url(), planted["inline"].get_absolute_url(),
                planted["flagged"].get_absolute_url(),
                reverse("films:film-detail", kwargs={"slug": planted["film"].slug})):  # fmt: skip
        html = client.get(url).content.decode()
        head = html.split("</head>")[0]
        assert not ANY_MARKER.search(head), url
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert not ANY_MARKER.search(block), url
    html = client.get(planted["inline"].get_absolute_url()).content.decode()
    [data] = [json.loads(b) for b in re.findall(r'ld\+json">(.*?)</script>', html, re.S)
              if '"Review"' in b]  # fmt: skip
    assert data["reviewBody"] == "The score is wonderful. [spoiler] [spoiler]"


def test_a_reader_who_asks_reads_every_spoiler(client, planted):
    # Guards hide, they do not drop: opened, each marker is on the page it belongs to.
    reader = make_user("fan")
    services_progress = __import__("films.services", fromlist=["progress_set"])
    services_progress.progress_set(user=reader, film=planted["film"], scene=None, seen_all=True)
    from leonsite.accounts.models import Profile

    Profile.objects.filter(user=reader).update(show_members_spoilers=True)
    client.force_login(reader)
    seen = set()
    for url in page_urls(planted):
        seen.update(ANY_MARKER.findall(read(client.get(url).content.decode())[0]))
    assert seen == set(MARKERS.values())
