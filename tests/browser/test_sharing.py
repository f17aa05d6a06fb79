"""The Share button in a real Chromium: the clipboard where the browser has no share
sheet, the share sheet where it has one, the link to copy when neither works, and a
plain disclosure without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
NO_SHARE_SHEET = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"
RECORDING_SHARE_SHEET = """
Object.defineProperty(Navigator.prototype, "share", {configurable: true, value: (data) => {
  window.sharedWith = data;
  return Promise.resolve();
}});
Object.defineProperty(Navigator.prototype, "canShare", {configurable: true, value: () => true});
"""


@pytest.fixture
def shared(transactional_db, live_server):
    from tests.factories import (
        make_character,
        make_collection,
        make_film,
        make_quote,
        make_review,
        make_user,
    )

    film = make_film(title="Léon: The Professional", year=1994)
    mathilda = make_character(film, name="Mathilda")
    quote = make_quote(
        film, [(mathilda, "Is life always this hard, or is it just when you're a kid?")]
    )
    owner = make_user("mathilda", display_name="Mathilda Lando")
    collection = make_collection(owner=owner, title="Lines I repeat", quotes=[quote])
    review = make_review(author=owner, film=film, rating=9, title="Tender", body="The plant.")
    return {"url": live_server.url, "collection": collection, "review": review}


def test_without_a_share_sheet_the_link_is_copied_and_announced(browser, shared, screenshot_dir):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(NO_SHARE_SHEET)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shared["url"])
    page = context.new_page()
    address = shared["url"] + shared["collection"].get_absolute_url()
    page.goto(address)
    assert page.evaluate("typeof navigator.share") == "undefined"

    button = page.get_by_role("button", name="Share this collection")
    expect(button).to_be_visible()
    expect(page.locator(".share-box")).to_be_hidden()  # the no-script disclosure is gone
    status = page.locator("[data-share-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")

    button.focus()  # a real button: the keyboard works it, with a visible focus ring
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("document.activeElement.matches(':focus-visible')") and ring != "none"
    page.keyboard.press("Enter")
    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.screenshot(path=screenshot_dir / "share-copied-1280.png")

    page.evaluate("navigator.clipboard.writeText('something else')")
    button.click()  # again: copied, and announced again
    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == address
    context.close()


def test_a_share_sheet_gets_the_title_text_and_address(browser, shared):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(RECORDING_SHARE_SHEET)
    page = context.new_page()
    review = shared["review"]
    page.goto(shared["url"] + review.get_absolute_url())
    page.get_by_role("button", name="Share this review").click()
    page.wait_for_function("window.sharedWith !== undefined")
    assert page.evaluate("window.sharedWith") == {
        "title": "Mathilda Lando on Léon: The Professional: 4.5 stars",
        "text": "Mathilda Lando rated Léon: The Professional (1994) 4.5 stars.",
        "url": shared["url"] + review.get_absolute_url(),
    }
    expect(page.locator("[data-share-status]")).to_have_text("")  # the sheet was the answer
    context.close()


def test_when_nothing_can_copy_the_link_is_shown_selected(browser, shared):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(
        NO_SHARE_SHEET + "navigator.clipboard.writeText = () => Promise.reject(new Error('no'));"
    )
    page = context.new_page()
    address = shared["url"] + shared["collection"].get_absolute_url()
    page.goto(address)
    page.get_by_role("button", name="Share this collection").click()
    box = page.get_by_label("Link to this collection")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    expect(box).to_have_value(address)
    assert page.evaluate("document.activeElement.selectionEnd") == len(address)
    expect(page.get_by_role("button", name="Share this collection")).to_be_hidden()
    expect(page.locator("[data-share-status]")).to_have_text("Copy the link from the box.")
    context.close()


def test_without_javascript_the_disclosure_holds_the_link(browser, shared, screenshot_dir):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    address = shared["url"] + shared["collection"].get_absolute_url()
    page.goto(address)
    expect(page.get_by_role("button", name="Share this collection")).to_have_count(0)
    summary = page.locator(".share-box summary")
    expect(summary).to_have_text("Share this collection")
    summary.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Link to this collection")
    expect(box).to_be_visible()
    expect(box).to_have_value(address)
    expect(box).to_have_attribute("readonly", "")
    page.screenshot(path=screenshot_dir / "share-no-js-1280.png")
    context.close()
