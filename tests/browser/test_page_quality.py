"""Every page type, as a fan's browser sees it: axe-core, CSP, keyboard, screenshots."""

import pytest
from django.conf import settings
from django.test import Client

from tests.pages import AUDIENCES, french, make_visitor, page_type, pages_for
from tests.tools import require_axe

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
THEMES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def signed_in_cookie(live_server, who="member"):
    client = Client()
    client.force_login(make_visitor(who))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def new_context(browser, live_server, who, theme="light", **options):
    """A browser for `who`. Dark is checked both ways a page turns dark: a visitor's
    device prefers it (the stylesheet's media query), a member chose it in the footer
    (the cookie, and Bootstrap's own dark variables under data-bs-theme)."""
    context = browser.new_context(color_scheme=theme, **options)
    if who != "anonymous":
        context.add_cookies([signed_in_cookie(live_server, who)])
        if theme == "dark":
            context.add_cookies([{"name": "theme", "value": "dark", "url": live_server.url}])
    return context


def describe(violations):
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} — {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("who", AUDIENCES)
@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_type_has_no_axe_violations(
    browser, live_catalogue, screenshot_dir, theme, width, who
):
    axe = require_axe()
    # axe is injected as an inline script, which our own CSP forbids: bypass it here only.
    context = new_context(
        browser, live_catalogue, who, theme, viewport=WIDTHS[width], bypass_csp=True
    )
    page = context.new_page()
    failures = {}
    for page_kind in pages_for(who):
        response = page.goto(live_catalogue.url + page_kind.path())
        assert response.status == page_kind.status, page_kind.name
        shot = screenshot_dir / f"{page_kind.name}-{width}-{who}-{theme}.png"
        page.screenshot(path=shot, full_page=True)
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        if result["violations"]:
            failures[page_kind.name] = describe(result["violations"])
    context.close()
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())


@pytest.mark.parametrize(
    "who,width",
    [
        ("anonymous", "desktop"),
        ("anonymous", "phone"),
        ("member", "desktop"),
        ("moderator", "desktop"),
    ],
)
def test_every_page_type_in_french_has_no_axe_violations(
    browser, live_catalogue, screenshot_dir, width, who
):
    """The French pages at their /fr/ addresses: longer words in the same layout, and
    their own lang. One theme is enough here: the palettes are the English pages'."""
    axe = require_axe()
    context = new_context(browser, live_catalogue, who, viewport=WIDTHS[width], bypass_csp=True)
    page = context.new_page()
    failures = {}
    for page_kind in pages_for(who):
        response = page.goto(live_catalogue.url + french(page_kind))
        assert response.status == page_kind.status, page_kind.name
        assert page.evaluate("document.documentElement.lang") == "fr", page_kind.name
        page.screenshot(path=screenshot_dir / f"{page_kind.name}-{width}-{who}-fr.png",
                        full_page=True)  # fmt: skip
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        if result["violations"]:
            failures[page_kind.name] = describe(result["violations"])
    context.close()
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())


@pytest.mark.parametrize("who", AUDIENCES)
def test_no_page_type_breaks_the_content_security_policy(browser, live_catalogue, who):
    context = new_context(browser, live_catalogue, who)
    page = context.new_page()
    reports = []
    page.on(
        "console",
        lambda msg: reports.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    for page_kind in pages_for(who):
        response = page.goto(live_catalogue.url + page_kind.path())
        assert response.status == page_kind.status, page_kind.name
        page.wait_for_load_state("load")
    context.close()
    assert not reports, reports


FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
  '[tabindex]:not([tabindex="-1"])'
)].filter(el => {
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden')) return false;
  // The contents of a closed <details> are reached after opening it, not before.
  const details = el.closest('details');
  return !details || details.open || el.closest('summary') !== null;
})"""

# After each Tab: remember the focused element itself and whether it shows a ring.
STEP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  window.__seen = window.__seen || new Set();
  const fresh = !window.__seen.has(el);
  window.__seen.add(el);
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return {fresh, ring, html: el.outerHTML.slice(0, 120)};
}"""


@pytest.mark.parametrize("name", ["film", "review-form", "report-form", "moderation-queue"])
def test_keyboard_reaches_every_control_with_a_visible_focus_ring(browser, live_catalogue, name):
    who = page_type(name).audience
    context = new_context(browser, live_catalogue, "anonymous" if who == "anyone" else who,
                          viewport=WIDTHS["desktop"])  # fmt: skip
    page = context.new_page()
    page.goto(live_catalogue.url + page_type(name).path())
    expected = page.evaluate(f"({FOCUSABLE})().length")
    without_ring = []
    for _ in range(expected * 2):
        page.keyboard.press("Tab")
        step = page.evaluate(STEP)
        if step is None or not step["fresh"]:
            break
        if not step["ring"]:
            without_ring.append(step["html"])
    # A radio group is one Tab stop (arrow keys move inside it): reaching one radio of a
    # group reaches the group.
    missed = page.evaluate(
        f"""() => {{
          const seen = [...window.__seen];
          const groups = new Set(seen.filter(el => el.type === 'radio').map(el => el.name));
          return ({FOCUSABLE})()
            .filter(el => !window.__seen.has(el))
            .filter(el => !(el.type === 'radio' && groups.has(el.name)))
            .map(el => el.outerHTML.slice(0, 120));
        }}"""
    )
    assert not missed, f"never reached by Tab: {missed}"
    assert not without_ring, without_ring


def test_star_rating_is_a_radio_group_driven_by_arrow_keys(browser, live_catalogue):
    context = new_context(browser, live_catalogue, "member", viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.goto(live_catalogue.url + page_type("review-form").path())
    group = page.get_by_role("group", name="Your rating")
    assert group.get_by_role("radio").count() == 10
    group.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    checked = page.evaluate("document.querySelector('input[name=rating]:checked').value")
    assert checked == "3"  # half a star, one star, one and a half stars
