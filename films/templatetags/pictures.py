"""Catalogue pictures in pages: responsive renditions, or the drawn fallback.

{% picture image alt="…" %} gives a <picture> with an AVIF/WebP/JPEG `srcset` for each
rendition, the `sizes` of its kind, and the stored `width`/`height` so nothing shifts as
it loads; lazy unless `eager=True` (the film page's poster, fetched first).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .. import artwork, pictures

register = template.Library()


def _srcset(image: Any, made: list[pictures.Rendition]) -> str:
    return ", ".join(f"{image.storage.url(r.name)} {r.width}w" for r in made)


@register.simple_tag
def picture(
    image: Any,
    alt: str = "",
    css: str = "",
    sizes: str = "",
    eager: bool = False,
) -> SafeString:
    made = pictures.renditions(image) if image else []
    if not made:
        return SafeString("")
    sizes = sizes or pictures.kind_of(image).sizes
    by_format: dict[str, list[pictures.Rendition]] = {}
    for rendition in made:
        by_format.setdefault(rendition.format, []).append(rendition)
    fallback = by_format.pop("JPEG")
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((group[0].mime_type, _srcset(image, group), sizes) for group in by_format.values()),
    )
    # The src a browser without srcset takes: a middle width, sharp enough at 2×.
    middle = fallback[min(len(fallback) - 1, len(fallback) // 2)]
    return format_html(
        '<picture class="{}">{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" decoding="async" loading="{}" fetchpriority="{}"></picture>',
        css,
        sources,
        image.storage.url(middle.name),
        _srcset(image, fallback),
        sizes,
        getattr(image.instance, image.field.width_field),
        getattr(image.instance, image.field.height_field),
        alt,
        "eager" if eager else "lazy",
        "high" if eager else "auto",
    )


@register.simple_tag
def poster(film: Any, css: str = "poster", eager: bool = False, director: str = "") -> SafeString:
    """The film's poster, or one drawn from its title, year and director."""
    if film.poster:
        drawn = picture(film.poster, alt=f"Poster of {film.title}", css=css, eager=eager)
        if drawn:
            return drawn
    return artwork.poster_svg(
        title=film.title, year=film.year, director=director, css_class=css, number=film.pk
    )


@register.simple_tag
def portrait(
    subject: Any, css: str = "portrait", label: bool = False, sizes: str = ""
) -> SafeString:
    """A person's photo or a character's image, or their monogram. Decorative beside
    the name unless `label` (then the picture names them)."""
    image = getattr(subject, "photo", None) or getattr(subject, "image", None)
    if image:
        drawn = picture(image, alt=subject.name if label else "", css=css, sizes=sizes)
        if drawn:
            return drawn
    return artwork.monogram_svg(
        subject.name, css_class=f"{css} monogram", label=subject.name if label else None
    )
