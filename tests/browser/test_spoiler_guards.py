"""Spoiler guards and watching at your own pace, in a real Chromium, with and without
JavaScript: nothing of a spoiler is shown or read aloud until asked for, progress opens
what has been seen, and guarded and opened pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_page_quality import AXE_TAGS, describe, signed_in_cookie
from tests.pages import LEON, community_sample
from tests.tools import require_axe

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SIEGE_LINE = "Bring me everyone!"  # a spoiler quote of scene 13
LATER_LINE = "Oh, shit"  # a spoiler quote of scene 14


def line(scope, text):
    """A quote's line as shown (not its mentions in trivia or hidden labels)."""
    return scope.locator(".quote-line", has_text=text)


def open_context(browser, live_server, who, javascript):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
    if who == "member":
        context.add_cookies([signed_in_cookie(live_server)])
    return context


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_progress_opens_what_has_been_seen_and_nothing_after(
    browser, live_catalogue, screenshot_dir, who, javascript
):
    from films.models import WatchProgress

    context = open_context(browser, live_catalogue, who, javascript)
    page = context.new_page()
    page.goto(live_catalogue.url + f"/films/{LEON}/scenes/")
    siege, later = line(page, SIEGE_LINE), line(page, LATER_LINE)
    expect(siege).to_be_hidden()
    expect(later).to_be_hidden()

    page.get_by_role("button", name="I've watched up to here (scene 13)").click()
    expect(page).to_have_url(re.compile(rf"/films/{LEON}/scenes/$"))
    expect(siege).to_be_visible()
    expect(later).to_be_hidden()  # after the point reached: still guarded
    expect(page.locator("#scene-13")).to_have_class(re.compile(r"\bis-seen\b"))
    expect(page.locator("#scene-14")).not_to_have_class(re.compile(r"\bis-seen\b"))
    page.screenshot(
        path=screenshot_dir / f"scenes-up-to-13-{who}-{'js' if javascript else 'nojs'}.png",
        full_page=True,
    )
    # Progress holds across pages: the quotes page opens the same lines.
    page.goto(live_catalogue.url + f"/films/{LEON}/quotes/")
    expect(line(page, SIEGE_LINE)).to_be_visible()
    expect(line(page, LATER_LINE)).to_be_hidden()

    # "I've seen it all", from the film page's form, lifts the catalogue's guards.
    page.goto(live_catalogue.url + f"/films/{LEON}/")
    plot = page.locator("#plot-heading + details, #plot-heading ~ p").first
    expect(page.get_by_role("group").filter(has_text="Show the full plot")).to_have_count(1)
    page.get_by_label("How far have you watched?").select_option(label="I've seen it all")
    page.get_by_role("button", name="Open what I've seen").click()
    expect(page.get_by_text("Show the full plot")).to_have_count(0)
    expect(plot).to_be_visible()
    page.goto(live_catalogue.url + f"/films/{LEON}/scenes/")
    expect(line(page, LATER_LINE)).to_be_visible()
    expect(page.locator("details.spoiler-box")).to_have_count(0)
    if who == "member":
        saved = WatchProgress.objects.get(user__username="fan")
        assert saved.seen_all
    else:
        assert not WatchProgress.objects.exists()
        [cookie] = [c for c in context.cookies() if c["name"] == "watched"]
        assert cookie["value"] == f"{LEON}:all" and cookie["httpOnly"]
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_guard_is_a_named_control_that_hides_its_text_from_everyone(
    browser, live_catalogue, javascript
):
    context = open_context(browser, live_catalogue, "anonymous", javascript)
    page = context.new_page()
    page.goto(live_catalogue.url + f"/films/{LEON}/quotes/")
    guard = page.locator("details.spoiler-box", has=line(page, SIEGE_LINE))
    # Closed: the line is neither shown nor in the accessibility tree.
    assert SIEGE_LINE not in guard.aria_snapshot()
    assert "hidden: open to read it" in guard.aria_snapshot()
    summary = guard.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(line(guard, SIEGE_LINE)).to_be_visible()
    assert SIEGE_LINE in guard.aria_snapshot()
    # The choice holds for the page: other guards stay closed, this one stays open.
    expect(line(page, LATER_LINE)).to_be_hidden()
    page.keyboard.press("Tab")
    expect(line(guard, SIEGE_LINE)).to_be_visible()

    # An inline spoiler in a review: a checkbox named as a hidden spoiler.
    review = community_sample()["review"]
    page.goto(live_catalogue.url + review.get_absolute_url())
    body = page.locator(".review-body")
    assert "a spoiler about the ending" not in body.aria_snapshot()
    toggle = page.get_by_role("checkbox", name=re.compile(r"^Spoiler +\(hidden: check to show"))
    toggle.focus()
    page.keyboard.press("Space")
    expect(body.get_by_text("a spoiler about the ending")).to_be_visible()
    assert "a spoiler about the ending" in body.aria_snapshot()
    context.close()


OPEN_EVERY_GUARD = """() => {
  document.querySelectorAll('details.spoiler-box').forEach(d => { d.open = true; });
  document.querySelectorAll('input.spoiler-toggle').forEach(c => { c.checked = true; });
}"""


def test_guarded_opened_and_revealed_pages_pass_axe(browser, live_catalogue, screenshot_dir):
    axe = require_axe()
    sample = community_sample()
    paths = [
        f"/films/{LEON}/", f"/films/{LEON}/quotes/", f"/films/{LEON}/scenes/",
        f"/films/{LEON}/trivia/", f"/films/{LEON}/soundtrack/", f"/films/{LEON}/reviews/",
        sample["review"].get_absolute_url(), sample["collection"].get_absolute_url(),
    ]  # fmt: skip
    failures = {}
    for state in ("revealed-by-hand", "seen-it-all"):
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
        if state == "seen-it-all":
            context.add_cookies(
                [{"name": "watched", "value": f"{LEON}:all", "url": live_catalogue.url}]
            )
        page = context.new_page()
        for path in paths:
            page.goto(live_catalogue.url + path)
            if state == "revealed-by-hand":
                page.evaluate(OPEN_EVERY_GUARD)
            else:
                expect(page.locator("details.spoiler-box[data-scene]")).to_have_count(0)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=screenshot_dir / f"spoilers-{state}-{name}.png", full_page=True)
            page.add_script_tag(path=str(axe))
            result = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                AXE_TAGS,
            )
            if result["violations"]:
                failures[f"{path} ({state})"] = describe(result["violations"])
        context.close()
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
