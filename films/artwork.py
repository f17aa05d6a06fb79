"""Pictures drawn where none was uploaded: a poster for each film, a monogram per person.

Both are small inline SVGs whose palette and motif come from a hash of the subject, so
every film's poster differs from the next and stays the same from one page to another.
Light text sits on deep colours, which reads the same in the light and the dark theme.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK = "#fbf6ee"
SERIF = "Georgia, 'Times New Roman', serif"
SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _hex(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


@dataclass(frozen=True)
class Palette:
    ground: str
    deep: str
    accent: str
    soft: str
    motif: int
    x: int  # where the motif sits, 0–99


MOTIFS = ("sun", "bands", "rings", "city", "blinds", "letter", "peaks", "halftone")


def palette(seed: str, motif: int | None = None) -> Palette:
    digest = hashlib.sha256(seed.encode()).digest()
    # Consecutive numbers step round the colour wheel by the golden angle: far apart.
    hue = digest[0] / 256 + (motif or 0) * 0.618
    accent_turn = (0.08, 0.5, 0.58, 0.92)[digest[1] % 4]
    return Palette(
        ground=_hex(hue, 0.2, 0.45),
        deep=_hex(hue + 0.04, 0.09, 0.5),
        accent=_hex(hue + accent_turn, 0.58, 0.7),
        soft=_hex(hue, 0.82, 0.35),
        motif=(digest[2] if motif is None else motif) % len(MOTIFS),
        x=digest[3] % 100,
    )


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _motif(p: Palette, letter: str) -> SafeString:
    cx = 50 + p.x
    if p.motif == 4:  # light through window blinds
        return format_html_join(
            "",
            '<rect x="-10" y="{}" width="220" height="9" fill="{}" opacity="{}" '
            'transform="rotate(-8 100 100)"/>',
            ((30 + i * 17, p.accent, f"{0.85 - i * 0.08:.2f}") for i in range(9)),
        )
    if p.motif == 5:  # the title's first letter, large
        return format_html(
            '<text x="{}" y="175" fill="{}" opacity="0.85" font-family="{}" font-size="190" '
            'font-weight="700" text-anchor="middle">{}</text>',
            cx,
            p.accent,
            SERIF,
            letter,
        )
    if p.motif == 6:  # peaks
        return format_html(
            '<polygon points="-10,190 {},40 {},190" fill="{}" opacity="0.85"/>'
            '<polygon points="{},190 {},80 220,190" fill="{}" opacity="0.6"/>',
            cx - 40,
            cx + 60,
            p.accent,
            cx - 10,
            cx + 50,
            p.soft,
        )
    if p.motif == 7:  # a halftone of dots
        return format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="{}" fill="{}" opacity="0.8"/>',
            (
                (
                    12 + col * 22,
                    16 + row * 22,
                    round(1 + ((col + row + p.x) % 7) * 1.1, 1),
                    p.accent,
                )
                for row in range(8)
                for col in range(9)
            ),
        )
    if p.motif == 0:  # a low sun over a horizon
        return format_html(
            '<circle cx="{}" cy="110" r="62" fill="{}" opacity="0.9"/>'
            '<rect y="128" width="200" height="4" fill="{}" opacity="0.7"/>',
            cx,
            p.accent,
            p.soft,
        )
    if p.motif == 1:  # diagonal bands
        return format_html_join(
            "",
            '<polygon points="{},0 {},0 {},300 {},300" fill="{}" opacity="{}"/>',
            (
                (x, x + 18, x - 130, x - 148, p.accent, opacity)
                for x, opacity in ((60, "0.85"), (110, "0.55"), (160, "0.35"), (210, "0.2"))
            ),
        )
    if p.motif == 2:  # rings, as through a scope
        rings = format_html_join(
            "",
            '<circle cx="{}" cy="105" r="{}" fill="none" stroke="{}" stroke-width="{}" '
            'opacity="0.8"/>',
            ((cx, r, p.accent, w) for r, w in ((70, 3), (48, 2), (26, 2))),
        )
        return format_html(
            '{}<rect x="{}" y="25" width="1.5" height="160" fill="{}"/>'
            '<rect x="{}" y="104" width="160" height="1.5" fill="{}"/>',
            rings,
            cx - 0.75,
            p.soft,
            cx - 80,
            p.soft,
        )
    # a city at night: towers of several heights
    towers = []
    for i in range(9):
        height = 60 + ((p.x + i * 37) % 90)
        towers.append((i * 23 - 4, 190 - height, 19, height, p.accent if i % 3 else p.soft))
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" opacity="0.75"/>',
        towers,
    )


def poster_svg(
    *,
    title: str,
    year: int | None,
    director: str = "",
    css_class: str = "poster",
    number: int | None = None,
) -> SafeString:
    """A generated poster: the film's title, year and director on its own palette.
    `number` (the film's id) picks the motif, so films added one after another differ."""
    p = palette(title + str(year or ""), motif=number)
    lines = _wrap(title.upper(), 13)[:4]
    size = min(26, int(176 / (max(len(line) for line in lines) * 0.66)))
    first = 268 - 26 - size * (len(lines) - 1) * 1.08
    title_lines = format_html_join(
        "",
        '<tspan x="16" y="{}">{}</tspan>',
        ((round(first + i * size * 1.08, 1), line) for i, line in enumerate(lines)),
    )
    byline = " · ".join(part for part in (str(year or ""), director) if part)
    label = ", ".join(part for part in (title, str(year or "")) if part)
    if director:
        label += f", directed by {director}"
    return format_html(
        '<svg class="{}" viewBox="0 0 200 300" width="200" height="300" role="img" '
        'aria-label="Poster: {}" xmlns="http://www.w3.org/2000/svg" '
        'preserveAspectRatio="xMidYMid slice">'
        '<rect width="200" height="300" fill="{}"/>'
        '<rect y="150" width="200" height="150" fill="{}" opacity="0.75"/>'
        "{}"
        '<rect y="{}" width="200" height="{}" fill="{}" opacity="0.82"/>'
        '<text fill="{}" font-family="{}" font-size="{}" font-weight="700">{}</text>'
        '<text x="16" y="284" fill="{}" font-family="{}" font-size="10" '
        'letter-spacing="1.5">{}</text>'
        "</svg>",
        css_class,
        label,
        p.ground,
        p.deep,
        _motif(p, title[:1].upper()),
        round(first - size - 8),
        round(300 - first + size + 8),
        p.deep,
        INK,
        SERIF,
        size,
        title_lines,
        p.soft,
        SANS,
        byline.upper(),
    )


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def monogram_svg(name: str, *, css_class: str = "monogram", label: str | None = None) -> SafeString:
    """A person's or character's monogram on a colour of their own; decorative (hidden
    from assistive technology) unless a `label` is given."""
    p = palette(name)
    shapes = (
        '<circle cx="{x}" cy="100" r="55" fill="{c}" opacity="0.55"/>',
        '<polygon points="0,100 100,0 100,30 30,100" fill="{c}" opacity="0.5"/>',
        '<rect x="-20" y="62" width="140" height="14" fill="{c}" opacity="0.5" '
        'transform="rotate(-30 50 50)"/>',
        '<circle cx="{x}" cy="0" r="40" fill="{c}" opacity="0.5"/>',
    )
    shape = shapes[p.motif % len(shapes)].format(x=p.x, c=p.accent)
    role = format_html('role="img" aria-label="{}"', label) if label else 'aria-hidden="true"'
    return format_html(
        '<svg class="{}" viewBox="0 0 100 100" width="100" height="100" {} '
        'xmlns="http://www.w3.org/2000/svg">'
        '<rect width="100" height="100" fill="{}"/>{}'
        '<text x="50" y="50" dy="0.35em" text-anchor="middle" fill="{}" font-family="{}" '
        'font-size="38" font-weight="700">{}</text></svg>',
        css_class,
        mark_safe(role),  # noqa: S308 - fixed markup, the label escaped above
        p.ground,
        mark_safe(shape),  # noqa: S308 - fixed markup with computed colours and numbers
        INK,
        SERIF,
        initials(name),
    )
