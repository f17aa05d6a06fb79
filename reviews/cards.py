"""Share cards: 1200×630 PNGs drawn with Pillow, each page's Open Graph image. A quote
card shows the line, its speaker and its film; a collection card its title, its member,
its size and its first quote; a review card the stars, the title, an excerpt, the member
and the film.

Each card is drawn from a small dict of plain text (`*_card_data`) that went through
`spoiler_free()`: tests read what a card says there, since the PNG is pixels. The same
dict names the cached PNG and its ETag, so a card is redrawn only when something printed
on it changes. A card speaks its request's language (the card's address carries the
page's prefix, /fr/… for French): its fixed labels are translated, and the language is
part of its cache key and ETag.
"""

import hashlib
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from math import cos, pi, sin
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from leonsite.accounts.templatetags.members import member_name
from leonsite.lib.spoilers import PLACEHOLDER, spoiler_free, spoiler_free_text

from .stars import stars

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
# Every text colour reads at WCAG AA (4.5:1) on both ends of the background's gradient
# (tests/reviews/test_cards.py checks it).
INK = (244, 241, 234)
MUTED = (176, 196, 184)
ACCENT = (127, 191, 155)
STAR = (236, 188, 82)
BACKGROUND_TOP = (43, 42, 39)
BACKGROUND_BOTTOM = (20, 19, 18)
CACHE_SECONDS = 60 * 60 * 24 * 7
CARD_VERSION = "3"
SPOILER_NOTICE = _("This line is a spoiler: it stays hidden until you choose to read it.")
FIRST_QUOTE_SPOILER = _(
    "Its first quote is a spoiler: it stays hidden until you choose to read it."
)
REVIEW_SPOILER = _("This review contains spoilers: it stays hidden until you choose to read it.")
EMPTY_COLLECTION = _("No quotes in it yet.")
EXCERPT_CHARS = 320
SITE = "Leonsite"
_YEAR = re.compile(r"(.+)( \(\d{4}\))")
# Inline formatting in members' stored HTML: dropped before the text is taken, or
# "*unhinged*;" would read "unhinged ;" (tags become spaces there). Never a spoiler's span.
_INLINE_TAGS = re.compile(r'</?(?:em|strong|a|code|del|s|sub|sup)\b(?:[^>"]|"[^"]*")*>')

_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
_FONT_NAMES = {
    "serif": ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"],
    "sans": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
    "sans-bold": ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
}
_FC_PATTERNS = {"serif": "serif", "sans": "sans", "sans-bold": "sans:bold"}


@lru_cache(maxsize=8)
def _font_path(kind: str) -> str | None:
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for name in _FONT_NAMES[kind]:
            found = next(folder.rglob(name), None)
            if found:
                return str(found)
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [fc_match, "--format=%{file}", _FC_PATTERNS[kind]],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        path = result.stdout.strip()
        if path.lower().endswith((".ttf", ".otf")) and Path(path).is_file():
            return path
    return None


def _font(kind: str, size: int):
    path = _font_path(kind)
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


# What each card says ------------------------------------------------------------------


def card_data(quote) -> dict:
    lines = list(quote.lines.all())
    speakers = []
    for line in lines:
        if line.character and line.character.name not in speakers:
            speakers.append(line.character.name)
    return {
        # A spoiler quote's card names the film and the speaker, never the line.
        "lines": [spoiler_free(line.text, spoiler=quote.is_spoiler) for line in lines],
        "speaker": " & ".join(speakers),
        "film": f"{quote.film.title} ({quote.film.year})",
    }


def collection_card_data(collection, first_item) -> dict:
    """`first_item`: the collection's first CollectionItem (its quote's film and lines
    loaded), or None. Its note is never printed: a note can give a spoiler away."""
    quote = card_data(first_item.quote) if first_item is not None else None
    return {
        "title": spoiler_free(collection.title),
        "member": member_name(collection.owner),
        "count": collection.item_count,
        # The first quote's line or two; a spoiler quote's are "[spoiler]".
        "lines": quote["lines"][:2] if quote else [],
        "speaker": quote["speaker"] if quote else "",
        "film": quote["film"] if quote else "",
    }


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" .,;:") + "…"


