"""The nav search box suggests as one types (the ARIA combobox pattern), in a real
Chromium: keyboard and mouse choose, axe passes with the list open, and without
JavaScript the box is a plain search form."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_page_quality import AXE_TAGS, describe
from tests.pages import LEON
from tests.tools import require_axe

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_typing_suggests_and_the_keyboard_chooses(browser, live_catalogue, screenshot_dir):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_catalogue.url + f"/films/{LEON}/")
    box = page.get_by_role("combobox", name="Search the catalogue")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("mathlda", delay=30)  # a typo: forgiven
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Mathilda Lando")
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_count(1)
    page.screenshot(path=screenshot_dir / "search-suggest-1280.png")

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("ArrowUp")  # wraps to the last
    expect(options.last).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press("ArrowDown")  # opens again on the first
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/characters/mathilda"))
    context.close()


def test_enter_without_a_choice_searches_and_a_click_chooses(browser, live_catalogue):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    page.get_by_role("button", name="Show navigation").click()
    box = page.get_by_role("combobox", name="Search the catalogue")
    box.press_sequentially("shape of my", delay=30)
    option = page.get_by_role("option").filter(has_text="Shape of My Heart")
    expect(option).to_be_visible()
    box.press("Enter")  # nothing chosen: the form searches as typed
    expect(page).to_have_url(re.compile(r"/search/\?q=shape\+of\+my$"))

    box = page.get_by_role("combobox", name="Search the catalogue")
    page.get_by_role("button", name="Show navigation").click()
    box.fill("")
    box.press_sequentially("natalie", delay=30)
    page.get_by_role("option").filter(has_text="Natalie Portman").click()
    expect(page).to_have_url(re.compile(r"/people/natalie-portman/$"))
    context.close()


def test_the_open_list_passes_axe(browser, live_catalogue):
    axe = require_axe()
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    box = page.get_by_role("combobox", name="Search the catalogue")
    box.press_sequentially("leon", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("ArrowDown")
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    assert not result["violations"], describe(result["violations"])
    context.close()


def test_without_javascript_the_box_is_a_plain_search_form(browser, live_catalogue):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalogue.url + "/")
    expect(page.get_by_role("combobox", name="Search the catalogue")).to_have_count(0)
    box = page.get_by_role("searchbox", name="Search the catalogue")
    box.fill("stansfeld")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=stansfeld$"))
    expect(page.get_by_text("Did you mean")).to_be_visible()
    expect(page.get_by_role("link", name="Norman Stansfield").first).to_be_visible()
    context.close()
