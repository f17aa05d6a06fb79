"""Moderation's words in the reader's language: the moderated kinds (labels.py) and the
sentences the system stores in English."""

import re
from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from reviews.moderation import labels, services
from reviews.moderation.models import Report

register = template.Library()


@register.filter
def this_item(kind: Any) -> str:
    """ "review" (a kind or its name) → "this review", "cette critique"."""
    return labels.this_item(kind)


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


# How the registered kinds describe an item in the log (their `describe`, in English).
_TARGETS = [
    (re.compile(r"^Review #(?P<pk>\d+) of (?P<title>.*)$", re.S),
     gettext_noop("Review #%(pk)s of %(title)s")),
    (re.compile(r"^Comment #(?P<pk>\d+) on review #(?P<review>\d+)$"),
     gettext_noop("Comment #%(pk)s on review #%(review)s")),
    (re.compile(r"^Collection #(?P<pk>\d+) “(?P<title>.*)”$", re.S),
     gettext_noop("Collection #%(pk)s “%(title)s”")),
    (re.compile(r"^Correction #(?P<pk>\d+) of (?P<title>.*)$", re.S),
     gettext_noop("Correction #%(pk)s of %(title)s")),
    (re.compile(r"^Profile #(?P<pk>\d+)$"), gettext_noop("Profile #%(pk)s")),
]  # fmt: skip


@register.filter
def target_label(label: str) -> str:
    """A log entry's item as the kinds describe it (in English), in the reader's language."""
    for pattern, text in _TARGETS:
        found = pattern.match(label or "")
        if found:
            return gettext(text) % found.groupdict()
    return label
