"""Moderation's words in the reader's language: the moderated kinds (labels.py) and the
sentences the system stores in English."""

import re
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from reviews.moderation import labels, services
from reviews.moderation.models import Report

register = template.Library()


@register.filter
def this_item(kind: Any) -> str:
    """ "review" (a kind or its name) → "this review", "cette critique"."""
    return labels.this_item(kind)


@register.simple_tag(takes_context=True)
def report_link(context: template.Context, kind: str, pk: int, author_id: int) -> SafeString | str:
    """{% report_link "review" review.pk review.author_id %}: a "Report" link for signed-in
    members other than the author, back to this page afterwards. Built here, not
    included from a template: a list of reviews or comments has one per item."""
    user = context.get("user")
    if user is None or not user.is_authenticated or author_id == user.pk:
        return ""
    request = context.get("request")
    back = quote(request.get_full_path(), safe="/") if request is not None else ""
    return format_html(
        '<a class="report-link" href="{}?next={}" rel="nofollow">{}'
        '<span class="visually-hidden"> {}</span></a>',
        reverse("moderation:report", args=[kind, pk]),
        back,
        pgettext("report a post to moderators", "Report"),
        labels.this_item(kind),
    )


@register.filter
def kind_label(kind: Any) -> str:
    """A moderated kind (or its name) → its label: "review", "critique"."""
    return labels.kind_label(kind)


def _pattern(sentence: str) -> re.Pattern[str]:
    """A stored English sentence as a pattern: its %(word)s or %(count)s caught."""
    escaped = re.escape(sentence)
    escaped = escaped.replace(re.escape("%(word)s"), "(?P<word>.*)")
    escaped = escaped.replace(re.escape("%(count)s"), "(?P<count>[0-9]+)")
    return re.compile(f"^{escaped}$", re.S)


# What the system writes into reasons and reports' details, in English (the log is kept
# in one language); shown in the reader's.
_SENTENCES = [
    (_pattern(text), text)
    for text in (
        services.HELD_REASON,
        services.WATCHED_WORD_REASON,
        services.HELD_DETAILS,
        services.REPORTED_DETAILS,
        services.AUTO_HIDE_REASON,
    )
]


def _report_reasons() -> dict[str, str]:
    """Each member's report reason in English (how the log keeps it) → in the reader's
    language."""
    with translation.override("en"):
        english = {value: str(label) for value, label in Report.Reason.choices}
    return {english[value]: str(label) for value, label in Report.Reason.choices}


@register.filter
def system_reason(reason: str) -> str:
    """A reason or a report's details in the reader's language where the system wrote
    it (stored in English); a person's own words as they are."""
    if not reason:
        return reason
    if reason == services.AUTO_HIDE_MESSAGE:
        return gettext(services.AUTO_HIDE_MESSAGE)
    for pattern, text in _SENTENCES:
        found = pattern.match(reason)
        if found:
            return gettext(text) % found.groupdict()
    # A report's entry in the log: its reason's label, then what the member wrote.
    label, colon, details = reason.partition(": ")
    translated = _report_reasons().get(label)
    if translated is not None:
        return translated + (gettext(": ") + details if colon else "")
    return reason


@register.filter
def target_label(label: str) -> str:
    """A log entry's item as its kind described it (in English), in the reader's
    language."""
    return labels.target_label(label)
