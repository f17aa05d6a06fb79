"""The moderated kinds named for people, in the active language, from the registry
(leonsite.lib.moderated): each app that registers a kind gives its label ("review") and
"this review" whole, translated, since French nouns have a gender ("cette critique", "ce
commentaire"). A kind is found by its name, its model's name (a report's content type)
or itself; anything else is shown as it is."""

from typing import Any

from django.utils.translation import gettext

from leonsite.lib import moderated


def _kind(kind: Any) -> moderated.ModeratedKind | None:
    if isinstance(kind, moderated.ModeratedKind):
        return kind
    name = str(kind)
    found = moderated.kind_named(name)
    if found is not None:
        return found
    return next((k for k in moderated.kinds() if k.model._meta.model_name == name), None)


def kind_label(kind: Any) -> str:
    """A moderated kind (or its name) → its label: "review", "critique"."""
    found = _kind(kind)
    return str(found.label) if found is not None else str(kind)


def this_item(kind: Any) -> str:
    """A moderated kind (or its name) → "this review", "cette critique"."""
    found = _kind(kind)
    if found is not None and found.this_label:
        return str(found.this_label)
    return gettext("this %(kind)s") % {"kind": kind_label(kind)}


def target_label(snapshot: str) -> str:
    """A log entry's item, kept as its kind described it in English, in the reader's
    language (as kept when no kind recognises it)."""
    for kind in moderated.kinds():
        translated = kind.describe.translated(snapshot or "")
        if translated is not None:
            return translated
    return snapshot
