"""The moderated kinds named for people, in the active language.

The registry's labels (leonsite.lib.moderated) are English and belong to the apps that
register the kinds; moderation names the kinds it knows here. French nouns have a
gender ("cette critique", "ce commentaire"), so "this {kind}" is translated whole for
each kind rather than put together from "this" and a label. An unknown kind keeps its
registered label.
"""

from typing import Any

from django.utils.translation import gettext, pgettext


def _these() -> dict[str, str]:
    return {
        "review": pgettext("a moderated item", "this review"),
        "comment": pgettext("a moderated item", "this comment"),
        "collection": pgettext("a moderated item", "this collection"),
        "profile": pgettext("a moderated item", "this profile"),
        "correction": pgettext("a moderated item", "this suggested correction"),
    }


def _labels() -> dict[str, str]:
    return {
        "review": pgettext("moderated kind", "review"),
        "comment": pgettext("moderated kind", "comment"),
        "collection": pgettext("moderated kind", "collection"),
        "profile": pgettext("moderated kind", "profile"),
        "correction": pgettext("moderated kind", "suggested correction"),
    }


def _name(kind: Any) -> str:
    """A kind's name, from a ModeratedKind, its name or its label."""
    name = str(getattr(kind, "name", kind))
    return "correction" if name == "suggested correction" else name


def kind_label(kind: Any) -> str:
    """A moderated kind (or its name) → its label: "review", "critique"."""
    return _labels().get(_name(kind)) or str(getattr(kind, "label", kind))


def this_item(kind: Any) -> str:
    """A moderated kind (or its name) → "this review", "cette critique"."""
    found = _these().get(_name(kind))
    return found or gettext("this %(kind)s") % {"kind": getattr(kind, "label", kind)}
