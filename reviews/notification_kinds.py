"""The one registry of notification kinds: the model's choices, the settings' switches,
the page's and the digest's sentences all come from here.

A kind that `groups` folds a burst of the same event on the same target into one
unread notification ("fan-a and 49 others liked your review"); the others (moderators'
decisions) are one notification each, with the reason. Kinds that share a `switch`
are turned off together in the member's settings.

Sentences take `actor` (the latest member), `others` (how many more), and `item` (what
it is about, spoiler-safe: a film's title, a collection's title, never a post's text).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Kind(models.TextChoices):
    LIKE_REVIEW = "like_review", _("Like of your review")
    LIKE_COLLECTION = "like_collection", _("Like of your collection")
    COMMENT = "comment", _("Comment on your review")
    FOLLOW = "follow", _("New follower")
    COPY = "copy", _("Copy of your collection")
    # Sent by features wired in later through notifications.notify().
    REPLY = "reply", _("Reply to your comment")
    MENTION = "mention", _("Mention of you")
    HIDDEN = "hidden", _("Your post hidden by a moderator")
    RESTORED = "restored", _("Your post restored by a moderator")
    SPOILER = "spoiler", _("Your post marked as a spoiler")
    SILENCED = "silenced", _("Your account silenced")
    SUSPENDED = "suspended", _("Your account suspended")


class Switch(models.TextChoices):
    """What a member turns on and off in their settings (all on by default)."""

    LIKES = "likes", _("Likes of your reviews and collections")
    COMMENTS = "comments", _("Comments on your reviews")
    FOLLOWS = "follows", _("New followers")
    COPIES = "copies", _("Copies of your collections")
    REPLIES = "replies", _("Replies to your comments")
    MENTIONS = "mentions", _("Mentions of you")
    MODERATION = "moderation", _("Moderators' decisions about your posts and your account")


@dataclass(frozen=True)
class KindRule:
    switch: Switch
    groups: bool
    # Lazy, read in the reader's language; formatted with actor, others and item.
    one: Promise
    many: Promise | None = None  # several actors: pluralised on `others`


RULES: dict[str, KindRule] = {
    Kind.LIKE_REVIEW: KindRule(
        Switch.LIKES,
        True,
        _("%(actor)s liked your review of %(item)s"),
        ngettext_lazy(
            "%(actor)s and %(others)d other liked your review of %(item)s",
            "%(actor)s and %(others)d others liked your review of %(item)s",
            "others",
        ),
    ),
    Kind.LIKE_COLLECTION: KindRule(
        Switch.LIKES,
        True,
        _("%(actor)s liked your collection %(item)s"),
        ngettext_lazy(
            "%(actor)s and %(others)d other liked your collection %(item)s",
            "%(actor)s and %(others)d others liked your collection %(item)s",
            "others",
        ),
    ),
    Kind.COMMENT: KindRule(
        Switch.COMMENTS,
        True,
        _("%(actor)s commented on your review of %(item)s"),
        ngettext_lazy(
            "%(actor)s and %(others)d other commented on your review of %(item)s",
            "%(actor)s and %(others)d others commented on your review of %(item)s",
            "others",
        ),
    ),
    Kind.FOLLOW: KindRule(
        Switch.FOLLOWS,
        True,
        _("%(actor)s followed you"),
        ngettext_lazy(
            "%(actor)s and %(others)d other followed you",
            "%(actor)s and %(others)d others followed you",
            "others",
        ),
    ),
    Kind.COPY: KindRule(
        Switch.COPIES,
        True,
        _("%(actor)s copied your collection %(item)s"),
        ngettext_lazy(
            "%(actor)s and %(others)d other copied your collection %(item)s",
            "%(actor)s and %(others)d others copied your collection %(item)s",
            "others",
        ),
    ),
    Kind.REPLY: KindRule(
        Switch.REPLIES,
        True,
        _("%(actor)s replied to your comment on %(item)s"),
        ngettext_lazy(
            "%(actor)s and %(others)d other replied to your comment on %(item)s",
            "%(actor)s and %(others)d others replied to your comment on %(item)s",
            "others",
        ),
    ),
    Kind.MENTION: KindRule(Switch.MENTIONS, False, _("%(actor)s mentioned you in %(item)s")),
    Kind.HIDDEN: KindRule(Switch.MODERATION, False, _("A moderator hid %(item)s")),
    Kind.RESTORED: KindRule(Switch.MODERATION, False, _("A moderator restored %(item)s")),
    Kind.SPOILER: KindRule(
        Switch.MODERATION, False, _("A moderator marked %(item)s as containing spoilers")
    ),
    Kind.SILENCED: KindRule(
        Switch.MODERATION, False, _("A moderator silenced your account until %(item)s")
    ),
    Kind.SUSPENDED: KindRule(
        Switch.MODERATION, False, _("A moderator suspended your account until %(item)s")
    ),
}

MODERATION_KINDS = frozenset(
    kind for kind, rule in RULES.items() if rule.switch == Switch.MODERATION
)


def rule(kind: str) -> KindRule:
    return RULES[kind]


def kinds_of(switch: str) -> list[str]:
    return [str(kind) for kind, rule in RULES.items() if rule.switch == switch]


def sentence(kind: str, *, actor: str, count: int, item: str) -> str:
    """The notification's sentence in the active language."""
    found = RULES[kind]
    values = {"actor": actor, "others": count - 1, "item": item}
    if count > 1 and found.many is not None:
        return str(found.many % values)
    return str(found.one) % values


def label(kind: str) -> str | Promise:
    return Kind(kind).label
