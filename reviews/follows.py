"""Follows and blocks between members: every write and read of them goes through here.

A member follows another (never themself, never twice); a member blocks another, which
removes any follow between the two, in either direction. While a block stands, the
blocked member cannot follow the blocker, comment on the blocker's reviews or like the
blocker's reviews and collections (reviews/services.py asks `blocked_between`), and
nothing tells them they are blocked: no notification, and their refused writes get
the same neutral message as any refusal. The blocker is kept from following, liking
and commenting on the blocked member too, until they unblock.

Other features ask `is_following(a, b)` and `is_blocked(owner, viewer)` (a diary shown
to followers only, say). Writes lock both members' rows, so a follow and a block that
race can never leave a follow behind a block; the database's constraints (one row per
pair, never oneself) catch a double submission, which counts as done.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from . import notifications
from .models import Block, Follow, Review
from .notification_kinds import Kind

User = get_user_model()


class Refused(PermissionDenied):
    """A follow or a block the rules refuse; its text is the message to show."""


def _pk(member: Any) -> int | None:
    """A member given as a user (signed in or not) or as a primary key."""
    if member is None or isinstance(member, int):
        return member
    if not getattr(member, "is_authenticated", False):
        return None
    pk: int = member.pk
    return pk


def _lock_pair(a: int, b: int) -> None:
    """Lock both members' rows, in one order, for the write's transaction."""
    list(User.objects.select_for_update().filter(pk__in=[a, b]).order_by("pk").values("pk"))


# Reads ----------------------------------------------------------------------------------


def is_following(a: Any, b: Any) -> bool:
    """Does member `a` follow member `b`? (False for a signed-out `a`.)"""
    follower, followed = _pk(a), _pk(b)
    if follower is None or followed is None or follower == followed:
        return False
    return Follow.objects.filter(follower_id=follower, followed_id=followed).exists()


def is_blocked(owner: Any, viewer: Any) -> bool:
    """Has `owner` blocked `viewer`? Then the viewer may not follow the owner, see what
    the owner shows only to followers, comment on or like the owner's posts."""
    blocker, blocked = _pk(owner), _pk(viewer)
    if blocker is None or blocked is None or blocker == blocked:
        return False
    return Block.objects.filter(blocker_id=blocker, blocked_id=blocked).exists()


def blocked_between(a: Any, b: Any) -> bool:
    """Has either of the two members blocked the other?"""
    first, second = _pk(a), _pk(b)
    if first is None or second is None or first == second:
        return False
    return Block.objects.between(first, second).exists()


def blocked_with_any(member: Any, others: Iterable[Any]) -> bool:
    """Has the member blocked, or been blocked by, any of `others`? One query."""
    me = _pk(member)
    ids = {pk for pk in map(_pk, others) if pk is not None and pk != me}
    if me is None or not ids:
        return False
    return Block.objects.filter(
        Q(blocker_id=me, blocked_id__in=ids) | Q(blocked_id=me, blocker_id__in=ids)
    ).exists()


def blocked_either_way(member: Any) -> list[int]:
    """The members a block stands between `member` and, either way (their ids, usually
    none), in one query: a read that tests many rows against them takes the list."""
    me = _pk(member)
    if me is None:
        return []
    rows = Block.objects.filter(Q(blocker_id=me) | Q(blocked_id=me))
    return sorted({b if a == me else a for a, b in rows.values_list("blocker_id", "blocked_id")})


def apart_from(member: Any) -> Q:
    """A filter on members: those with a block, either way, with `member`."""
    return Q(blocks_given__blocked=member) | Q(blocks_received__blocker=member)


def blockers_between(a: Any, b: Any) -> set[int]:
    """Which of the two members block the other (their ids), in one query."""
    first, second = _pk(a), _pk(b)
    if first is None or second is None or first == second:
        return set()
    return set(Block.objects.between(first, second).values_list("blocker_id", flat=True))


def followers_of(member: Any) -> QuerySet[Any]:
    """The members following `member`, most recent follow first, each with its profile
    and `followed_at`. Deleted and unconfirmed accounts are left out."""
    return (
        User.objects.filter(following_links__followed=member, is_active=True)
        .select_related("profile")
        .annotate(followed_at=F("following_links__created_at"))
        .order_by("-followed_at", "-pk")
    )


