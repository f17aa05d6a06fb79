"""The site's frame on a desktop and a phone: the nav on one line at 1280 px and usable
without JavaScript on a phone; the film's section tabs, which scroll on a phone, show
that they do and always show the current one."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_page_quality import WIDTHS, new_context
from tests.pages import LEON

pytestmark = pytest.mark.browser

NAV_LINKS = ["The film", "Cast", "Soundtrack", "Quotes", "Trivia", "Reviews", "Collections"]
FILM_SECTIONS = ["", "cast/", "soundtrack/", "quotes/", "reviews/", "scenes/", "trivia/"]

# The placeholder's width as drawn in the input's font, against the room inside it.
PLACEHOLDER_FITS = """(input) => {
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(input.placeholder).width <= room;
}"""


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_nav_fits_on_one_line_at_1280_px(browser, live_catalogue, who):
    context = new_context(browser, live_catalogue, who, viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.goto(live_catalogue.url + f"/films/{LEON}/")
    nav = page.locator(".site-nav")
    brand = nav.locator(".navbar-brand").bounding_box()
    assert nav.bounding_box()["height"] < 2 * brand["height"] + 20  # one row
    # A member's nav has their feed too.
    for name in NAV_LINKS + (["Activity"] if who == "member" else []):
        box = nav.get_by_role("link", name=name, exact=True).bounding_box()
        assert abs(box["y"] - nav.get_by_role("link", name="The film").bounding_box()["y"]) < 2
    if who == "anonymous":
        sign_up = nav.get_by_role("link", name="Sign up").bounding_box()
        assert sign_up["height"] < 40  # one line of text
    assert nav.locator("#nav-search").evaluate(PLACEHOLDER_FITS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()


def test_the_phone_nav_opens_with_its_toggler(browser, live_catalogue):
    context = new_context(browser, live_catalogue, "anonymous", viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    link = page.locator(".site-nav").get_by_role("link", name="Soundtrack")
    expect(link).to_be_hidden()
    page.get_by_role("button", name="Show navigation").click()
    expect(link).to_be_visible()
    context.close()


def test_the_phone_nav_shows_its_links_without_javascript(browser, live_catalogue):
    context = new_context(
        browser, live_catalogue, "anonymous", viewport=WIDTHS["phone"], java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    nav = page.locator(".site-nav")
    expect(nav.locator(".navbar-toggler")).to_be_hidden()  # it would do nothing
    for name in [*NAV_LINKS, "Log in", "Sign up"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("searchbox")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"]
    context.close()


def _current_tab_is_in_view(page):
    return page.evaluate(
        """() => {
          const list = document.querySelector('.film-tabs .nav').getBoundingClientRect();
          const tab = document.querySelector('.film-tabs .nav-link.active').getBoundingClientRect();
          return tab.left >= list.left - 1 && tab.right <= list.right + 1;
        }"""
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_the_film_tabs_scroll_on_a_phone_and_always_show_the_current_one(
    browser, live_catalogue, javascript
):
    context = new_context(
        browser, live_catalogue, "anonymous", viewport=WIDTHS["phone"],
        java_script_enabled=javascript,
    )  # fmt: skip
    page = context.new_page()
    for section in FILM_SECTIONS:
        page.goto(live_catalogue.url + f"/films/{LEON}/{section}")
        tabs = page.locator(".film-tabs .nav")
        assert tabs.evaluate("el => el.scrollWidth > el.clientWidth"), section  # it scrolls
        # The cue: shadows at the edges with more beyond (drawn as backgrounds).
        assert "radial-gradient" in tabs.evaluate("el => getComputedStyle(el).backgroundImage")
        assert _current_tab_is_in_view(page), section
        # Wherever the visitor scrolls the list, the current tab stays in view.
        for where in ("0", "el.scrollWidth"):
            tabs.evaluate(f"el => {{ el.scrollLeft = {where}; }}")
            assert _current_tab_is_in_view(page), (section, where)
    context.close()
