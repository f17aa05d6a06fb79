"""The site in English and French: the URL's prefix picks the language, every page
names its other language, the switch remembers the choice, and no cache ever serves one
language's copy to the other."""

import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.utils import translation

from films.formatting import format_figure
from films.models import Figure
from leonsite.lib import caching

LEON = "/films/leon-the-professional/"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def html_lang(response) -> str:
    assert response.status_code == 200
    return re.search(r"<html lang=\"([a-z-]+)\"", response.content.decode()).group(1)


def alternates(response) -> dict[str, str]:
    found = re.findall(
        r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', response.content.decode()
    )
    return dict(found)


def text_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


# The catalogue itself.


def test_the_french_catalogue_is_complete_and_nothing_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.metadata["Language"] == "fr"
    assert not catalogue.metadata_is_fuzzy
    assert len(catalogue) > 0
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []


def test_every_french_string_keeps_its_placeholders():
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")
    for entry in polib.pofile(str(CATALOGUE)):
        expected = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = sorted(placeholder.findall(text))
            # A singular form may name its number in words ("une semaine") only when the
            # English singular does too.
            assert found == expected or found == sorted(placeholder.findall(entry.msgid)), (
                entry.msgid
            )


# Addresses: English unprefixed and unchanged, French under /fr/.


def test_english_pages_keep_their_addresses_and_french_ones_have_a_prefix(client, catalogue):
    assert html_lang(client.get(LEON)) == "en"
    assert html_lang(client.get("/fr" + LEON)) == "fr"
    assert html_lang(client.get("/")) == "en"
    assert html_lang(client.get("/fr/")) == "fr"
    assert client.get("/en" + LEON).status_code == 404  # English has no prefix