def _review_text(html: str) -> str:
    return spoiler_free_text(_INLINE_TAGS.sub("", html))


def review_card_data(review) -> dict:
    """A review flagged as a spoiler shows neither its title (`open_title`) nor its body;
    an open one's inline spoilers read "[spoiler]"."""
    film = review.film
    written = bool(review.title.strip() or review.body.strip())
    return {
        "film": f"{film.title} ({film.year})",
        "rating": review.rating,
        "stars": stars(review.rating),
        "member": member_name(review.author),
        "title": spoiler_free(review.open_title),
        "excerpt": "" if review.is_spoiler else _excerpt(_review_text(review.body_html)),
        "spoiler": review.is_spoiler and written,
    }


def _count(count: int) -> str:
    if not count:
        return gettext("no quotes yet")
    return ngettext("%(count)d quote", "%(count)d quotes", count) % {"count": count}


def _printable(lines: list[str]) -> bool:
    return bool(lines) and not all(line == PLACEHOLDER for line in lines)


def alt_text(kind: str, data: dict) -> str:
    """The card's text alternative (og:image:alt), told from the same spoiler-free data."""
    if kind == "collection":
        text = gettext("%(title)s, a quote collection by %(member)s: %(count)s.") % {
            "title": data["title"],
            "member": data["member"],
            "count": _count(data["count"]),
        }
        if _printable(data["lines"]):
            opening = {"lines": _quoted(data["lines"]), "speaker": data["speaker"]}
            if data["speaker"]:
                text += " " + gettext("It opens with %(lines)s (%(speaker)s).") % opening
            else:
                text += " " + gettext("It opens with %(lines)s.") % opening
    elif kind == "review":
        text = gettext("%(member)s rated %(film)s %(stars)s.") % {
            "member": data["member"],
            "film": data["film"],
            "stars": data["stars"],
        }
        if data["title"]:
            text += " " + _quoted([data["title"]])
    else:
        line = _quoted(data["lines"]) if _printable(data["lines"]) else gettext("A spoiler line")
        text = f"{line} — {data['speaker'] or gettext('a quote')}, {data['film']}"
    return _excerpt(text, 300)


def cache_key(data: dict, kind: str = "quote") -> str:
    """Names a card by what it prints and the language of its labels."""
    digest = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:32]
    return f"{kind}-card:v{CARD_VERSION}:{get_language() or 'en'}:{digest}"


# Drawing --------------------------------------------------------------------------------


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND_BOTTOM)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / HEIGHT
        colour = tuple(
            round(a + (b - a) * t) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM, strict=True)
        )
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    draw.rectangle([0, 0, 14, HEIGHT], fill=ACCENT)
    return image, draw


def _split_word(draw, word: str, font, width: int) -> list[str]:
    """A word wider than the line (a long link, a run of letters), cut where it must be."""
    pieces, current = [], ""
    for char in word:
        if current and draw.textlength(current + char, font=font) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *whole, current = _split_word(draw, word, font, width)
        lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def _ellipsize(draw, text: str, font, width: int) -> str:
    """One line of text, cut with "…" where it would overflow."""
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with its ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle].rstrip(" .,;:") + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    gap = max(cut.rfind(" "), cut.rfind("-"))
    if gap >= low * 0.6:  # end on a whole word when that costs little of the line
        cut = cut[:gap]
    return cut.rstrip(" .,;:—-") + "…"


@dataclass(frozen=True)
class Block:
    """Wrapped text at the size that fits its box."""

    lines: list[str]
    font: Any
    line_height: int

    @property
    def height(self) -> int:
        return len(self.lines) * self.line_height


