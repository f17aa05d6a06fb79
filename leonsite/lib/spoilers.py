"""One guard for every spoiler: one template tag for HTML, one function for the rest.

In a page, everything that can spoil the film (a spoiler quote with its context, trivia,
a scene's description, the full plot, a review flagged as a spoiler, the comments under
it, a collection item holding a spoiler quote, an inline `||spoiler||`) is rendered
through `{% spoiler %}` (a block) or `|guard_inline` (the inline spans of members'
HTML). Guarded means: not readable until the reader asks, by a control that works
without JavaScript (<details> for blocks, a checkbox for inline spans), that assistive
technology announces as a hidden spoiler, and that stays open for the page.

Everywhere else (titles and meta tags, Open Graph, JSON-LD, feeds, share cards, search
entries, exports) text goes through `spoiler_free()`, which never lets a spoiler through:
a spoiler item becomes "[spoiler]", inline spoilers become "[spoiler]" in place.

How far a reader has watched opens guards tied to scenes up to that point (`Progress`);
registered in TEMPLATES as the `spoilers` tag library.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PLACEHOLDER = "[spoiler]"
# How the Markdown renderer marks an inline spoiler in stored HTML (reviews/markup.py).
INLINE_OPEN = '<span class="spoiler" tabindex="0">'
_SPAN = re.compile(r"<span\b[^>]*>|</span>")
# A tag in sanitised HTML (attribute values are double-quoted).
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
# `||text||` in plain text; a marker's content never spans another marker, which keeps
# the search linear on hostile input (a run of unclosed markers).
_INLINE_MARKDOWN = re.compile(r"\|\|(?=\S)((?:(?!\|\|).)+?)(?<=\S)\|\|", re.S)


@dataclass(frozen=True)
class Progress:
    """How far a reader has watched a film: the scenes up to `order` are seen, or all
    of it. Visitors start at nothing seen."""

    order: int | None = None
    seen_all: bool = False

    def opens(self, scene_order: int | None) -> bool:
        if self.seen_all:
            return True
        return scene_order is not None and self.order is not None and scene_order <= self.order

    @property
    def key(self) -> str:
        """For cache keys: pages differ by how much they show."""
        if self.seen_all:
            return "all"
        return f"s{self.order}" if self.order is not None else "none"


NOTHING_SEEN = Progress()


def spoiler_free(value: Any, *, spoiler: bool = False) -> str:
    """Text for every output that is not a guarded page: a spoiler is "[spoiler]";
    inline spoilers (in members' HTML or Markdown) become "[spoiler]" where they were."""
    if spoiler:
        return PLACEHOLDER
    text = _map_inline(str(value or ""), lambda inner: PLACEHOLDER)
    return _INLINE_MARKDOWN.sub(PLACEHOLDER, text)


def _map_inline(html: str, replace: Callable[[str], str]) -> str:
    """Each outermost inline spoiler span of stored HTML, replaced by `replace(inner)`, in
    one pass. Spans are matched by nesting, not by the next `</span>`: a spoiler inside
    a spoiler (``||a *||b||* c||``) must not end the outer one early. An unclosed one
    runs to the end."""
    out: list[str] = []
    pos = 0
    stack: list[bool] = []  # open spans: is each a spoiler?
    spoilers = 0  # how many of them are
    start = (0, 0)  # where the outermost open spoiler's tag starts and ends
    for match in _SPAN.finditer(html):
        tag = match.group(0)
        if tag == "</span>":
            if not stack:
                continue
            if stack.pop():
                spoilers -= 1
                if not spoilers:
                    out += [html[pos : start[0]], replace(html[start[1] : match.start()])]
                    pos = match.end()
            continue
        spoiler = tag == INLINE_OPEN
        if spoiler:
            if not spoilers:
                start = (match.start(), match.end())
            spoilers += 1
        stack.append(spoiler)
    if spoilers:
        out += [html[pos : start[0]], replace(html[start[1] :])]
        pos = len(html)
    out.append(html[pos:])
    return "".join(out)


def spoiler_free_text(html: Any, *, spoiler: bool = False) -> str:
    """Members' stored HTML as plain text, spoilers replaced (JSON-LD, search entries).
    Taken from the rendered HTML, not the Markdown: the renderer decides what a spoiler is
    (escaped bars, entities), so what the page guards is exactly what is left out here."""
    return _plain(spoiler_free(html, spoiler=spoiler))


def spoiler_parts(html: Any) -> str:
    """The plain text inside the inline spoilers of members' stored HTML: for the search's
    separate spoiler index, never for display."""
    parts: list[str] = []

    def collect(inner: str) -> str:
        parts.append(_plain(inner))
        return ""

    _map_inline(str(html or ""), collect)
    return " ".join(parts)


def _plain(html: str) -> str:
    # Tags become spaces, so that paragraphs do not run into each other.
    return " ".join(unescape(_TAG.sub(" ", html)).split())


register = template.Library()


@register.filter(name="spoiler_free")
def spoiler_free_filter(value: Any, spoiler: bool = False) -> str:
    """{{ text|spoiler_free:item.is_spoiler }}: `spoiler_free()` for titles and meta tags."""
    return spoiler_free(value, spoiler=bool(spoiler))


def _inline_guard(content: str, label: str | None = None) -> str:
    """An inline guard: a checkbox in a label (no id needed, works without JavaScript);
    the content shows once it is checked (static/css/site.css)."""
    return format_html(
        '<label class="spoiler-inline"><input type="checkbox" class="spoiler-toggle">'
        '<span class="spoiler-cue">{}<span class="visually-hidden">{}</span></span>'
        '<span class="spoiler-text">{}</span></label>',
        label if label is not None else _("Spoiler"),
        _(" (hidden: check to show it)"),
        mark_safe(content),  # noqa: S308 - sanitised or template-rendered HTML
    )


@register.filter(is_safe=True, needs_autoescape=False)
def guard_inline(html: str, shown: bool = False) -> SafeString:
    """Members' stored HTML with each inline spoiler behind its own control: a checkbox
    in a label (no id needed, works without JavaScript), the text shown once it is
    checked (static/css/site.css). `shown` (the reader's setting) opens them all."""
    if shown:
        opened = _map_inline(
            str(html or ""), lambda inner: f'<span class="spoiler-shown">{inner}</span>'
        )
        return mark_safe(opened)  # noqa: S308 - sanitised HTML, fixed markup around it
    guarded = _map_inline(str(html or ""), _inline_guard)
    return mark_safe(guarded)  # noqa: S308 - sanitised HTML, wrapped in fixed markup


_GUARDED = "_inside_spoiler_guard"


class SpoilerNode(template.Node):
    def __init__(self, nodelist: template.NodeList, when: Any, options: dict[str, Any]) -> None:
        self.nodelist = nodelist
        self.when = when
        self.scene = options.get("scene")
        self.label = options.get("label")
        self.members = options.get("members")
        self.inline = options.get("inline")

    def render(self, context: Context) -> str:
        # Inside a closed guard, a spoiler needs no guard of its own: the outer one
        # already hides it, and one control opens the whole (a late scene and its lines).
        if not self.when.resolve(context) or context.get(_GUARDED):
            return self.nodelist.render(context)
        order = None
        if self.members is not None and self.members.resolve(context):
            # A member's spoiler: only the reader's own setting opens it, never progress.
            if context.get("show_members_spoilers"):
                return self.nodelist.render(context)
        else:
            scene = self.scene.resolve(context) if self.scene is not None else None
            order = scene if isinstance(scene, int) else getattr(scene, "order", None)
            if (context.get("progress") or NOTHING_SEEN).opens(order):
                return self.nodelist.render(context)
        with context.push({_GUARDED: True}):
            inner = self.nodelist.render(context)
        label = self.label.resolve(context) if self.label is not None else _("Spoiler")
        if self.inline is not None and self.inline.resolve(context):
            return _inline_guard(inner, label)
        return format_html(
            '<details class="spoiler-box"{}><summary><span class="spoiler-label">{}</span> '
            '<span class="badge text-bg-danger ms-1">{}</span>'
            '<span class="visually-hidden">{}</span></summary>'
            '<div class="spoiler-body">{}</div></details>',
            format_html(' data-scene="{}"', order) if order is not None else "",
            label,
            _("Spoiler"),
            _(" (hidden: open to read it)"),
            mark_safe(inner),  # noqa: S308 - rendered by the template engine, escaped there
        )


@register.tag(name="spoiler")
def spoiler_tag(parser: Parser, token: Token) -> SpoilerNode:
    """{% spoiler when [scene=s] [label="..."] [members=True] [inline=True] %}...{% endspoiler %}

    `when` says whether the content spoils; `scene` (a Scene or its order) lets the
    reader's progress (the context's `progress`) open it. `members` marks a member's
    spoiler (a review, the comments under it): progress through the film does not open
    it, only the reader's setting (the context's `show_members_spoilers`). `inline` guards
    phrasing content (a scene's title in a sentence) instead of a block."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% spoiler %} needs a condition.")
    when = parser.compile_filter(bits[0])
    options = {}
    for bit in bits[1:]:
        name, _, value = bit.partition("=")
        if name not in ("scene", "label", "members", "inline") or not value:
            raise template.TemplateSyntaxError(f"{{% spoiler %}}: unknown option {bit!r}.")
        options[name] = parser.compile_filter(value)
    nodelist = parser.parse(("endspoiler",))
    parser.delete_first_token()
    return SpoilerNode(nodelist, when, options)