def test_a_french_browser_is_sent_to_the_french_page(client, catalogue):
    response = client.get(LEON + "cast/?x=1", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/fr" + LEON + "cast/?x=1"
    assert {"Accept-Language", "Cookie"} <= set(re.split(r",\s*", response["Vary"]))
    assert client.get("/fr/").headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    "header", ["", "en-GB,en;q=0.9,fr;q=0.5", "de-DE,de;q=0.9", "*", "x" * 500]
)
def test_other_browsers_and_crawlers_read_english_at_the_unprefixed_address(
    client, catalogue, header
):
    """The first language the site speaks wins; none (a crawler, German only) is English."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("path", ["/%2Fevil.example/", "//evil.example/", "/%2F%2Fevil.example/"])
def test_a_french_browser_is_never_sent_to_another_site(client, catalogue, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert "evil.example" not in response.get("Location", "")


def test_an_address_with_accents_is_served_not_sent_round_in_circles(client, db):
    from tests.factories import make_user

    make_user("josé")
    english = client.get("/u/jos%C3%A9/")
    assert english.status_code == 200
    french = client.get("/u/jos%C3%A9/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 302
    assert french["Location"] == "/fr/u/jos%C3%A9/"
    assert client.get(french["Location"]).status_code == 200


def test_a_very_long_address_is_resolved_without_being_kept(client, catalogue):
    from leonsite.lib.language import addresses_of

    before = addresses_of.cache_info().currsize
    response = client.get("/films/" + "x" * 400 + "/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code in (302, 404)
    assert addresses_of.cache_info().currsize == before


def test_the_page_cache_keeps_the_english_copy_from_french_browsers(client, catalogue):
    """The English copy is cached at `/`: a French browser is still sent to /fr/."""
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # from the cache
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_a_choice_of_english_outweighs_a_french_browser(client, catalogue):
    chosen = client.post(
        "/language/", {"language": "en", "next": "/fr" + LEON}, HTTP_ORIGIN="http://testserver"
    )
    assert chosen["Location"] == LEON
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(LEON, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_the_api_and_the_admin_ignore_the_browsers_language(client, db):
    response = client.get("/api/v1/films/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_every_page_names_its_address_in_each_language(client, catalogue):
    english = alternates(client.get(LEON + "cast/"))
    french = alternates(client.get("/fr" + LEON + "cast/"))
    expected = {
        "en": f"http://testserver{LEON}cast/",
        "fr": f"http://testserver/fr{LEON}cast/",
        "x-default": f"http://testserver{LEON}cast/",
    }
    assert english == expected
    assert french == expected


def test_a_french_page_links_to_french_pages(client, catalogue):
    body = client.get("/fr" + LEON).content.decode()
    assert f'href="/fr{LEON}cast/"' in body
    assert f'href="{LEON}cast/"' not in body


def test_the_api_and_the_admin_have_no_french_address(client, db):
    assert client.get("/fr/api/v1/films/").status_code == 404
    assert client.get("/api/v1/films/").status_code == 200


# The switch.


def test_the_switch_goes_to_the_same_page_in_french_and_remembers(client, catalogue):
    response = client.post(
        "/language/", {"language": "fr", "next": LEON + "cast/"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr" + LEON + "cast/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # Back later at an English address (a bookmark): the French page.
    again = client.get(LEON + "?x=1")
    assert again.status_code == 302
    assert again["Location"] == "/fr" + LEON + "?x=1"
    assert "Cookie" in again["Vary"]
    # The API and the admin stay where they are.
    assert client.get("/api/v1/films/").status_code == 200
    # And back to English: the cookie says so.
    back = client.post(
        "/language/", {"language": "en", "next": "/fr" + LEON}, HTTP_ORIGIN="http://testserver"
    )
    assert back["Location"] == LEON
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get(LEON)) == "en"


def test_the_switch_refuses_other_sites_and_other_languages(client, db):
    cross = client.post("/language/", {"language": "fr"}, HTTP_ORIGIN="https://elsewhere.example")
    assert cross.status_code == 403
    odd = client.post("/language/", {"language": "de"}, HTTP_ORIGIN="http://testserver")
    assert odd.status_code == 400
    away = client.post(
        "/language/",
        {"language": "fr", "next": "https://elsewhere.example/"},
        HTTP_ORIGIN="http://testserver",
    )
    assert away["Location"] == "/fr/"


def test_the_footer_offers_the_other_language_without_a_csrf_token(client, catalogue):
    body = client.get(LEON).content.decode()
    assert '<form class="language-form" method="post" action="/language/">' in body
    button = 'class="btn btn-sm btn-outline-secondary" name="language" value="fr" lang="fr"'
    assert f'<button type="submit" {button}>Français</button>' in body
    assert f'<input type="hidden" name="next" value="{LEON}">' in body
    assert "csrfmiddlewaretoken" not in body
    french = client.get("/fr" + LEON).content.decode()
    assert 'value="en" lang="en">English</button>' in french
    assert '<legend class="theme-legend">Langue</legend>' in french


# The caches.


def test_the_page_cache_never_serves_one_language_to_the_other(client, catalogue):
    for _ in range(2):  # the second round is served from the cache
        assert html_lang(client.get(LEON)) == "en"
        assert html_lang(client.get("/fr" + LEON)) == "fr"
        assert html_lang(client.get(LEON + "trivia/")) == "en"
        assert html_lang(client.get("/fr" + LEON + "trivia/")) == "fr"
    assert "18,662,979 tickets" in text_of(client.get(LEON + "trivia/"))
    assert "18\xa0662\xa0979 entrées" in text_of(client.get("/fr" + LEON + "trivia/"))


def test_the_whole_page_cache_keys_by_the_active_language(rf, db, visitor_cached):
    calls = []

    @caching.cache_for_visitors("catalogue")
    def view(request):
        calls.append(translation.get_language())
        return HttpResponse(translation.get_language())

    serve = visitor_cached(view)
    for language in ("en", "fr", "en", "fr"):
        with translation.override(language):
            assert serve(rf.get("/same/")).content.decode() == language
    assert calls == ["en", "fr"]


def test_fragment_caches_hold_one_copy_per_language(client, catalogue):
    """The film's facts and figures are cached fragments shared by every visitor: the
    French page's own, then the English page's own, whichever came first."""
    fresh = Client()
    french = text_of(fresh.get("/fr" + LEON + "trivia/", HTTP_COOKIE="sessionid=x"))
    english = text_of(fresh.get(LEON + "trivia/", HTTP_COOKIE="sessionid=x"))
    assert "18\xa0662\xa0979 entrées" in french and "18,662,979 tickets" not in french
    assert "18,662,979 tickets" in english and "entrées" not in english


def test_search_suggestions_link_to_the_pages_in_the_visitors_language(client, catalogue):
    english = client.get("/search/suggest/", {"q": "mathilda"}).json()
    french = client.get("/fr/search/suggest/", {"q": "mathilda"}).json()
    assert english and french
    assert all(not item["url"].startswith("/fr/") for item in _items(english))
    assert all(item["url"].startswith("/fr/") for item in _items(french))


def _items(payload):
    return payload["suggestions"]


# The sitemap.


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client, catalogue):
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{LEON}</loc>" in body
    assert f"<loc>http://testserver/fr{LEON}</loc>" in body
    assert f"<loc>http://testserver/fr{LEON}soundtrack/</loc>" in body
    assert "<loc>http://testserver/fr/people/jean-reno/</loc>" in body
    assert f'hreflang="fr" href="http://testserver/fr{LEON}"' in body
    assert f'hreflang="x-default" href="http://testserver{LEON}"' in body


# Dates and numbers.


def test_dates_read_in_the_pages_language(client, catalogue):
    assert "14 September 1994" in text_of(client.get(LEON))
    assert "14 septembre 1994" in text_of(client.get("/fr" + LEON))


@pytest.mark.parametrize(
    "kind,value,currency,approximate,usd,english,french",
    [
        (Figure.Kind.TICKETS, 18_662_979, "", False, None, "18,662,979 tickets",
         "18\xa0662\xa0979 entrées"),
        (Figure.Kind.BOX_OFFICE, 45_284_974, "USD", False, None, "$45.3 million",
         "45,3 millions\xa0$"),
        (Figure.Kind.BOX_OFFICE, 46_000_000, "USD", True, None, "over $46 million",
         "plus de 46 millions\xa0$"),
        (Figure.Kind.BOX_OFFICE, 1_500_000, "EUR", False, None, "€1.5 million",
         "1,5 million\xa0€"),
        (Figure.Kind.BOX_OFFICE, 26_800_000, "FRF", False, 5_100_000,
         "26.8 million French francs (about $5.1 million)",
         "26,8 millions de francs français (environ 5,1 millions\xa0$)"),
        (Figure.Kind.WEEKS_AT_NUMBER_ONE, 3, "", False, None, "3 weeks", "3 semaines"),
        (Figure.Kind.WEEKS_AT_NUMBER_ONE, 1, "", False, None, "1 week", "1 semaine"),
    ],
)  # fmt: skip
def test_figures_read_in_the_pages_language(
    kind, value, currency, approximate, usd, english, french
):
    figure = Figure(
        kind=kind, value=value, currency=currency, approximate=approximate, converted_usd=usd
    )
    with translation.override("en"):
        assert format_figure(figure) == english
    with translation.override("fr"):
        assert format_figure(figure) == french