def _fit(
    draw,
    text: str,
    kind: str,
    sizes: tuple[int, ...],
    height: int,
    *,
    max_lines: int = 99,
    spacing: float = 1.3,
    width: int = TEXT_WIDTH,
) -> Block:
    """The largest size whose wrapped text fits the box; at the smallest, the lines that
    fit, the last cut with "…"."""
    for size in sizes:
        font = _font(kind, size)
        lines = _wrap(draw, text, font, width)
        line_height = round(size * spacing)
        room = max(1, min(max_lines, height // line_height))
        if len(lines) <= room:
            return Block(lines, font, line_height)
    if len(lines) > room:
        rest = " ".join(lines[room - 1 :])
        lines = [*lines[: room - 1], _ellipsize(draw, rest, font, width)]
    return Block(lines, font, line_height)


def _write(draw, block: Block, y: int, fill) -> int:
    """Draws the block from `y`; returns where the next one may start."""
    for row in block.lines:
        draw.text((MARGIN, y), row, font=block.font, fill=fill)
        y += block.line_height
    return y


CAPTION_Y = HEIGHT - MARGIN - 70
CONTENT_BOTTOM = CAPTION_Y - 44  # above the caption's rule


def _caption(draw, name: str, detail: str) -> None:
    """The foot every card shares: who, then what, and the site's name."""
    draw.line([(MARGIN, CAPTION_Y - 20), (MARGIN + 120, CAPTION_Y - 20)], fill=ACCENT, width=4)
    if name:
        name_font = _font("sans-bold", 34)
        name = _ellipsize(draw, name, name_font, TEXT_WIDTH)
        draw.text((MARGIN, CAPTION_Y), name, font=name_font, fill=INK)
    site_font = _font("sans-bold", 26)
    site_width = draw.textlength(SITE, font=site_font)
    detail_font = _font("sans", 28)
    room = TEXT_WIDTH - round(site_width) - 40
    # A long film title gives way before its year does.
    title, year = match.groups() if (match := _YEAR.fullmatch(detail)) else (detail, "")
    tail = round(draw.textlength(year, font=detail_font))
    detail = _ellipsize(draw, title, detail_font, room - tail) + year
    draw.text((MARGIN, CAPTION_Y + 46), detail, font=detail_font, fill=MUTED)
    draw.text((WIDTH - MARGIN - site_width, CAPTION_Y + 48), SITE, font=site_font, fill=ACCENT)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _quoted(lines: list[str]) -> str:
    """Each line between the language's quotation marks: “…” (en), « … » (fr)."""
    mark = pgettext("quotation marks around a line", "“%(line)s”")
    return " ".join(mark % {"line": line} for line in lines)


def draw_card(data: dict) -> bytes:
    image, draw = _canvas()
    if data["lines"] and all(line == PLACEHOLDER for line in data["lines"]):
        text = str(SPOILER_NOTICE)
    else:
        text = _quoted(data["lines"]) or "…"
    sizes = (64, 56, 48, 42, 36, 30, 26, 22)
    _write(draw, _fit(draw, text, "serif", sizes, HEIGHT - 2 * MARGIN - 110), MARGIN, INK)
    _caption(draw, f"— {data['speaker']}" if data["speaker"] else "", data["film"])
    return _png(image)


def draw_collection_card(data: dict) -> bytes:
    image, draw = _canvas()
    label = gettext("QUOTE COLLECTION")
    draw.text((MARGIN, MARGIN - 8), label, font=_font("sans-bold", 24), fill=ACCENT)
    y = MARGIN + 40
    title = _fit(draw, data["title"], "serif", (60, 54, 48, 42), 160, max_lines=2, spacing=1.2)
    y = _write(draw, title, y, INK) + 28
    source = " · ".join(part for part in (data["speaker"], data["film"]) if part)
    room = CONTENT_BOTTOM - y - (40 if source else 0)
    if not data["lines"]:
        y = _write(draw, _fit(draw, str(EMPTY_COLLECTION), "serif", (32,), room), y, MUTED)
    elif all(line == PLACEHOLDER for line in data["lines"]):
        notice = str(FIRST_QUOTE_SPOILER)
        y = _write(draw, _fit(draw, notice, "serif", (32, 28), room), y, MUTED)
    else:
        quoted = _fit(draw, _quoted(data["lines"]), "serif", (36, 32, 28), room, max_lines=3)
        y = _write(draw, quoted, y, INK)
    if source:
        source_font = _font("sans", 24)
        source = _ellipsize(draw, f"— {source}", source_font, TEXT_WIDTH)
        draw.text((MARGIN, y + 6), source, font=source_font, fill=MUTED)
    count = data["count"]
    size = _count(count) if count else gettext("An empty collection")
    _caption(draw, gettext("by %(member)s") % {"member": data["member"]}, size)
    return _png(image)


def _star(size: int, fill: float) -> Image.Image:
    """A five-pointed star as an antialiased mask: its outline, filled up to `fill`
    (0, 0.5 or 1) from the left. Drawn four times larger, then scaled down."""
    scale = 4
    big = size * scale
    centre, outer = big / 2, big / 2

    def points(radius: float) -> list[tuple[float, float]]:
        return [
            (
                centre + (radius if i % 2 == 0 else radius * 0.45) * sin(i * pi / 5),
                centre - (radius if i % 2 == 0 else radius * 0.45) * cos(i * pi / 5) + big * 0.05,
            )
            for i in range(10)
        ]

    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon(points(outer), fill=255)
    draw.polygon(points(outer - 3.2 * scale), fill=0)  # the outline's inner edge
    if fill:
        solid = Image.new("L", (big, big), 0)
        ImageDraw.Draw(solid).polygon(points(outer), fill=255)
        if fill < 1:
            solid.paste(0, (round(big * fill), 0, big, big))
        mask = Image.composite(solid, mask, solid)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def _draw_stars(image: Image.Image, draw, rating: int, label: str, y: int) -> None:
    size, gap = 46, 8
    for i in range(5):
        filled = min(max(rating - 2 * i, 0), 2) / 2
        image.paste(STAR, (MARGIN + i * (size + gap), y), _star(size, filled))
    label_font = _font("sans-bold", 30)
    label = label[:1].upper() + label[1:]
    draw.text((MARGIN + 5 * (size + gap) + 16, y + 6), label, font=label_font, fill=INK)


def draw_review_card(data: dict) -> bytes:
    image, draw = _canvas()
    _draw_stars(image, draw, data["rating"], data["stars"], MARGIN - 10)
    y = MARGIN + 64
    headline = data["title"]
    if not headline and not data["excerpt"] and not data["spoiler"]:
        headline = gettext("Rated %(stars)s out of five.") % {"stars": data["stars"]}
    if headline:
        block = _fit(draw, headline, "serif", (56, 50, 44, 38), 140, max_lines=2, spacing=1.2)
        y = _write(draw, block, y, INK) + 22
    room = CONTENT_BOTTOM - y
    if data["spoiler"]:
        _write(draw, _fit(draw, str(REVIEW_SPOILER), "serif", (32, 28), room), y, MUTED)
    elif data["excerpt"]:
        sizes = (34, 30, 28, 26) if headline else (44, 38, 34, 30)
        _write(draw, _fit(draw, data["excerpt"], "serif", sizes, room, spacing=1.4), y, INK)
    _caption(draw, f"— {data['member']}", data["film"])
    return _png(image)


# Cached PNGs ----------------------------------------------------------------------------

_DRAW = {"quote": draw_card, "collection": draw_collection_card, "review": draw_review_card}


@dataclass(frozen=True)
class Card:
    kind: str
    data: dict

    @property
    def key(self) -> str:
        return cache_key(self.data, self.kind)

    @property
    def etag(self) -> str:
        """Changes with anything printed on the card, and with the drawing's version."""
        return '"' + self.key.replace(":", "-") + '"'

    @property
    def alt(self) -> str:
        return alt_text(self.kind, self.data)

    def png(self) -> bytes:
        """The card's PNG bytes, cached under a key made of everything drawn on it."""
        png = cache.get(self.key)
        if png is None:
            png = _DRAW[self.kind](self.data)
            cache.set(self.key, png, CACHE_SECONDS)
        return png


def quote_card(quote) -> Card:
    return Card("quote", card_data(quote))


def collection_card(collection, first_item) -> Card:
    return Card("collection", collection_card_data(collection, first_item))


def review_card(review) -> Card:
    return Card("review", review_card_data(review))
