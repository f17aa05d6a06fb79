"""Markdown to safe HTML for members' writing, in time linear in the text.

cmark (GitHub's CommonMark implementation, through cmarkgfm) renders the Markdown; it is
built to stay linear on hostile input, where pure-Python renderers went quadratic (20,000
`[` took minutes). Raw HTML is not interpreted: cmark drops it. nh3 then keeps only a
small set of tags and attributes, and one linear pass (`_finish`) turns `||text||` into
spoiler spans and unwraps links whose URL the sanitiser refused. The stored HTML is a
fixed point of `sanitise`.

`@username` mentions are linked here too, by `link_mentions`, in text outside links and
code: the caller says which names are members (one query for the whole text or page).
Names match exactly, as at login and in /u/<username>/.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.utils.html import escape, linebreaks

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}}
# A spoiler span is focusable so that it can be revealed without JavaScript (CSS :focus).
TAG_ATTRIBUTE_VALUES = {"span": {"tabindex": {"0"}}}
ALLOWED_CLASSES = {"span": {"spoiler"}}
LINK_REL = "nofollow ugc noopener noreferrer"
URL_SCHEMES = {"http", "https", "mailto"}
CMARK_OPTIONS = Options.CMARK_OPT_DEFAULT | Options.CMARK_OPT_VALIDATE_UTF8
# Quotes nest as deep as a line has `>` markers, and the sanitiser's HTML parser slows
# down quadratically with depth: nobody quotes a quote of a quote twenty times.
MAX_QUOTE_DEPTH = 20
_DEEP_QUOTES = re.compile(rf"^((?:[ ]{{0,3}}>[ ]?){{{MAX_QUOTE_DEPTH}}})(?:[ ]{{0,3}}>[ ]?)+", re.M)
# What `_finish` has to do: spoiler markers, or links left without an address.
_NEEDS_FINISH = re.compile(r'\|\||<a (?![^>]*href="[^"])')

SPOILER_OPEN = '<span class="spoiler" tabindex="0">'
SPOILER_CLOSE = "</span>"
# A tag (attribute values are double-quoted by the sanitiser), a spoiler marker, or text.
_TOKEN = re.compile(r'<(/?)([a-z]+)(?:[^>"]|"[^"]*")*>|\|\||[^<|]+|\|')
_VERBATIM = {"code", "pre"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ATTRIBUTES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


class _Element:
    __slots__ = ("tag", "unwrapped", "opener")

    def __init__(self, tag: str, unwrapped: bool = False) -> None:
        self.tag = tag
        self.unwrapped = unwrapped
        self.opener: int | None = None  # output index of an unmatched `||` in it


def _finish(html: str) -> str:
    """One pass over sanitised HTML: `||text||` within one element becomes a spoiler span
    (markers must hug the text, as emphasis does); `<a>` without an href (its URL was
    refused) becomes its plain text. Anything unmatched stays as written."""
    out: list[str] = []
    stack = [_Element("root")]
    verbatim = 0  # open <code> and <pre> elements: `||` inside them is code
    for match in _TOKEN.finditer(html):
        piece, closing, tag = match.group(0), match.group(1), match.group(2)
        if tag:
            if closing:
                element = stack.pop() if len(stack) > 1 else stack[0]
                verbatim -= element.tag in _VERBATIM
                if not element.unwrapped:
                    out.append(piece)
                continue
            void = tag in ("br", "hr")
            unwrapped = tag == "a" and (' href="' not in piece or ' href=""' in piece)
            if not unwrapped:
                out.append(piece)
            if not void:
                stack.append(_Element(tag, unwrapped))
                verbatim += tag in _VERBATIM
            continue
        element = stack[-1]
        if piece != "||" or verbatim:
            out.append(piece)
        elif element.opener is not None and not out[-1][-1:].isspace():
            out[element.opener] = SPOILER_OPEN
            out.append(SPOILER_CLOSE)
            element.opener = None
        else:
            following = html[match.end() : match.end() + 1]
            if following and not following.isspace():
                element.opener = len(out)
            out.append(piece)
    return "".join(_outermost(out))


def _outermost(out: list[str]) -> list[str]:
    """A spoiler inside a spoiler (``||a *||b||* c||``) is already hidden: only the
    outermost span is kept, so one control reveals the whole of it. Markers are told
    from text by identity: `_finish` places these very constants."""
    depth = 0
    for index, piece in enumerate(out):
        if piece is SPOILER_OPEN:
            depth += 1
            if depth > 1:
                out[index] = ""
        elif piece is SPOILER_CLOSE:
            if depth > 1:
                out[index] = ""
            depth -= 1
    return out


# Mentions -------------------------------------------------------------------------------

# `@` then a username (Django's characters: letters, digits and . + - _), not preceded by
# a character that makes it part of an address (a@b.com, example.com/@name), and ending
# on a letter or digit so that "@leon." or "@leon," mention leon.
MENTION = re.compile(r"(?<![\w.+@/:-])@(\w(?:[\w.+-]{0,148}\w)?)")
_HTML_TOKEN = re.compile(r"<(/?)([a-z]+)[^>]*>|[^<]+")
_NOT_LINKED_IN = {"a", "code", "pre"}

Links = Callable[[Iterable[str]], Mapping[str, str]]


def _text_pieces(html: str) -> Iterable[tuple[str, bool]]:
    """Each piece of the HTML, and whether it is text a mention may be linked in."""
    closed = 0  # open <a>, <code> and <pre> elements
    for match in _HTML_TOKEN.finditer(html):
        tag = match.group(2)
        if tag:
            if tag in _NOT_LINKED_IN:
                closed += -1 if match.group(1) else 1
            yield match.group(0), False
        else:
            yield match.group(0), closed <= 0


def html_mention_names(html: str) -> list[str]:
    """The names mentioned in rendered HTML, once each, in order of first mention."""
    names: dict[str, None] = {}
    for piece, open_text in _text_pieces(html):
        if open_text:
            names.update((name, None) for name in MENTION.findall(piece))
    return list(names)


def link_mentions(html: str, profiles: Mapping[str, str]) -> str:
    """Link each `@name` of `profiles` (name → profile URL) in text outside links and code."""
    if not profiles or "@" not in html:
        return html

    def link(match: re.Match[str]) -> str:
        url = profiles.get(match.group(1))
        if url is None:
            return match.group(0)
        return f'<a href="{escape(url)}" rel="{LINK_REL}">{match.group(0)}</a>'

    return "".join(
        MENTION.sub(link, piece) if open_text else piece for piece, open_text in _text_pieces(html)
    )


def profile_url(username: str) -> str:
    """The profile's address as stored in rendered text: the unprefixed (English) one."""
    return f"/u/{quote(username)}/"


def render_markdown(text: str, *, profiles: Links | None = None) -> str:
    """A member's Markdown as safe HTML; with `profiles` (names → their profile URLs, for
    the names that are members), its mentions are linked."""
    if not text or not text.strip():
        return ""
    text = _DEEP_QUOTES.sub(r"\1", text)
    html = sanitise(cmarkgfm.markdown_to_html(text, options=CMARK_OPTIONS))
    if _NEEDS_FINISH.search(html):
        html = _finish(html)
    html = html.strip()
    if profiles is not None and "@" in html:
        html = link_mentions(html, profiles(html_mention_names(html)))
    return html


def render_plain(text: str, profiles: Mapping[str, str] | None = None) -> str:
    """A member's plain text (a comment) as HTML paragraphs, its mentions linked."""
    html = linebreaks(escape(text))
    return link_mentions(html, profiles) if profiles else html


def mention_names(text: str, *, markdown: bool = False) -> list[str]:
    """The names a text mentions, as its rendering sees them (never in code or links)."""
    if "@" not in text:
        return []
    return html_mention_names(render_markdown(text) if markdown else render_plain(text))
