import json

from django import template
from django.utils.safestring import mark_safe

from ..formatting import timecode

register = template.Library()

# As Django's json_script escapes: no value can close the <script> element it sits in.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value):
    """Serialise a dict for a <script type="application/ld+json"> block, escaped like
    json_script so no value can close the element."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


@register.filter
def paragraphs(value):
    """Split a text into its blank-line separated paragraphs."""
    return [p.strip() for p in str(value or "").split("\n\n") if p.strip()]


@register.filter(name="timecode")
def timecode_filter(seconds):
    """3723 -> 1:02:03."""
    return timecode(seconds)


@register.filter
def duration(seconds):
    if not seconds:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


@register.filter
def runtime(minutes):
    if not minutes:
        return ""
    hours, mins = divmod(int(minutes), 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"
