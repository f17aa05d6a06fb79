"""The community's template filters. Its blocks on other apps' pages are plugged into
their slots (reviews/blocks.py), never loaded from here by those apps' templates."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext

from ..markup import render_plain
from ..stars import stars as format_stars

register = template.Library()


@register.filter
def stars(rating: int | None, style: str = "text") -> str:
    """{{ review.rating|stars }} → "3.5 stars"; |stars:"glyphs" → "★★★½"; |stars:"short"."""
    return format_stars(rating, style)


@register.filter
def ago(moment: datetime) -> str:
    """{{ item.created_at|ago }} → "just now", "3 hours ago", "2 weeks, 1 day ago"."""
    if timezone.now() - moment < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment)}


@register.filter
def member_text(text: str, profiles: dict[str, str] | None = None) -> SafeString:
    """{{ comment.body|member_text:profiles }}: a member's plain text as paragraphs, with
    the mentions of `profiles` (name → profile URL) linked. render_plain escapes it."""
    return mark_safe(render_plain(text, profiles))  # noqa: S308 - escaped by render_plain
