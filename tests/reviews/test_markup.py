"""Members' Markdown becomes safe HTML: the XSS corpus of QUALITY.md T1."""

from html.parser import HTMLParser

import pytest

from reviews.markup import LINK_REL, render_markdown, sanitise

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>',
    "'-alert(1)-'",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil></iframe>",
    "<style>body{display:none}</style>",
    "<form action=//evil><button>go</button></form>",
    "{{ 7*7 }}",
    "<!--",
    "[ok](https://example.com) and <https://example.org>",
    "||<script>alert(1)</script>||",
    "![img](javascript:alert(1))",
    '[x](https://example.com "a" onmouseover="alert(1)")',
]


class TagCollector(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


def _internal(url):
    return url.startswith(("/", "?", "#")) and not url.startswith("//")


def assert_harmless(html):
    """QUALITY.md T1, checked on parsed tags: no script, no handlers, no bad URLs.

    Works on a whole page too: the site's own forms, images and links use relative URLs.
    """
    for tag, attrs in tags_of(html):
        if tag == "script" and _internal(attrs.get("src", "")):
            continue  # the site's own static files
        assert tag not in {"script", "style", "iframe", "svg", "object", "embed"}, html
        if tag == "form" and attrs.get("action"):  # no action: back to the same page
            assert _internal(attrs["action"]), html
        if tag == "img":
            assert _internal(attrs.get("src", "")), html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            if name in {"href", "src", "action"}:
                assert not value.strip().lower().startswith(("javascript:", "data:")), html
        if tag == "a" and not _internal(attrs.get("href", "")):
            assert attrs.get("rel") == LINK_REL, html


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_hostile_markdown_renders_to_harmless_idempotent_html(payload):
    html = render_markdown(payload)
    assert_harmless(html)
    assert "<script" not in html
    # Idempotent under the site's own cleaner (plain nh3.clean would rewrite rel="...").
    assert sanitise(html) == html


def test_a_hundred_kilobyte_payload_is_rendered_safely():
    html = render_markdown("<script>alert(1)</script> **x** " * 3500)
    assert_harmless(html)
    assert sanitise(html) == html


def test_links_get_nofollow_ugc_and_only_web_schemes():
    html = render_markdown("[site](https://example.com) [mail](mailto:a@example.com)")
    assert 'href="https://example.com"' in html
    assert 'href="mailto:a@example.com"' in html
    assert html.count(f'rel="{LINK_REL}"') == 2


def test_inline_spoilers_become_focusable_spans():
    html = render_markdown("He says ||**she** dies|| at the end")
    assert '<span class="spoiler" tabindex="0">' in html
    assert "<strong>she</strong> dies</span>" in html


def test_members_cannot_forge_spoiler_markup_or_attributes():
    html = render_markdown('<span class="spoiler" tabindex="9" onclick="x">a</span>')
    assert "<span" not in html  # raw HTML is shown as text, not interpreted
    assert "&lt;span" in html


def test_basic_markdown_survives():
    html = render_markdown("*em* **strong**\n\n> a quote\n\n- one\n- two\n\n`code`")
    for fragment in ["<em>em</em>", "<strong>strong</strong>", "<blockquote>", "<li>two</li>"]:
        assert fragment in html
    assert "<code>code</code>" in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("   \n ") == ""
