"""A member previews a Letterboxd export, sees what it adds and skips, and imports it;
screenshots of the form, the preview and the result at both widths."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.reviews.letterboxd.corpus import full_export

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_preview_then_import_a_letterboxd_export(page, live_catalogue, screenshot_dir):
    from reviews.models import DiaryEntry
    from tests.factories import make_user

    make_user("dana", display_name="Dana")
    url = live_catalogue.url
    page.set_viewport_size(DESKTOP)
    page.goto(url + "/accounts/login/?next=/diary/import/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letterboxd: import and export")
    page.screenshot(path=screenshot_dir / "letterboxd-form-desktop.png", full_page=True)

    page.get_by_label("Your Letterboxd export").set_input_files(
        {"name": "letterboxd-dana.zip", "mimeType": "application/zip", "buffer": full_export()}
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your Letterboxd import")
    expect(page.get_by_text("2 diary entries")).to_be_visible()
    expect(page.get_by_text("Not in the catalogue: Taxi Driver (1976)").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "letterboxd-preview-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "letterboxd-preview-phone.png", full_page=True)
    assert not DiaryEntry.objects.exists()

    page.get_by_role("button", name="Import it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Letterboxd import is done")
    page.screenshot(path=screenshot_dir / "letterboxd-done-phone.png", full_page=True)
    assert DiaryEntry.objects.count() == 2
