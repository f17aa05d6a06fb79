"""The admin's change forms fit a 1280 px window, inlines and autocomplete widgets
included, with the navigation sidebar open."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from films.models import Album, Character, Film, Person, Quote, Scene, Track
from tests.pages import LEON

pytestmark = pytest.mark.browser

# Each catalogue model whose change form has tabular inlines, by a row the data file loads.
CHANGE_FORMS = {
    "film": lambda: Film.objects.get(slug=LEON),
    "quote": lambda: Quote.objects.get(key="bring-me-everyone"),
    "album": lambda: Album.objects.get(film__slug=LEON),
    "person": lambda: Person.objects.get(slug="luc-besson"),
    "character": lambda: Character.objects.get(slug="mathilda"),
    "scene": lambda: Scene.objects.filter(film__slug=LEON).order_by("order").first(),
    "track": lambda: Track.objects.filter(credits__isnull=False).order_by("pk").first(),
}

# Boxes that scroll sideways inside the page: an inline too wide for its room would.
INNER_SCROLL = """() => [...document.querySelectorAll('#content fieldset, #content table')]
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => (el.closest('.inline-group') || el).id || el.className)"""


@pytest.fixture
def admin_page(browser, live_catalogue):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123456")
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_catalogue.url}]
    )
    yield context.new_page()
    context.close()


def test_the_catalogues_change_forms_fit_a_1280_px_window(
    admin_page, live_catalogue, screenshot_dir
):
    too_wide = {}
    for name, row in CHANGE_FORMS.items():
        obj = row()
        url = f"{live_catalogue.url}/admin/films/{obj._meta.model_name}/{obj.pk}/change/"
        response = admin_page.goto(url)
        assert response.status == 200, name
        admin_page.wait_for_load_state("load")  # the autocomplete widgets are drawn by then
        assert admin_page.locator("#nav-sidebar").is_visible(), name
        width = admin_page.evaluate("document.documentElement.scrollWidth")
        inner = admin_page.evaluate(INNER_SCROLL)
        if width > 1280 or inner:
            too_wide[name] = (width, inner)
        if name in ("film", "quote"):
            admin_page.screenshot(path=screenshot_dir / f"admin-{name}-change.png", full_page=True)
    assert not too_wide, too_wide
