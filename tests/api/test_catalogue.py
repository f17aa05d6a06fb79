"""The catalogue in the read API: ids, slugs and links between resources, timecodes,
filters, and spoilers left out unless asked for."""

import json

import pytest

from tests import factories
from tests.api.conftest import API, get_json

pytestmark = pytest.mark.django_db

LISTS = [
    "films", "people", "characters", "credits", "scenes", "quotes", "albums", "tracks",
    "track-credits", "trivia", "awards", "critic-scores", "figures", "locations",
]  # fmt: skip


def test_the_index_links_every_list(client):
    links = get_json(client, "/")["links"]
    for name in LISTS:
        assert links[name] == f"http://testserver/api/v1/{name}/", name
    assert links["schema"].endswith("/api/v1/schema/") and links["docs"].endswith("/docs/")


def test_a_film_has_its_slug_its_page_and_links_to_everything_about_it(client, spoiled_film):
    film = spoiled_film.film
    data = get_json(client, f"/films/{film.slug}/")
    assert data["id"] == film.pk and data["slug"] == film.slug
    assert data["url"] == f"http://testserver{API}/films/{film.slug}/"
    assert data["page"] == f"http://testserver/films/{film.slug}/"
    assert data["cuts"] == [
        {"id": spoiled_film.cut.pk, "slug": "theatrical", "name": "Theatrical cut",
         "runtime_minutes": None}
    ]  # fmt: skip
    quotes = get_json(client, data["links"]["quotes"])["results"]
    assert {quote["id"] for quote in quotes} == {
        spoiled_film.open_quote.pk,
        spoiled_film.spoiler_quote.pk,
        spoiled_film.late_quote.pk,
    }
    # Every reference is a link that answers.
    credit = get_json(client, data["links"]["credits"])["results"][0]
    person = get_json(client, credit["person"]["url"])
    assert person["slug"] == credit["person"]["slug"]
    character = get_json(client, credit["character"]["url"])
    assert character["name"] == "Léon" and character["played_by"][0]["id"] == person["id"]
    assert get_json(client, character["film"]["url"])["id"] == film.pk


def test_scenes_carry_their_timecodes_in_each_cut(client, spoiled_film):
    scene = get_json(client, f"/scenes/{spoiled_film.early.pk}/")
    assert scene["timings"] == [
        {"cut": {"id": spoiled_film.cut.pk, "slug": "theatrical", "name": "Theatrical cut",
                 "runtime_minutes": None},
         "start_seconds": 62, "end_seconds": 125}
    ]  # fmt: skip
    assert get_json(client, f"/scenes/{spoiled_film.late.pk}/")["timings"] == []


def test_quotes_come_with_their_lines_speakers_and_scene(client, spoiled_film):
    quote = get_json(client, f"/quotes/{spoiled_film.open_quote.pk}/")
    assert quote["lines"] == [
        {"order": 1, "text": "No women, no kids.",
         "character": {"id": spoiled_film.leon.pk, "slug": "leon", "name": "Léon",
                       "url": f"http://testserver{API}/characters/{spoiled_film.leon.pk}/"}}
    ]  # fmt: skip
    assert quote["scene"]["id"] == spoiled_film.early.pk
    assert quote["scene"]["title"] == "The Job"
    assert quote["page"] == f"http://testserver/quotes/{spoiled_film.open_quote.pk}/"


def ids(client, path, **params):
    return {item["id"] for item in get_json(client, path, **params)["results"]}


def test_filters(client, spoiled_film):
    s = spoiled_film
    other = factories.make_quote(s.film, [(factories.make_character(s.film), "Someone else.")])
    assert ids(client, "/quotes/", character=s.leon.pk) == {
        s.open_quote.pk,
        s.spoiler_quote.pk,
        s.late_quote.pk,
    }
    assert other.pk not in ids(client, "/quotes/", character=s.leon.pk)
    assert ids(client, "/quotes/", scene=s.early.pk) == {s.open_quote.pk, s.spoiler_quote.pk}
    assert ids(client, "/tracks/", scene=s.early.pk) == {s.early_track.pk}
    assert ids(client, "/tracks/", album=s.album.slug) == {s.early_track.pk, s.late_track.pk}
    assert ids(client, "/scenes/", film=s.film.slug) == {s.early.pk, s.late.pk}
    assert ids(client, "/films/", year=1994) >= {s.film.pk}
    assert ids(client, "/films/", year=1800) == set()


