"""A member reads their notifications, without JavaScript needed: the nav's unread count,
the page at phone and desktop widths, marking one read and all read. Screenshots."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def notified(live_catalogue):
    from films.models import Film
    from reviews import follows, services
    from reviews.moderation import services as moderation
    from tests.factories import make_collection, make_comment, make_moderator, make_user

    dana = make_user("dana", display_name="Dana")
    leon = Film.objects.get(slug="leon-the-professional")
    review = services.review_create(author=dana, film=leon, rating=9, title="Quiet power")
    collection = make_collection(owner=dana, title="Lines Mathilda says")
    fans = [make_user(f"fan-{c}", display_name=f"Fan {c.upper()}") for c in "abcdef"]
    for fan in fans[:4]:
        services.like(user=fan, item=review)
    make_comment(review=review, author=fans[4], body="So true about the ending.")
    services.like(user=fans[5], item=collection)
    services.collection_copy(source=collection, owner=fans[2])
    follows.follow(follower=fans[0], followed=dana)
    other = services.review_create(author=dana, film=make_film_safe(), rating=4)
    moderation.decide(
        moderator=make_moderator(),
        item=other,
        action="hide",
        reason="Reviews are about the film, not its viewers: please rewrite it.",
    )
    return live_catalogue


def make_film_safe():
    from tests.factories import make_film

    return make_film(title="The Big Blue")


def log_in(page, url):
    page.goto(url + "/accounts/login/?next=/notifications/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + "/notifications/")


def test_reading_notifications_at_both_widths(page, notified, screenshot_dir):
    url = notified.url
    page.set_viewport_size(DESKTOP)
    log_in(page, url)
    items = page.locator(".notification")
    expect(items.first).to_be_visible()
    expect(
        page.get_by_role("link", name="Fan D and 3 others liked your review of Léon")
    ).to_be_visible()
    expect(page.get_by_text("Reviews are about the film")).to_be_visible()
    expect(page.locator(".notification-badge")).to_have_text(f"{items.count()} unread")
    page.screenshot(path=screenshot_dir / "notifications-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=screenshot_dir / "notifications-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size(DESKTOP)
    unread = page.locator(".notification.is-unread").count()
    page.locator(".notification.is-unread").first.get_by_role("button").click()
    expect(page.locator(".notification.is-unread")).to_have_count(unread - 1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".notification.is-unread")).to_have_count(0)
    expect(page.locator(".notification-badge")).to_have_count(0)
    page.goto(url + "/notifications/settings/")
    page.screenshot(path=screenshot_dir / "notification-settings-desktop.png", full_page=True)
