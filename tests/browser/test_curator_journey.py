"""A curator logs in, adds a credit and a track in the admin, and sees them on the site."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import make_curator

pytestmark = pytest.mark.browser


def pick(page, field, text):
    """Choose `text` in one of the admin's autocomplete (select2) widgets."""
    page.locator(f"[aria-labelledby='select2-id_{field}-container']").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_curator_adds_a_credit_and_a_track_and_sees_them_on_the_site(
    page, live_catalogue, screenshot_dir
):
    get_user_model().objects.create_user("carla", "carla@example.com", "pw-curator-123")
    make_curator("carla")
    csp_reports = []
    page.on(
        "console",
        lambda msg: csp_reports.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    base = live_catalogue.url

    page.goto(base + "/admin/")
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill("pw-curator-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Curate the catalogue")).to_be_visible()
    page.screenshot(path=screenshot_dir / "admin-index.png", full_page=True)

    # A new person, then their credit on Léon.
    page.goto(base + "/admin/films/person/add/")
    page.get_by_label("Name:").press_sequentially("Peter Appel")
    expect(page.get_by_label("Slug:")).to_have_value("peter-appel")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(base + "/admin/films/character/add/")
    pick(page, "film", "Léon: The Professional")
    page.get_by_label("Name:").fill("Malky")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(base + "/admin/films/credit/add/")
    pick(page, "film", "Léon: The Professional")
    pick(page, "person", "Peter Appel")
    page.get_by_label("Role:").select_option("cast")
    pick(page, "character", "Malky")
    page.get_by_label("Billing order:").fill("15")
    page.screenshot(path=screenshot_dir / "admin-credit-form.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # A bonus track on the album.
    page.goto(base + "/admin/films/track/add/")
    pick(page, "album", "Léon: Original Motion Picture Soundtrack")
    page.get_by_label("Position:").fill("24")
    page.get_by_label("Title:").fill("Noon")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(base + "/films/leon-the-professional/cast/")
    expect(page.get_by_role("row", name="Peter Appel")).to_contain_text("Malky")
    page.goto(base + "/films/leon-the-professional/soundtrack/")
    expect(page.locator("#track-24")).to_contain_text("Noon")

    # Every change is in the history, ready to be reverted.
    page.goto(base + "/admin/films/track/")
    page.get_by_role("link", name="Noon").click()
    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text("carla")
    page.screenshot(path=screenshot_dir / "admin-history.png", full_page=True)
    assert not csp_reports, csp_reports
