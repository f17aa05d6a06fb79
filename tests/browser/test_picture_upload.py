"""A curator uploads a poster in the admin; a visitor then sees it on the film page."""

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_curator

pytestmark = pytest.mark.browser


def test_a_curator_uploads_a_poster_and_a_visitor_sees_it(
    browser, live_catalogue, screenshot_dir, tmp_path
):
    get_user_model().objects.create_user("carla", "carla@example.com", "pw-curator-123")
    make_curator("carla")
    poster = tmp_path / "leon-poster.jpg"
    image = Image.new("RGB", (800, 1200), (24, 28, 22))
    for y in range(0, 1200, 40):  # bands, so a rendition is not one flat colour
        image.paste((190, 150, 60), (0, y, 800, y + 12))
    image.save(poster, format="JPEG")
    base = live_catalogue.url

    curator = browser.new_context(viewport={"width": 1280, "height": 900})
    page = curator.new_page()
    page.goto(base + "/admin/")
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill("pw-curator-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/admin/films/film/?q=professional")
    page.get_by_role("link", name="Léon: The Professional").first.click()
    page.locator("#id_poster").set_input_files(str(poster))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".admin-thumbnail").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "admin-film-poster.png", full_page=True)
    curator.close()

    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    page = visitor.new_page()
    page.goto(base + "/films/leon-the-professional/")
    img = page.locator(".film-hero-poster picture img")
    expect(img).to_have_attribute("fetchpriority", "high")
    expect(img).to_have_attribute("width", "800")
    # The browser picked a rendition from the srcset and it loaded.
    page.wait_for_function(
        "() => { const i = document.querySelector('.film-hero-poster img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    chosen = page.evaluate("() => document.querySelector('.film-hero-poster img').currentSrc")
    assert "/media/renditions/posters/" in chosen
    assert chosen.rsplit(".", 1)[-1] in ("avif", "webp", "jpg")
    page.screenshot(path=screenshot_dir / "film-with-poster-phone.png")
    visitor.close()
