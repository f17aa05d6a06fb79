import json
import re
from html import unescape

import pytest

from films.models import Character, Person, Quote

pytestmark = pytest.mark.django_db

LEON = "/films/leon-the-professional/"


def text_of(response):
    assert response.status_code == 200
    return unescape(response.content.decode())


def jsonld_of(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_film_page_shows_the_essentials(client, catalogue):
    page = text_of(client.get(LEON))
    for fact in [
        "Léon: The Professional",
        "1994",
        "1 h 50 min",
        "Luc Besson",
        "Éric Serra",
        "Jean Reno",
        "Natalie Portman",
        "Gary Oldman",
        "Show the full plot",
        "74%",
        "$16 million",
        "Shape of My Heart",
        "No women, no kids.",
        "Gold in Japan",
    ]:
        assert fact in page, fact
    # The plot is there but folded away behind a spoiler toggle.
    assert '<details class="spoiler-box">' in page


def test_film_page_markup_for_search_engines_and_sharing(client, catalogue):
    response = client.get(LEON)
    page = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/films/leon-the-professional/">' in page
    assert '<meta property="og:type" content="video.movie">' in page
    movie = jsonld_of(response)
    assert movie["@type"] == "Movie"
    assert movie["name"] == "Léon: The Professional"
    assert movie["director"][0]["name"] == "Luc Besson"
    assert movie["musicBy"][0]["name"] == "Éric Serra"
    assert {"Jean Reno", "Natalie Portman"} <= {a["name"] for a in movie["actor"]}
    assert movie["duration"] == "PT1H50M"


def test_cast_page_lists_every_credited_actor_and_the_crew(client, catalogue):
    page = text_of(client.get(LEON + "cast/"))
    for person in Person.objects.filter(credits__film__slug="leon-the-professional"):
        assert person.name in page
    for character in Character.objects.filter(
        film__slug="leon-the-professional", credits__isnull=False
    ):
        assert character.name in page
    assert "Cinematography" in page and "Thierry Arbogast" in page


def test_soundtrack_page_has_the_whole_tracklist_and_song_origin(client, catalogue):
    page = text_of(client.get(LEON + "soundtrack/"))
    for title in [
        "A Bird In New York",
        "Ballad For Mathilda",
        "The Fight (Part 2: Bring Me Everyone)",
        "Room 4602",
        "Very Special Delivery",
        "Shape of My Heart",
    ]:
        assert title.lower() in page.lower(), title
    assert page.count('class="track') >= 23
    for fact in ["Sting", "Ten Summoner's Tales", "1993", "Dominic Miller", "Larry Adler", "Gold"]:
        assert fact in page, fact


def test_quotes_page_shows_every_line(client, catalogue):
    page = text_of(client.get(LEON + "quotes/"))
    for text in Quote.objects.values_list("lines__text", flat=True):
        assert text in page, text


def test_trivia_page_shows_awards_figures_scores_and_locations(client, catalogue):
    page = text_of(client.get(LEON + "trivia/"))
    for fact in [
        "Czech Lion",
        "Golden Reel",
        "César Awards",
        "$45.3 million",
        "over $46 million",
        "18,662,979 tickets",
        "3,623,153 tickets",
        "26.8 million French francs (about $5.1 million)",
        "3 weeks",
        "74%",
        "from 66 reviews",
        "64/100",
        "from 12 critics",
        "2.5/4",
        "5/5",
        "4/5",
        "New York City",
        "The Professional",
    ]:
        assert fact in page, fact


def test_scene_page_links_lines_and_music(client, catalogue):
    page = text_of(client.get(LEON + "scenes/"))
    assert "Shape of My Heart" in page
    assert "Bring me everyone!" in page


@pytest.mark.parametrize("path", ["", "scenes/", "quotes/", "soundtrack/", "trivia/"])
def test_no_page_names_a_late_scene_in_its_markup(client, catalogue, path):
    """Scenes' anchors are their numbers: a late scene's slug is made from its title, and
    ids and links are read before any guard is opened."""
    from films.models import Scene
    from tests.guards import read

    late = Scene.objects.filter(is_spoiler=True).values_list("slug", flat=True)
    assert late
    visible, _hidden = read(client.get(LEON + path).content.decode())
    assert [slug for slug in late if re.search(rf"scene-{slug}\b|#{slug}\b", visible)] == []


def test_character_page_has_actor_lines_scenes_and_aliases(client, catalogue):
    page = text_of(client.get(LEON + "characters/mathilda/"))
    for fact in ["Mathilda Lando", "Natalie Portman", "Matilda", "I don't ever want to lose you."]:
        assert fact in page, fact
    assert "Scenes" in page


def test_person_page_has_filmography_and_markup(client, catalogue):
    response = client.get("/people/eric-serra/")
    page = text_of(response)
    for fact in ["Éric Serra", "Eric Serra", "Nikita", "The Fifth Element", "Lucy"]:
        assert fact in page, fact
    data = jsonld_of(response)
    assert data["@type"] == "Person" and data["alternateName"] == ["Eric Serra"]


def test_besson_filmography_has_the_other_films(client, catalogue):
    page = text_of(client.get("/people/luc-besson/"))
    for title in ["Nikita", "The Fifth Element", "Lucy", "Angel-A", "The Family", "Joan of Arc"]:
        assert title in page, title


def test_quote_page_is_a_quotation_spoken_by_a_character(client, catalogue):
    quote = Quote.objects.get(key="bring-me-everyone")
    response = client.get(quote.get_absolute_url())
    page = text_of(response)
    assert "Bring me everyone!" in page and "Improvised" in page
    data = jsonld_of(response)
    assert data["@type"] == "Quotation"
    assert data["spokenByCharacter"][0]["name"] == "Norman Stansfield"


def test_home_and_film_list(client, catalogue):
    home = text_of(client.get("/"))
    assert "Léon: The Professional" in home and "Nikita" in home
    films = text_of(client.get("/films/"))
    assert "7 in all" in films


def test_search_finds_aliases_and_lines(client, catalogue):
    assert "Mathilda Lando" in text_of(client.get("/search/", {"q": "matilda"}))
    assert "Éric Serra" in text_of(client.get("/search/", {"q": "eric serra"}))
    assert "No women, no kids." in text_of(client.get("/search/", {"q": "no kids"}))
    assert "Type at least two letters or digits" in text_of(client.get("/search/", {"q": "x"}))


def test_search_survives_hostile_input(client, catalogue):
    for q in ["' OR 1=1 --", "%", "_", "\\", "a" * 10_000, "<script>alert(1)</script>"]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/films/nope/",
        "/films/nope/cast/",
        "/films/leon-the-professional/characters/nope/",
        "/people/nope/",
        "/quotes/999999/",
        "/quotes/abc/",
    ],
)
def test_unknown_things_are_a_friendly_404(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "This page has been cleaned" in response.content.decode()


def test_sitemap_lists_every_page_kind(client, catalogue):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for path in [LEON, LEON + "soundtrack/", LEON + "characters/mathilda/", "/people/jean-reno/"]:
        assert f"<loc>http://testserver{path}</loc>" in body
    assert "/quotes/" in body


def test_robots_points_at_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_pages_send_a_strict_content_security_policy(client, catalogue):
    csp = client.get(LEON).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_no_inline_scripts_or_style_attributes(client, catalogue):
    page = client.get(LEON).content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/ld+json"' in attrs for attrs in scripts)
    assert " style=" not in page
