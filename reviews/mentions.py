"""Mentions: the members an `@username` in a post names, and which of them to tell.

Names match usernames exactly, as logging in and /u/<username>/ do (look-alike names
are refused at sign-up, so "@Leon" cannot pass for "leon"). A mention links to the
member's profile whatever the blocks between them; only the telling (a notification)
stops at a block, either way. reviews/markup.py finds the names, outside code and links.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from . import follows
from .markup import mention_names, profile_url

User = get_user_model()

# One post tells at most this many members; a text links at most MAX_LINKED names (one
# query, however long the text).
MAX_NOTIFIED = 10
MAX_LINKED = 100


def profile_links(names: Iterable[str]) -> dict[str, str]:
    """Name → profile URL, for the names that are active members. One query (none for
    no names)."""
    wanted = list(dict.fromkeys(names))[:MAX_LINKED]
    if not wanted:
        return {}
    found = User.objects.filter(username__in=wanted, is_active=True).values_list(
        "username", flat=True
    )
    return {username: profile_url(username) for username in found}


def _names(texts: Iterable[str], markdown: bool) -> list[str]:
    return list(
        dict.fromkeys(name for text in texts for name in mention_names(text, markdown=markdown))
    )


def mentioned_members(
    *,
    writer: Any,
    texts: Iterable[str],
    previous_texts: Iterable[str] = (),
    markdown: bool = False,
) -> list[Any]:
    """The members to tell that `writer` mentioned them in `texts` (Markdown when
    `markdown`): active, not the writer, no block either way, once each, in the order
    of the text, at most MAX_NOTIFIED. On an edit, `previous_texts` are the texts before
    it: only names they did not mention count."""
    before = set(_names(previous_texts, markdown))
    names = [name for name in _names(texts, markdown) if name not in before]
    names = [name for name in names if name != writer.username][:MAX_LINKED]
    if not names:
        return []
    members = (
        User.objects.filter(username__in=names, is_active=True)
        .exclude(pk=writer.pk)
        .exclude(follows.apart_from(writer))
    )
    by_name = {member.username: member for member in members}
    return [by_name[name] for name in names if name in by_name][:MAX_NOTIFIED]
