"""A new member joins, reviews, likes and collects quotes, in a real Chromium."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEON = "/films/leon-the-professional/"


@pytest.fixture
def community(transactional_db, live_server):
    """The catalogue plus Bob, who already reviewed the film."""
    from films.models import Film
    from tests.factories import make_review, make_user

    call_command("load_catalogue", verbosity=0)
    bob = make_user("bob", display_name="Bob")
    film = Film.objects.get(slug="leon-the-professional")
    make_review(author=bob, film=film, rating=10, title="Bob's take", body="Perfect.")
    return live_server


def test_member_signs_up_reviews_likes_and_builds_a_collection(
    page, community, screenshot_dir, mailoutbox
):
    url = community.url
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.set_viewport_size(DESKTOP)

    # Sign up from the film page, and come back to it.
    page.goto(url + LEON)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Email").fill("carol@example.com")
    page.locator("#id_password1").fill("plant-and-milk-2024")
    page.locator("#id_password2").fill("plant-and-milk-2024")
    page.screenshot(path=screenshot_dir / "signup-desktop.png", full_page=True)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page).to_have_url(url + LEON)
    expect(page.locator(".user-menu summary")).to_contain_text("carol")

    # Write a review with an inline spoiler, with the no-JS star radio group.
    page.get_by_role("link", name="Write a review").click()
    stars = page.get_by_role("group", name="Your rating")
    expect(stars.get_by_role("radio")).to_have_count(10)
    stars.locator("label[title='4.5 stars']").click()
    expect(stars.get_by_role("radio", name="4.5 stars")).to_be_checked()
    page.get_by_label("Title (optional)").fill("Tender and brutal")
    page.get_by_label("Your review (optional)").fill("Gary Oldman is *unhinged*. ||Léon dies.||")
    page.screenshot(path=screenshot_dir / "review-form-desktop.png", full_page=True)
    page.get_by_role("button", name="Publish my review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tender and brutal")
    # The inline spoiler: a checkbox named as a hidden spoiler; its text is not shown
    # (not even to a screen reader) until it is checked, with a click or the keyboard.
    toggle = page.get_by_role("checkbox", name=re.compile(r"^Spoiler +\(hidden: check to show"))
    hidden = page.locator(".review-body .spoiler-text")
    expect(hidden).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()
    expect(hidden).to_be_visible()
    expect(hidden).to_have_text("Léon dies.")

    # The film page shows the review and the histogram counts it.
    page.goto(url + LEON)
    summary = page.locator(".rating-summary")
    expect(summary).to_contain_text("2 ratings so far.")
    expect(summary.locator("tr:has(th:text-is('4.5 stars')) td")).to_have_text("1")
    expect(summary.locator("tr:has(th:text-is('5 stars')) td")).to_have_text("1")
    expect(summary.locator(".bar-h-100")).to_have_count(2)
    actions = summary.locator(".rating-actions")
    expect(actions.get_by_role("link", name="Edit your review")).to_be_visible()
    latest = page.locator("section[aria-labelledby='latest-reviews-heading']")
    expect(latest).to_contain_text("Tender and brutal")
    page.screenshot(path=screenshot_dir / "film-with-ratings-desktop.png", full_page=True)

    # Like Bob's review from the film's review list.
    page.goto(url + LEON + "reviews/")
    bobs = page.locator(".review-item", has_text="Bob's take")
    bobs.get_by_role("button", name="Like this review").click()
    bobs = page.locator(".review-item", has_text="Bob's take")
    expect(bobs.get_by_role("button", name="Liked this review")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(bobs.locator(".like-count")).to_have_text("1 like")
    page.screenshot(path=screenshot_dir / "reviews-desktop.png", full_page=True)

    # Build a collection from the quotes page: a new one, then a second quote into it.
    page.goto(url + LEON + "quotes/")
    boxes = page.locator(".add-to-collection-box")
    first = boxes.nth(0)
    first.locator("summary").click()
    first.get_by_label("Title for a new collection").fill("Lines I live by")
    first.get_by_role("button", name="Add quote").click()
    expect(page.locator(".alert")).to_contain_text("Added to “Lines I live by”")
    first_quote = page.locator(".quote-item").nth(0).locator(".quote-line").first.inner_text()
    second_quote = page.locator(".quote-item").nth(1).locator(".quote-line").first.inner_text()
    second = page.locator(".add-to-collection-box").nth(1)
    second.locator("summary").click()
    second.get_by_role("combobox", name="Collection").select_option(label="Lines I live by")
    second.get_by_label("Note (optional)").fill("Every morning")
    second.get_by_role("button", name="Add quote").click()
    expect(page.locator(".alert")).to_contain_text("Added to “Lines I live by”")

    # Reorder it without JavaScript: the second quote moves up.
    page.goto(url + "/u/carol/")
    page.get_by_role("link", name="Lines I live by").click()
    items = page.locator(".collection-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(first_quote.strip("“”"))
    page.get_by_role("button", name=re.compile(r"Up\W+move quote 2 up")).click()
    expect(page.locator(".collection-item").nth(0)).to_contain_text(second_quote.strip("“”"))
    expect(page.locator(".collection-item").nth(0)).to_contain_text("Every morning")
    collection_url = page.url.split("#")[0]
    page.screenshot(path=screenshot_dir / "collection-owner-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "collection-owner-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.set_viewport_size(DESKTOP)

    # Log out with the menu's POST form, and open the collection as a visitor.
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    page.goto(collection_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lines I live by")
    expect(page.locator(".collection-item")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile(r"Up\W+move quote 2 up"))).to_have_count(0)
    page.screenshot(path=screenshot_dir / "collection-visitor-desktop.png", full_page=True)

    # Nothing overflows sideways on the community pages, on a desktop or a phone.
    for size, width in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page.set_viewport_size(size)
        for path, name in [
            (LEON, "film-with-ratings"),
            (LEON + "reviews/", "reviews"),
            ("/collections/", "collections"),
            ("/u/carol/", "profile"),
        ]:
            page.goto(url + path)
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, width)

    assert not problems, problems
