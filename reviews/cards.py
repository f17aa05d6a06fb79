"""Share cards: a 1200×630 PNG of a quote, its speaker and its film, drawn with Pillow."""

import hashlib
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from leonsite.lib.spoilers import PLACEHOLDER, spoiler_free

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
INK = (244, 241, 234)
MUTED = (176, 196, 184)
ACCENT = (127, 191, 155)
BACKGROUND_TOP = (43, 42, 39)
BACKGROUND_BOTTOM = (20, 19, 18)
CACHE_SECONDS = 60 * 60 * 24 * 7
CARD_VERSION = "2"
SPOILER_NOTICE = "This line is a spoiler: it stays hidden until you choose to read it."

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


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


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


def cache_key(data: dict) -> str:
    digest = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:32]
    return f"quote-card:v{CARD_VERSION}:{digest}"


def draw_card(data: dict) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND_BOTTOM)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / HEIGHT
        colour = tuple(
            round(a + (b - a) * t) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM, strict=True)
        )
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    draw.rectangle([0, 0, 14, HEIGHT], fill=ACCENT)

    if data["lines"] and all(line == PLACEHOLDER for line in data["lines"]):
        text = SPOILER_NOTICE
    else:
        text = " ".join(f"“{line}”" for line in data["lines"]) or "…"
    available = HEIGHT - 2 * MARGIN - 110
    # The largest size whose wrapped text fits the space above the caption.
    for size in (64, 56, 48, 42, 36, 30, 26, 22):
        font = _font("serif", size)
        wrapped = _wrap(draw, text, font, WIDTH - 2 * MARGIN)
        line_height = round(size * 1.3)
        if len(wrapped) * line_height <= available:
            break
    else:
        max_lines = max(1, available // line_height)
        wrapped = wrapped[:max_lines]
        wrapped[-1] = wrapped[-1].rstrip(" .,;") + "…"
    y = MARGIN
    for row in wrapped:
        draw.text((MARGIN, y), row, font=font, fill=INK)
        y += line_height

    caption_y = HEIGHT - MARGIN - 70
    draw.line([(MARGIN, caption_y - 20), (MARGIN + 120, caption_y - 20)], fill=ACCENT, width=4)
    if data["speaker"]:
        draw.text(
            (MARGIN, caption_y), f"— {data['speaker']}", font=_font("sans-bold", 34), fill=INK
        )
    draw.text((MARGIN, caption_y + 46), data["film"], font=_font("sans", 28), fill=MUTED)
    site = "Leonsite"
    site_font = _font("sans-bold", 26)
    draw.text(
        (WIDTH - MARGIN - draw.textlength(site, font=site_font), caption_y + 48),
        site,
        font=site_font,
        fill=ACCENT,
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def quote_card_png(quote) -> bytes:
    """The card's PNG bytes, cached under a key made of everything drawn on it."""
    data = card_data(quote)
    key = cache_key(data)
    png = cache.get(key)
    if png is None:
        png = draw_card(data)
        cache.set(key, png, CACHE_SECONDS)
    return png
