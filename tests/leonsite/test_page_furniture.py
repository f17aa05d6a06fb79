"""The nav's links and the theme choices are cached fragments: each reader, language and
theme still gets their own."""

import re

import pytest
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def checked_theme(html):
    return re.search(r'<input type="radio" name="theme" value="(\w+)"[^>]* checked', html).group(1)


def test_the_nav_links_keep_members_visitors_and_languages_apart(catalogue):
    member = Client()
    member.force_login(make_user())
    english = member.get("/films/").content.decode()
    french = member.get("/fr/films/").content.decode()
    visitor = Client().get("/films/").content.decode()
    assert 'href="/activity/"' in english
    assert 'href="/fr/activity/"' in french and 'href="/activity/"' not in french
    assert "/activity/" not in visitor


def test_the_theme_choices_follow_each_readers_theme_and_page(catalogue):
    dark, light = Client(), Client()
    dark.cookies["theme"], light.cookies["theme"] = "dark", "light"
    for client in (dark, light):
        client.force_login(make_user())
    assert checked_theme(dark.get("/films/").content.decode()) == "dark"
    assert checked_theme(light.get("/films/").content.decode()) == "light"
    # The way back is each page's own, outside the fragment.
    page = light.get("/collections/").content.decode()
    assert re.search(r'name="next" value="/collections/"', page)
