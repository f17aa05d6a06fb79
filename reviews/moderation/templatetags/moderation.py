"""The moderated kinds named for people, in the active language.

French nouns have a gender ("cette critique", "ce commentaire"), so "this {kind}" is
translated whole for each kind rather than put together from "this" and a label.
"""

import re

from django import template
from django.utils import translation
from django.utils.translation import gettext, pgettext

from reviews.moderation import services
from reviews.moderation.models import Report

register = template.Library()


def _these() -> dict[str, str]:
    return {
        "review": pgettext("a moderated item", "this review"),
        "comment": pgettext("a moderated item", "this comment"),
        "collection": pgettext("a moderated item", "this collection"),
        "profile": pgettext("a moderated item", "this profile"),
        "correction": pgettext("a moderated item", "this suggested correction"),
        "suggested correction": pgettext("a moderated item", "this suggested correction"),
    }


def _labels() -> dict[str, str]:
    return {
        "review": pgettext("moderated kind", "review"),
        "comment": pgettext("moderated kind", "comment"),
        "collection": pgettext("moderated kind", "collection"),
        "profile": pgettext("moderated kind", "profile"),
        "correction": pgettext("moderated kind", "suggested correction"),
    }


@register.filter
def this_item(kind: str) -> str:
    """ "review" (a kind's name or label) → "this review", "cette critique"."""
    kind = str(kind)
    return _these().get(kind) or gettext("this %(kind)s") % {"kind": kind}


@register.filter
def kind_label(kind: object) -> str:
    """A moderated kind (or its name) → its label: "review", "critique"."""
    name = str(getattr(kind, "name", kind))
    return _labels().get(name) or str(getattr(kind, "label", name))


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
