"""A member rates from the film header, logs a first viewing and a rewatch, and adds
the film to their watchlist: with JavaScript (in place, announced) and without (plain
forms, back to the page). Screenshots of the header and the diary at both widths."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEON = "/films/leon-the-professional/"


@pytest.fixture
def member(live_catalogue):
    from tests.factories import make_user

    make_user("dana", display_name="Dana")
    return live_catalogue


def log_in(page, url):
    page.goto(url + "/accounts/login/?next=" + LEON)
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + LEON)


def test_rate_log_and_watchlist_in_place_with_javascript(page, member, screenshot_dir):
    from reviews.models import DiaryEntry, Review, WatchlistItem

    url = member.url
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_viewport_size(DESKTOP)
    log_in(page, url)
    header = page.locator(".rating-summary")
    status = header.locator("[data-film-life-status]")
    expect(header.get_by_text("You haven't rated it yet.")).to_be_visible()
    page.evaluate("window.stillHere = true")  # gone if the page reloads

    # Rate: one click on the fourth star.
    header.locator("label[title='4 stars']").click()
    expect(status).to_have_text("You rated it 4 stars.")
    expect(header.get_by_text("Your rating: 4 stars.")).to_be_visible()
    expect(header.get_by_role("radio", name="4 stars")).to_be_checked()
    expect(header.get_by_text("1 rating so far.")).to_be_visible()  # the summary too

    # Log a first viewing, then a rewatch (offered now that the film is in the diary).
    header.get_by_role("button", name="Log a viewing").click()
    expect(status).to_contain_text("Logged: you watched Léon: The Professional")
    expect(header.get_by_text("You watched it once")).to_be_visible()
    rewatch = header.get_by_role("checkbox", name="Rewatch")
    expect(rewatch).to_be_checked()
    header.get_by_role("button", name="Log a viewing").click()
    expect(header.get_by_text("You watched it 2 times")).to_be_visible()

    # The watchlist, in one click each way.
    header.get_by_role("button", name="Add to watchlist").click()
    expect(status).to_have_text("Léon: The Professional is on your watchlist.")
    expect(header.get_by_role("button", name="Remove from watchlist")).to_be_focused()
    assert page.evaluate("window.stillHere") is True

    header.screenshot(path=screenshot_dir / "film-header-member-desktop.png")
    page.set_viewport_size(PHONE)
    header.screenshot(path=screenshot_dir / "film-header-member-phone.png")

    assert Review.objects.get().rating == 8
    assert DiaryEntry.objects.filter(rewatch=True).count() == 1
    assert WatchlistItem.objects.count() == 1

    # The diary, by month.
    page.set_viewport_size(DESKTOP)
    header.get_by_role("link", name="Your diary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diary")
    expect(page.locator(".diary-entry")).to_have_count(2)
    expect(page.locator(".diary-badge")).to_have_text("rewatch")
    page.screenshot(path=screenshot_dir / "diary-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "diary-phone.png", full_page=True)
    assert problems == []


def test_rate_log_and_watchlist_without_javascript(browser, member, screenshot_dir):
    from reviews.models import DiaryEntry, Review, WatchlistItem

    url = member.url
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    log_in(page, url)
    header = page.locator(".rating-summary")

    # Choose the stars, then the Rate button: a plain POST, and back to the film.
    header.locator("label[title='3.5 stars']").click()
    header.get_by_role("button", name="Rate", exact=True).click()
    expect(page).to_have_url(url + LEON)
    expect(page.locator(".alert")).to_have_text("You rated it 3.5 stars.")
    expect(header.get_by_role("radio", name="3.5 stars")).to_be_checked()

    header.get_by_role("button", name="Log a viewing").click()
    expect(page.locator(".alert")).to_contain_text("Logged: you watched")
    header.get_by_role("button", name="Log a viewing").click()  # the rewatch, ticked now
    expect(header.get_by_text("You watched it 2 times")).to_be_visible()

    header.get_by_role("button", name="Add to watchlist").click()
    expect(page.locator(".alert")).to_have_text("Léon: The Professional is on your watchlist.")
    header.screenshot(path=screenshot_dir / "film-header-member-nojs-phone.png")

    # The full form: a rating, the heart, tags and a note.
    header.get_by_role("link", name="Log it with a rating, a heart, tags or a note").click()
    page.locator("label[title='5 stars']").click()
    page.get_by_label("I liked it ♥").check()
    page.get_by_label("Tags (optional)").fill("Cinema, with friends")
    page.get_by_label("Note (optional)").fill("Third time, on the big screen.")
    page.screenshot(path=screenshot_dir / "diary-log-form-phone.png", full_page=True)
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diary")
    expect(page.locator(".diary-entry")).to_have_count(3)
    expect(page.locator(".diary-tag").first).to_have_text("cinema")

    assert Review.objects.get().rating == 10
    assert DiaryEntry.objects.filter(rewatch=True).count() == 2
    assert WatchlistItem.objects.count() == 0  # logging took it off the watchlist
    context.close()
