"""Every page type in French shows no English left: no string of the catalogue (its
English msgids) of four words or more appears verbatim in a French page's visible text.
Catalogue content (titles, names, quotes) and members' posts are not in the catalogue of
strings, so only the interface is checked."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.pages import AUDIENCES, french, make_visitor, pages_for

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
MIN_WORDS = 4


def english_phrases() -> set[str]:
    """The English side of the catalogue, cut at its placeholders and markup: each
    stretch of four words or more that the French translation does not keep as is."""
    phrases = set()
    for entry in polib.pofile(str(CATALOGUE)):
        kept = {entry.msgstr, *entry.msgstr_plural.values()}
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if msgid in kept:
                continue
            for part in PLACEHOLDER.split(re.sub(r"<[^>]*>", " ", msgid)):
                words = part.split()
                if len(words) >= MIN_WORDS:
                    phrases.add(" ".join(words))
    return phrases


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script, style and template."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return parser.text()


def test_the_check_sees_english_when_there_is_some():
    phrases = english_phrases()
    assert phrases, "the catalogue has no phrase of four words or more"
    sample = sorted(phrases)[0]
    assert sample in visible_text(f"<p>{sample}</p><script>ignored words here too</script>")


def test_no_french_page_shows_an_english_interface_string(catalogue):
    phrases = english_phrases()
    left = {}
    for who in AUDIENCES:
        client = Client()
        visitor = make_visitor(who)
        if visitor is not None:
            client.force_login(visitor)
        for page_kind in pages_for(who):
            response = client.get(french(page_kind))
            assert response.status_code == page_kind.status, page_kind.name
            text = visible_text(response.content.decode())
            found = sorted(phrase for phrase in phrases if phrase in text)
            if found:
                left[f"{page_kind.name} ({who})"] = found
    assert not left, "\n".join(f"{page}: {found}" for page, found in left.items())


@pytest.mark.parametrize("name", ["500.html", "503.html"])
def test_the_pages_without_context_processors_speak_the_active_language(name):
    """500 and 503 render without the site's context: the active language is enough."""
    from django.template import loader
    from django.utils import translation

    with translation.override("en"):
        english = loader.get_template(name).render({"retry_after": 30})
    with translation.override("fr"):
        french_page = loader.get_template(name).render({"retry_after": 30})
    assert english.startswith('<!DOCTYPE html>\n<html lang="en"')
    assert '<a href="/">Back to the home page</a>' in english
    assert french_page.startswith('<!DOCTYPE html>\n<html lang="fr"')
    assert '<a href="/fr/">Retour à l\'accueil</a>' in french_page
