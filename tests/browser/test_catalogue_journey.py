"""A fan walks the catalogue in a real Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_fan_walks_from_the_film_to_cast_character_and_soundtrack(
    page, live_catalogue, screenshot_dir
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size(DESKTOP)

    page.goto(live_catalogue.url + "/films/leon-the-professional/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Léon: The Professional")
    # The plot is folded away until asked for.
    plot = page.locator("details.spoiler-box").first
    expect(plot.locator(".spoiler-body")).to_be_hidden()
    plot.locator("summary").click()
    expect(plot.locator(".spoiler-body")).to_be_visible()
    page.screenshot(path=screenshot_dir / "film-desktop.png", full_page=True)

    page.get_by_role("link", name="Full cast and crew").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cast and crew")
    expect(page.get_by_role("row", name="Natalie Portman")).to_contain_text("Mathilda Lando")
    page.screenshot(path=screenshot_dir / "cast-desktop.png", full_page=True)

    page.get_by_role("row", name="Natalie Portman").get_by_role(
        "link", name="Mathilda Lando"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mathilda Lando")
    expect(page.get_by_text("I don't ever want to lose you.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "character-desktop.png", full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Soundtrack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soundtrack")
    song = page.locator("#track-23")
    expect(song).to_contain_text("Shape of My Heart")
    expect(song).to_contain_text("Ten Summoner's Tales")
    page.screenshot(path=screenshot_dir / "soundtrack-desktop.png", full_page=True)

    assert not errors, errors


def test_phone_layout_keeps_navigation_reachable(page, live_catalogue, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto(live_catalogue.url + "/films/leon-the-professional/")
    links = page.get_by_role("navigation", name="Main").get_by_role("link", name="Cast")
    expect(links).to_be_hidden()
    page.get_by_role("button", name="Show navigation").click()
    expect(links).to_be_visible()
    page.screenshot(path=screenshot_dir / "film-phone.png", full_page=True)
    # Nothing overflows sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for path, name in [
        ("/films/leon-the-professional/soundtrack/", "soundtrack-phone"),
        ("/films/leon-the-professional/trivia/", "trivia-phone"),
        ("/", "home-phone"),
    ]:
        page.goto(live_catalogue.url + path)
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path
