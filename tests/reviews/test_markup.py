"""Members' Markdown becomes safe HTML quickly, whatever they type."""

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


SITE_ART = {"poster", "monogram"}


def assert_harmless(html):
    """Checked on parsed tags: no script, no handlers, no bad URLs.

    Works on a whole page too: the site's own forms, images and links use relative URLs.
    """
    for tag, attrs in tags_of(html):
        if tag == "script" and _internal(attrs.get("src", "")):
            continue  # the site's own static files
        if tag == "svg" and set(attrs.get("class", "").split()) & SITE_ART:
            continue  # the site's own drawn posters and monograms (films/artwork.py)
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
    assert html == "<p>a</p>"  # raw HTML is dropped, never interpreted


def test_a_link_whose_address_is_refused_becomes_its_text():
    html = render_markdown("[x](javascript:alert(1)) [y](ftp://host/) [z](https://ok.example)")
    assert html == (f'<p>x y <a href="https://ok.example" rel="{LINK_REL}">z</a></p>')


def test_spoiler_markers_must_hug_their_text_and_stay_out_of_code():
    assert render_markdown("a || b || c") == "<p>a || b || c</p>"
    assert render_markdown("`x ||y|| z`") == "<p><code>x ||y|| z</code></p>"
    assert render_markdown("||one\n\ntwo||") == "<p>||one</p>\n<p>two||</p>"
    assert render_markdown("||a|| and ||b||").count('class="spoiler"') == 2


def test_basic_markdown_survives():
    html = render_markdown("*em* **strong**\n\n> a quote\n\n- one\n- two\n\n`code`")
    for fragment in ["<em>em</em>", "<strong>strong</strong>", "<blockquote>", "<li>two</li>"]:
        assert fragment in html
    assert "<code>code</code>" in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("   \n ") == ""


# Hostile input at the maximum length: every renderer step stays linear ---------------------

MAX = 20_000
PATHOLOGICAL = {
    "brackets": "[" * MAX,
    "image openers": "![" * (MAX // 2),
    "unclosed links": "[a](" * (MAX // 4),
    "brackets and parentheses": "[](" * (MAX // 3),
    "links in links": "[a [b [c " * (MAX // 9),
    "emphasis runs": "*a" * (MAX // 2),
    "nested emphasis": "*a **b ***c " * (MAX // 12),
    "underscores": "_a" * (MAX // 2),
    "backticks": "`" * MAX,
    "code span openers": "``a" * (MAX // 3),
    "angle brackets": "<" * MAX,
    "tag openers": "<a" * (MAX // 2),
    "spoiler bars": "||" * (MAX // 2),
    "spoilers": "||a" * (MAX // 3),
    "spoilers around emphasis": "||**a**|| " * (MAX // 10),
    "quote markers": ">" * MAX,
    "quote lines": "> " * (MAX // 2),
    "list nesting": "".join("  " * i + "- x\n" for i in range(130)),
    "ordered markers": "1. " * (MAX // 3),
    "long link references": "\n".join(f"[r{i}]: https://example.com/{i}" for i in range(600))
    + "\n"
    + "[r1]" * 1500,
    "entities": "&amp;" * (MAX // 5),
    "backslashes": "\\" * MAX,
    "hard breaks": "a  \n" * (MAX // 4),
}
MARKDOWN_BUDGET = 0.05  # seconds, on a quiet machine


def test_pathological_markdown_renders_in_linear_time(capsys):
    import time

    timings = {}
    for name, text in PATHOLOGICAL.items():
        text = text[:MAX]
        started = time.perf_counter()
        html = render_markdown(text)
        timings[name] = time.perf_counter() - started
        assert sanitise(html) == html, name
    worst = max(timings, key=timings.get)
    with capsys.disabled():
        print(f"\nworst Markdown render: {worst}, {timings[worst] * 1000:.1f} ms")
    # Loose enough for a busy machine running the suite; the budget is 50 ms.
    assert timings[worst] < 4 * MARKDOWN_BUDGET, timings


def test_a_spoiler_inside_a_spoiler_is_one_spoiler():
    html = render_markdown("Good. ||He *||dies||* at the end, secret|| after")
    assert html == (
        '<p>Good. <span class="spoiler" tabindex="0">He <em>dies</em> at the end, secret'
        "</span> after</p>"
    )


def test_stored_nested_spoilers_are_guarded_to_their_outer_end():
    from leonsite.lib.spoilers import guard_inline, spoiler_free, spoiler_parts

    # As the renderer stored them before nesting was flattened.
    stored = (
        '<p>Good. <span class="spoiler" tabindex="0">He <em><span class="spoiler" '
        'tabindex="0">dies</span></em> at the end, secret</span> after</p>'
    )
    assert spoiler_free(stored) == "<p>Good. [spoiler] after</p>"
    assert spoiler_parts(stored) == "He dies at the end, secret"
    guarded = guard_inline(stored)
    assert guarded.count('class="spoiler-text"') == 1
    text = guarded.split('class="spoiler-text">')[1]
    assert text.startswith("He <em>") and text.split("</label>")[0].endswith("secret</span>")
    assert "after</p>" in guarded.split("</label>")[1]