def following_of(member: Any) -> QuerySet[Any]:
    """The members `member` follows, most recent follow first (as `followers_of`)."""
    return (
        User.objects.filter(follower_links__follower=member, is_active=True)
        .select_related("profile")
        .annotate(followed_at=F("follower_links__created_at"))
        .order_by("-followed_at", "-pk")
    )


def counts(member: Any) -> dict[str, int]:
    """How many follow the member and how many they follow, in one query."""
    totals = Follow.objects.filter(
        Q(followed=member, follower__is_active=True) | Q(follower=member, followed__is_active=True)
    ).aggregate(
        followers=Count("pk", filter=Q(followed=member)),
        following=Count("pk", filter=Q(follower=member)),
    )
    return {"followers": totals["followers"] or 0, "following": totals["following"] or 0}


def blocked_by(member: Any) -> QuerySet[Any]:
    """The members `member` blocks, most recent first, with their profiles."""
    return (
        User.objects.filter(blocks_received__blocker=member)
        .select_related("profile")
        .annotate(blocked_at=F("blocks_received__created_at"))
        .order_by("-blocked_at", "-pk")
    )


# Writes ---------------------------------------------------------------------------------


def follow(*, follower: Any, followed: Any) -> bool:
    """`follower` follows `followed`; True if this added the follow, False if it was
    there already (a second submission, or one that lost a race)."""
    if follower.pk == followed.pk:
        raise Refused(gettext("You can't follow yourself."))
    with transaction.atomic():
        _lock_pair(follower.pk, followed.pk)
        if is_blocked(follower, followed):
            raise Refused(gettext("You have blocked this member: unblock them to follow them."))
        if is_blocked(followed, follower):
            raise Refused(gettext("You can't follow this member."))
        try:
            with transaction.atomic():
                Follow.objects.create(follower=follower, followed=followed)
        except IntegrityError:
            return False
        notifications.notify(recipient=followed, actor=follower, kind=Kind.FOLLOW)
    return True


def unfollow(*, follower: Any, followed: Any) -> bool:
    """True if a follow was removed."""
    deleted, _ = Follow.objects.filter(follower=follower, followed=followed).delete()
    return bool(deleted)


def block(*, blocker: Any, blocked: Any) -> bool:
    """`blocker` blocks `blocked` and any follow between them goes; True if this added
    the block. Nothing is sent to the blocked member."""
    if blocker.pk == blocked.pk:
        raise Refused(gettext("You can't block yourself."))
    with transaction.atomic():
        _lock_pair(blocker.pk, blocked.pk)
        try:
            with transaction.atomic():
                Block.objects.create(blocker=blocker, blocked=blocked)
            created = True
        except IntegrityError:
            created = False
        Follow.objects.filter(
            Q(follower=blocker, followed=blocked) | Q(follower=blocked, followed=blocker)
        ).delete()
    return created


def unblock(*, blocker: Any, blocked: Any) -> bool:
    """True if a block was removed. Follows it removed stay removed."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


# A member's part of the account export and deletion ------------------------------------


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def member_export(user: Any) -> dict[str, Any]:
    """Whom the member follows and blocks, and who follows them."""

    def listed(rows: QuerySet[Any], at: str) -> list[dict[str, Any]]:
        return [{"username": row.username, "since": _when(getattr(row, at))} for row in rows]

    return {
        "following": listed(following_of(user), "followed_at"),
        "followers": listed(followers_of(user), "followed_at"),
        "blocking": listed(blocked_by(user), "blocked_at"),
    }


def member_erase(user: Any) -> None:
    """A deleted account follows, is followed by and blocks no one any more."""
    Follow.objects.filter(Q(follower=user) | Q(followed=user)).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()


# What a member kept apart by a block is told: the same as any refusal ------------------


def cannot_like(item: Any) -> str:
    if isinstance(item, Review):
        return gettext("You can't like this review.")
    return gettext("You can't like this collection.")


def cannot_comment() -> str:
    return gettext("You can't comment on this review.")


def cannot_reply() -> str:
    return gettext("You can't reply to this comment.")
