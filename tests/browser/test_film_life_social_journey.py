"""Two members' film lives meet, in a real Chromium: Ana signs up, rates from the film
header, logs a viewing and a rewatch and adds the film to her watchlist; Ben follows
her, sees it in his activity, likes her review and mentions her in his own; Ana reads
what he did in her notifications, then brings in her Letterboxd export."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.reviews.letterboxd.corpus import full_export

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEON = "/films/leon-the-professional/"


@pytest.fixture
def two_fans(live_catalogue):
    from tests.factories import make_user

    make_user("ben", display_name="Ben")
    return live_catalogue


def sign_up(page, url, mailoutbox):
    page.goto(url + LEON)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Email").fill("ana@example.com")
    page.locator("#id_password1").fill("plant-and-milk-2024")
    page.locator("#id_password2").fill("plant-and-milk-2024")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page).to_have_url(url + LEON)


def log_in(page, url, username, password, next_url):
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + next_url)


def test_two_fans_follow_like_mention_read_and_import(
    browser, two_fans, screenshot_dir, mailoutbox
):
    from reviews.models import DiaryEntry, Notification, Review, WatchlistItem

    url = two_fans.url
    problems = []

    def watch(page):
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

    # 1. Ana joins, rates from the header, logs a viewing and a rewatch, adds the film to
    # her watchlist, and gives her rating a few words.
    ana_context = browser.new_context(viewport=DESKTOP)
    ana = ana_context.new_page()
    watch(ana)
    sign_up(ana, url, mailoutbox)
    header = ana.locator(".rating-summary")
    status = header.locator("[data-film-life-status]")
    header.locator("label[title='4.5 stars']").click()
    expect(status).to_have_text("You rated it 4.5 stars.")
    header.get_by_role("button", name="Log a viewing").click()
    expect(header.get_by_text("You watched it once")).to_be_visible()
    expect(header.get_by_role("checkbox", name="Rewatch")).to_be_checked()
    header.get_by_role("button", name="Log a viewing").click()
    expect(header.get_by_text("You watched it 2 times")).to_be_visible()
    header.get_by_role("button", name="Add to watchlist").click()
    expect(status).to_have_text("Léon: The Professional is on your watchlist.")
    ana.reload()
    ana.locator(".rating-summary").get_by_role("link", name="Edit your review").click()
    ana.get_by_label("Title (optional)").fill("The plant, the milk, the silence")
    ana.get_by_label("Your review (optional)").fill("Every rewatch finds a new quiet moment.")
    ana.get_by_role("button", name="Save my review").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("The plant, the milk, the silence")
    review = Review.objects.get(author__username="ana")
    assert review.rating == 9
    assert DiaryEntry.objects.filter(user__username="ana", rewatch=True).count() == 1
    assert WatchlistItem.objects.filter(user__username="ana").count() == 1

    # 2. Ben follows her, sees what she did in his activity, likes her review and
    # mentions her in his own.
    ben_context = browser.new_context(viewport=PHONE)
    ben = ben_context.new_page()
    watch(ben)
    log_in(ben, url, "ben", PASSWORD, "/u/ana/")
    ben.get_by_role("button", name="Follow ana").click()
    expect(ben.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    ben.goto(url + "/activity/")
    feed = ben.locator("main")
    expect(feed.get_by_text("watched Léon: The Professional again").first).to_be_visible()
    expect(feed.get_by_role("link", name="The plant, the milk, the silence")).to_be_visible()
    ben.screenshot(path=screenshot_dir / "journey-activity-phone.png", full_page=True)
    assert ben.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    feed.get_by_role("link", name="The plant, the milk, the silence").click()
    expect(ben.get_by_role("heading", level=1)).to_have_text("The plant, the milk, the silence")
    ben.locator("main").get_by_role("button", name=re.compile(r"^Like\b")).first.click()
    expect(ben.locator("main").get_by_role("button", name=re.compile(r"^Liked\b"))).to_be_visible()
    ben.goto(url + LEON + "reviews/new/")
    ben.locator("label[title='5 stars']").click()
    ben.get_by_label("Your review (optional)").fill("Saw it again after reading @ana's diary.")
    ben.get_by_role("button", name="Publish my review").click()
    expect(ben.get_by_role("link", name="@ana")).to_have_attribute("href", "/u/ana/")

    # 3. Ana sees the bell's count and reads what Ben did.
    ana.goto(url + LEON)
    bell = ana.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(bell.locator(".notification-badge")).to_contain_text("3")
    bell.click()
    expect(ana).to_have_url(url + "/notifications/")
    items = ana.locator(".notification.is-unread")
    expect(items).to_have_count(3)
    expect(ana.get_by_role("link", name=re.compile(r"^Ben liked your review"))).to_be_visible()
    expect(ana.get_by_role("link", name=re.compile(r"^Ben mentioned you"))).to_be_visible()
    expect(ana.get_by_role("link", name="Ben followed you")).to_be_visible()
    ana.screenshot(path=screenshot_dir / "journey-notifications-desktop.png", full_page=True)
    items.filter(has_text="mentioned you").get_by_role("button").click()
    expect(ana.locator(".notification.is-unread")).to_have_count(2)
    ana.get_by_role("button", name="Mark all as read").click()
    expect(ana.locator(".notification.is-unread")).to_have_count(0)
    assert not Notification.objects.filter(recipient__username="ana", read_at=None).exists()

    # 4. Ana brings in her Letterboxd export: a preview first, then the import; her own
    # rating and review stay as she wrote them.
    ana.goto(url + "/diary/import/")
    ana.get_by_label("Your Letterboxd export").set_input_files(
        {"name": "letterboxd-ana.zip", "mimeType": "application/zip", "buffer": full_export()}
    )
    ana.get_by_role("button", name="Preview the import").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Check your Letterboxd import")
    viewings = DiaryEntry.objects.filter(user__username="ana").count()
    ana.get_by_role("button", name="Import it").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Your Letterboxd import is done")
    ana.screenshot(path=screenshot_dir / "journey-import-done-desktop.png", full_page=True)
    assert DiaryEntry.objects.filter(user__username="ana").count() > viewings
    review.refresh_from_db()
    assert (review.rating, review.title) == (9, "The plant, the milk, the silence")
    assert problems == []
    ana_context.close()
    ben_context.close()