def everything(client, film, **params):
    """Every catalogue list about the film and every item in it, as one text."""
    texts = []
    for name in LISTS:
        if name in ("films", "people", "track-credits"):
            continue
        page = get_json(client, f"/{name}/", film=film.slug, **params)
        texts.append(json.dumps(page))
        for item in page["results"]:
            texts.append(json.dumps(get_json(client, item["url"], **params)))
    texts.append(json.dumps(get_json(client, f"/films/{film.slug}/", **params)))
    return "\n".join(texts)


def test_spoilers_stay_out_by_default_and_come_when_asked_for(client, spoiled_film):
    hidden = everything(client, spoiled_film.film)
    assert "secret" not in hidden.lower()  # the late scene's slug, made from its title, too
    shown = everything(client, spoiled_film.film, spoilers="include")
    for secret in [
        "SECRET plot.", "SECRET scene title", "secret-scene-title", "SECRET ending.",
        "SECRET last line.", "SECRET context.", "SECRET notes.", "SECRET fact.",
    ]:  # fmt: skip
        assert secret in shown, secret


def test_what_spoils_is_null_and_flagged(client, spoiled_film):
    s = spoiled_film
    quote = get_json(client, f"/quotes/{s.spoiler_quote.pk}/")
    assert quote["is_spoiler"] is True
    assert quote["lines"][0]["text"] is None and quote["context"] is None
    assert quote["lines"][0]["character"]["name"] == "Léon"  # who says it is no spoiler
    late = get_json(client, f"/scenes/{s.late.pk}/")
    assert (late["title"], late["description"], late["characters"]) == (None, None, None)
    assert late["order"] == 2 and late["is_spoiler"] is True
    late = get_json(client, f"/scenes/{s.late.pk}/", spoilers="include")
    assert [character["name"] for character in late["characters"]] == ["A stranger"]
    # Nothing points at a late scene: references are null, its filter finds nothing.
    assert get_json(client, f"/quotes/{s.late_quote.pk}/")["scene"] is None
    assert get_json(client, f"/tracks/{s.late_track.pk}/")["scene"] is None
    assert ids(client, "/quotes/", scene=s.late.pk) == set()
    assert ids(client, "/tracks/", scene=s.late.pk) == set()
    assert ids(client, "/scenes/", character=s.leon.pk) == {s.early.pk}
    assert ids(client, "/tracks/", scene=s.late.pk, spoilers="include") == {s.late_track.pk}
    assert ids(client, "/scenes/", character=s.leon.pk, spoilers="include") == {s.early.pk}
    assert get_json(client, f"/films/{s.film.slug}/")["plot"] is None
    assert get_json(client, f"/films/{s.film.slug}/", spoilers="include")["plot"] == "SECRET plot."


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("/quotes/", {"film": "no-such-film"}, "film"),
        ("/quotes/", {"character": "abc"}, "character"),
        ("/quotes/", {"scene": "999999999"}, "scene"),
        ("/credits/", {"role": "stuntman"}, "role"),
        ("/trivia/", {"category": "gossip"}, "category"),
        ("/films/", {"year": "nineteen"}, "year"),
        ("/films/", {"page_size": "0"}, "page_size"),
        ("/films/", {"page_size": "101"}, "page_size"),
        ("/films/", {"page_size": "ten"}, "page_size"),
        ("/films/", {"cursor": "not-a-cursor"}, "cursor"),
        ("/films/", {"cursor": "cD1hYmM="}, "cursor"),  # p=abc: not an id
        ("/films/", {"spoilers": "yes"}, "spoilers"),
        ("/films/leon/", {"spoilers": "all"}, "spoilers"),
    ],
)
def test_malformed_parameters_are_a_400_that_names_them(client, path, params, field):
    factories.make_film(slug="leon")
    response = client.get(API + path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body and body[field][0], body


def test_the_api_is_read_only(client, film):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}/films/{film.slug}/")
        assert response.status_code == 405, method
    assert client.head(f"{API}/films/{film.slug}/").status_code == 200


def test_paging_follows_next_links_without_gaps_or_repeats(client):
    made = {factories.make_person().pk for _ in range(25)}
    seen, url = [], f"{API}/people/?page_size=10"
    while url:
        page = get_json(client, url)
        seen += [person["id"] for person in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
