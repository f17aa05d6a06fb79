"""The community's template filters. Its blocks on other apps' pages are plugged into
their slots (reviews/blocks.py), never loaded from here by those apps' templates."""

from django import template

from ..stars import stars as format_stars

register = template.Library()


@register.filter
def stars(rating: int | None, style: str = "text") -> str:
    """{{ review.rating|stars }} → "3.5 stars"; |stars:"glyphs" → "★★★½"; |stars:"short"."""
    return format_stars(rating, style)
