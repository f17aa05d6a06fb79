"""The colour theme: light, dark or the device's, chosen in the footer without JavaScript,
kept in a cookie, rendered on the server, and never served to the wrong visitor from the
page cache."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import make_film, make_user

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
DARK_CSS = re.compile(r'<link rel="stylesheet" href="[^"]*/css/dark\.css"( media="[^"]*")?>')


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def dark_stylesheet(response):
    """None when the page never goes dark, else the link's media attribute ('' = always)."""
    match = DARK_CSS.search(response.content.decode())
    return None if match is None else (match.group(1) or "")


def checked_choice(response):
    page = response.content.decode()
    return re.search(r'<input type="radio" name="theme" value="(\w+)"[^>]*checked', page).group(1)


def choose(client, theme, next_url="/films/", **headers):
    headers.setdefault("HTTP_ORIGIN", HOST)
    return client.post("/theme/", {"theme": theme, "next": next_url}, **headers)


def test_a_new_visitor_gets_the_devices_theme(client):
    make_film()
    response = client.get("/films/")
    assert html_tag(response) == '<html lang="en">'
    assert dark_stylesheet(response) == ' media="(prefers-color-scheme: dark)"'
    page = response.content.decode()
    assert '<meta name="color-scheme" content="light dark">' in page
    for colour, scheme in (("#1d1c1a", "light"), ("#0a0908", "dark")):
        media = f"(prefers-color-scheme: {scheme})"
        assert f'<meta name="theme-color" content="{colour}" media="{media}">' in page
    assert checked_choice(response) == "system"


def test_the_footer_switch_is_a_plain_form_that_posts_without_javascript(client):
    make_film()
    page = client.get("/films/").content.decode()
    start = '<form class="theme-form" method="post" action="/theme/">'
    found = re.search(re.escape(start) + ".*?</form>", page, re.S)
    assert found is not None
    form = found.group(0)
    assert "<legend" in form and ">Theme</legend>" in form
    for value, label in (("system", "Auto"), ("light", "Light"), ("dark", "Dark")):
        radio = re.search(rf'type="radio" name="theme" value="{value}"[^>]* id="(.+?)"', form)
        assert radio is not None, value
        assert f'<label class="form-check-label" for="{radio.group(1)}">{label}</label>' in form
    assert '<input type="hidden" name="next" value="/films/"' in form
    assert '<button type="submit"' in form
    # A visitor's copy carries no token: the page stays cacheable (the view checks the origin).
    assert "csrfmiddlewaretoken" not in form


def test_choosing_dark_keeps_it_a_year_and_goes_back(client):
    make_film()
    response = choose(client, "dark", "/films/?page=1")
    assert response.status_code == 302
    assert response["Location"] == "/films/?page=1"
    cookie = client.cookies["theme"]
    assert cookie.value == "dark"
    assert cookie["max-age"] == 365 * 86400
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    page = client.get("/films/")
    assert html_tag(page) == '<html lang="en" data-bs-theme="dark">'
    assert dark_stylesheet(page) == ""  # always, whatever the device prefers
    assert '<meta name="color-scheme" content="dark">' in page.content.decode()
    assert checked_choice(page) == "dark"


def test_choosing_light_keeps_the_dark_stylesheet_away(client):
    make_film()
    choose(client, "light")
    page = client.get("/films/")
    assert html_tag(page) == '<html lang="en" data-bs-theme="light">'
    assert dark_stylesheet(page) is None
    assert checked_choice(page) == "light"


def test_going_back_to_the_device_forgets_the_choice(client):
    make_film()
    choose(client, "dark")
    response = choose(client, "system")
    assert response.status_code == 302
    assert client.cookies["theme"].value == ""  # deleted
    assert html_tag(client.get("/films/")) == '<html lang="en">'


@pytest.mark.parametrize("value", ["", "sepia", "DARK", "dark; other=1"])
def test_an_unknown_choice_is_refused_and_changes_nothing(client, value):
    response = choose(client, value)
    assert response.status_code == 400
    assert "theme" not in client.cookies


@pytest.mark.parametrize(
    "hostile", ["https://evil.example/", "//evil.example/films/", "javascript:alert(1)"]
)
def test_a_hostile_next_goes_home_instead(client, hostile):
    response = choose(client, "dark", hostile)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["theme"].value == "dark"


def test_only_a_post_changes_the_theme(client):
    response = client.get("/theme/", {"theme": "dark", "next": "/"})
    assert response.status_code == 405
    assert "theme" not in client.cookies


def test_a_visitors_choice_must_come_from_this_sites_pages(client):
    assert choose(client, "dark", HTTP_ORIGIN="https://evil.example").status_code == 403
    assert choose(client, "dark", HTTP_ORIGIN="http://testserver.evil.example").status_code == 403
    assert client.post("/theme/", {"theme": "dark"}).status_code == 403  # no Origin, no Referer
    assert "theme" not in client.cookies
    referred = client.post("/theme/", {"theme": "dark"}, HTTP_REFERER=HOST + "/films/")
    assert referred.status_code == 302


def test_a_members_choice_is_csrf_checked_as_any_form(settings):
    make_film()
    member = Client(enforce_csrf_checks=True)
    member.force_login(make_user("theo"))
    assert choose(member, "dark").status_code == 403
    page = member.get("/films/").content.decode()
    form = re.search(r'<form class="theme-form".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"theme": "dark", "next": "/films/", "csrfmiddlewaretoken": token}
    response = member.post("/theme/", data)
    assert response.status_code == 302
    assert html_tag(member.get("/films/")) == '<html lang="en" data-bs-theme="dark">'


def test_a_malformed_cookie_counts_as_the_devices_theme(client):
    make_film()
    client.cookies["theme"] = "<script>"
    response = client.get("/films/")
    assert html_tag(response) == '<html lang="en">'
    assert "<script>" not in response.content.decode().split("<body")[0]


def test_the_visitors_page_cache_never_serves_one_visitors_theme_to_another(
    page_cache, django_assert_num_queries
):
    make_film()
    dark, light, device, odd = Client(), Client(), Client(), Client()
    dark.cookies["theme"] = "dark"
    light.cookies["theme"] = "light"
    odd.cookies["theme"] = "neon"
    first = dark.get("/films/")  # rendered, then cached under the dark variant
    assert html_tag(first) == '<html lang="en" data-bs-theme="dark">'
    with django_assert_num_queries(0):  # whole from the cache
        assert dark.get("/films/").content == first.content
    assert html_tag(device.get("/films/")) == '<html lang="en">'
    assert html_tag(light.get("/films/")) == '<html lang="en" data-bs-theme="light">'
    with django_assert_num_queries(0):  # an unknown value is the device's variant, cached
        assert html_tag(odd.get("/films/")) == '<html lang="en">'
    with django_assert_num_queries(0):
        again = dark.get("/films/")
    assert again.content == first.content
    assert "Cookie" in again["Vary"]
