"""Three members report a review, it disappears, a moderator restores it with a reason,
and the log shows every step: in a real Chromium, through the site's own forms."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEON = "/films/leon-the-professional/"
BODY = "The plant scene says everything about him."


@pytest.fixture
def reported_world(transactional_db, live_server):
    from films.models import Film
    from tests.factories import make_established_user, make_removal_reason, make_review, make_user
    from tests.factories import make_moderator_role as make_moderator

    call_command("load_catalogue", verbosity=0)
    alice = make_user("alice", display_name="Alice")
    review = make_review(
        author=alice,
        film=Film.objects.get(slug="leon-the-professional"),
        title="About the plant",
        body=BODY,
    )
    for name in ("rita", "ralf", "rosa"):  # members of some standing: their reports count
        make_established_user(name, display_name=name.capitalize())
    make_user("mona", display_name="Mona")
    make_moderator("mona")
    make_removal_reason(title="Checked: fine", message="A moderator checked: this is fine.")
    return live_server, review


def open_as(browser, url, username, viewport=DESKTOP):
    """A fresh browser, logged in through the login form."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".user-menu summary")).to_be_visible()
    return context, page, problems


def test_three_reports_hide_a_review_and_a_moderator_restores_it(
    browser, reported_world, screenshot_dir
):
    server, review = reported_world
    url = server.url
    review_url = url + review.get_absolute_url()
    problems = []

    # Three members report the review from its page.
    reasons = [
        ("Unmarked spoilers", "It hints at the ending."),
        ("Unmarked spoilers", ""),
        ("Off-topic", "Not about the film."),
    ]
    for username, (reason, details) in zip(("rita", "ralf", "rosa"), reasons, strict=True):
        context, page, errors = open_as(browser, url, username)
        page.goto(review_url)
        expect(page.locator(".review-body")).to_contain_text(BODY)
        page.get_by_role("link", name="Report this review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Report this review")
        page.get_by_role("radio", name=reason).check()
        page.get_by_label("Details (optional)").fill(details)
        if username == "rita":
            page.screenshot(path=screenshot_dir / "journey-report-form-desktop.png", full_page=True)
        page.get_by_role("button", name="Send report").click()
        expect(page.locator(".alert-success")).to_contain_text("your report is with the moderators")
        problems += errors
        context.close()

    # After the third, the public sees a placeholder, and the review leaves the list.
    anonymous = browser.new_context(viewport=DESKTOP)
    visitor = anonymous.new_page()
    visitor.goto(review_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This review is not available")
    expect(visitor.locator("main")).to_contain_text("hidden after reports")
    expect(visitor.locator("main")).not_to_contain_text(BODY)
    visitor.goto(url + LEON + "reviews/")
    expect(visitor.locator("main")).not_to_contain_text("About the plant")

    # Alice sees her own review with the reason.
    context, page, errors = open_as(browser, url, "alice")
    page.goto(review_url)
    expect(page.locator(".hidden-notice")).to_contain_text("Only you and the moderators")
    expect(page.locator(".hidden-notice")).to_contain_text("after reports from several members")
    problems += errors
    context.close()

    # The moderator finds it at the top of the queue and restores it with a reason.
    context, page, errors = open_as(browser, url, "mona")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Moderation queue").click()
    item = page.locator(f"#item-review-{review.pk}")
    expect(item).to_contain_text("3 open reports")
    expect(item).to_contain_text("Hidden automatically")
    expect(item.locator(".mod-reports li")).to_have_count(3)
    expect(item).to_contain_text("It hints at the ending.")
    expect(item.locator(".mod-content")).to_contain_text(BODY)
    page.screenshot(path=screenshot_dir / "journey-queue-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "journey-queue-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    item.get_by_label("Reason", exact=True).select_option(label="Checked: fine")
    item.get_by_label("Or write a reason").fill("The plant is not a spoiler.")
    item.get_by_role("button", name="Restore").click()
    expect(page.locator(".alert-success")).to_contain_text("Restored: it is public again.")
    expect(page.locator("main")).to_contain_text("Nothing to look at: no open reports.")

    # The log shows every step, newest first.
    page.get_by_role("link", name="Log", exact=True).click()
    entries = page.locator(".mod-log-entry")
    expect(entries).to_have_count(5)
    expect(entries.nth(0)).to_contain_text("Mona")
    expect(entries.nth(0)).to_contain_text("Restored")
    expect(entries.nth(0)).to_contain_text("A moderator checked: this is fine.")
    expect(entries.nth(0)).to_contain_text("The plant is not a spoiler.")
    expect(entries.nth(1)).to_contain_text("System")
    expect(entries.nth(1)).to_contain_text("Hidden automatically after reports")
    for n, name in zip((2, 3, 4), ("Rosa", "Ralf", "Rita"), strict=True):
        expect(entries.nth(n)).to_contain_text(f"{name} · Reported")
    expect(entries.nth(4)).to_contain_text("Unmarked spoilers: It hints at the ending.")
    page.screenshot(path=screenshot_dir / "journey-log-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "journey-log-phone.png", full_page=True)
    problems += errors
    context.close()

    # Everyone sees the review again, exactly as written.
    visitor.goto(review_url)
    expect(visitor.locator(".review-body")).to_have_text(BODY)
    expect(visitor.locator(".hidden-notice")).to_have_count(0)
    anonymous.close()
    assert not problems, problems
