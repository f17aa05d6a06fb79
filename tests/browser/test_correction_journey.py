"""A fan suggests a correction on a person's page; a curator accepts it in the admin; the
page shows the new value and the fan's profile the outcome."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from films.models import Person
from tests.factories import PASSWORD, make_curator, make_user

pytestmark = pytest.mark.browser

NEW_VALUE = "Actor, and the voice of Léon"


def log_in(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_fan_s_correction_is_accepted_by_a_curator(browser, page, live_catalogue, screenshot_dir):
    make_user("fan-a")
    get_user_model().objects.create_user("carla", "carla@example.com", "pw-curator-123")
    make_curator("carla")
    csp_reports = []
    page.on(
        "console",
        lambda msg: csp_reports.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    base = live_catalogue.url
    assert Person.objects.get(slug="jean-reno").known_for != NEW_VALUE

    # A visitor sees the link, logs in, and lands on the form.
    page.goto(base + "/people/jean-reno/")
    page.get_by_role("link", name="Suggest a correction to Jean Reno").click()
    log_in(page, "fan-a", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a correction")
    expect(page.get_by_text("What it says now")).to_be_visible()
    page.get_by_label("Known for").check()
    page.get_by_label("What it should say").fill(NEW_VALUE)
    page.get_by_label("Source").fill("https://example.com/jean-reno")
    page.screenshot(path=screenshot_dir / "correction-form.png", full_page=True)
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_text("Curators will look at your suggestion")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jean Reno")

    # The curator, in a browser of their own, accepts it from the queue.
    curator_context = browser.new_context(viewport={"width": 1280, "height": 900})
    curator = curator_context.new_page()
    curator.on(
        "console",
        lambda msg: csp_reports.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    curator.goto(base + "/admin/films/correction/")
    log_in(curator, "carla", "pw-curator-123")
    curator.get_by_role("link", name="Jean Reno: Known for").click()
    expect(curator.locator(".correction-diff")).to_contain_text(NEW_VALUE)
    curator.screenshot(path=screenshot_dir / "correction-admin.png", full_page=True)
    overflow = curator.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    curator.get_by_label("Accept: apply the change").check()
    curator.get_by_role("button", name="Save", exact=True).click()
    expect(curator.locator(".messagelist")).to_contain_text("accepted")

    # The change is in the person's history, credited to the fan.
    curator.goto(base + f"/admin/films/person/{Person.objects.get(slug='jean-reno').pk}/history/")
    expect(curator.locator("#change-history")).to_contain_text("from fan-a accepted")
    curator_context.close()

    page.goto(base + "/people/jean-reno/")
    expect(page.get_by_text(NEW_VALUE)).to_be_visible()
    page.goto(base + "/u/fan-a/")
    expect(page.locator(".correction-list")).to_contain_text("Accepted")
    page.screenshot(path=screenshot_dir / "correction-profile.png", full_page=True)
    assert not csp_reports, csp_reports
