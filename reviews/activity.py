"""The activity feed: what the members one follows did, newest first.

**Fan-out on read.** Each action writes one `Activity` row (the actor, a verb, the
target), inside the write that does the action, whoever and however many follow the
actor: a member with ten thousand followers publishing a review writes one row. A
reader's feed is read on demand: the rows of the members they follow, newest first,
walking the (-created_at, -id) index until a page is full (the (actor, -created_at) one
serves a member's own rows and their erasure), one page at a time by a cursor (the last
row's time and id), never by an offset or a count.

**Shown is decided when read.** Whether a target may still be shown (hidden by a
moderator, deleted, a collection made private, a diary closed, a block since) is read
with the rows, in the same query, never copied onto them; so is the actor's own choice of
who sees their activity (FilmLifeSettings.activity_visibility, the rule of
selectors.may_see). A like taken back takes its row with it, and a deleted diary entry
its own (the foreign key cascades).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet

from .models import Activity, Block, Follow, QuoteCollection, Review
from .selectors import liked_review_ids, may_see_q

User = get_user_model()
Verb = Activity.Verb

# Writes (the services call these inside their own transactions) -------------------------


def record(
    *, actor: Any, verb: str, review: Any = None, collection: Any = None, diary_entry: Any = None
) -> None:
    """One row for one action (`actor` a member or their id). A second row for the same
    review, collection or like (a double submission) is ignored by the database's
    constraints."""
    Activity.objects.bulk_create(
        [
            Activity(
                actor_id=getattr(actor, "pk", actor),
                verb=verb,
                review=review,
                collection=collection,
                diary_entry=diary_entry,
            )
        ],
        ignore_conflicts=True,
    )


def review_published(review: Review) -> None:
    """A review that was only a rating (logged with a viewing, which said so already)
    enters the feed when it gets words."""
    if (review.title or review.body) and not Activity.objects.filter(
        verb=Verb.REVIEWED, review=review
    ).exists():
        record(actor=review.author_id, verb=Verb.REVIEWED, review=review)


def like_taken_back(*, actor: Any, item: Review | QuoteCollection) -> None:
    if isinstance(item, Review):
        Activity.objects.filter(actor=actor, verb=Verb.LIKED_REVIEW, review=item).delete()
    else:
        Activity.objects.filter(actor=actor, verb=Verb.LIKED_COLLECTION, collection=item).delete()


def member_erase(user: Any) -> None:
    """A deleted account's actions leave every feed."""
    Activity.objects.filter(actor=user).delete()


# Reads ----------------------------------------------------------------------------------


def _blocked_either_way(viewer: Any, member: str) -> Q:
    """A block between the viewer and the member at `member` (a path), either way. Both
    lists are read once for the query (not once a row)."""
    blocked = Block.objects.filter(blocker=viewer.pk).values("blocked_id")
    blockers = Block.objects.filter(blocked=viewer.pk).values("blocker_id")
    return Q(**{f"{member}__in": blocked}) | Q(**{f"{member}__in": blockers})


def _followed_who_show(viewer: Any, setting: str) -> QuerySet[Any]:
    """The ids of the members `viewer` follows whose `setting` lets the viewer see."""
    followed = Follow.objects.filter(follower=viewer.pk).values("followed_id")
    return (
        User.objects.filter(pk__in=followed, is_active=True)
        .filter(may_see_q(viewer, "", setting))
        .exclude(_blocked_either_way(viewer, "pk"))
        .values("pk")
    )


def shown_to(viewer: Any) -> Q:
    """The rows of followed members `viewer` may be shown: the actor lets them see their
    activity (and, for a viewing, their diary), and the target is one they may see on
    its own page. Every rule on the members is one small list of ids read once; the
    target's own state comes with the row."""
    review = Q(review__deleted_at__isnull=True, review__hidden_at__isnull=True) & ~(
        _blocked_either_way(viewer, "review__author")
    )
    collection = Q(
        collection__deleted_at__isnull=True,
        collection__hidden_at__isnull=True,
        collection__visibility=QuoteCollection.Visibility.PUBLIC,
    ) & ~_blocked_either_way(viewer, "collection__owner")
    entry = Q(diary_entry__hidden_at__isnull=True) & Q(
        actor__in=_followed_who_show(viewer, "diary_visibility")
    )
    target = (
        (Q(verb__in=[Verb.REVIEWED, Verb.LIKED_REVIEW]) & review)
        | (Q(verb__in=[Verb.COLLECTED, Verb.LIKED_COLLECTION]) & collection)
        | (Q(verb=Verb.LOGGED) & entry)
    )
    return Q(actor__in=_followed_who_show(viewer, "activity_visibility")) & target


def feed(viewer: Any) -> QuerySet[Activity]:
    """Everything `viewer` may be shown of what the members they follow did, newest
    first, each row with its actor, target and the target's people and film (one query
    a page, whatever the kinds)."""
    return (
        Activity.objects.filter(shown_to(viewer))
        .select_related(
            "actor__profile",
            "review__film",
            "review__author__profile",
            "collection__owner__profile",
            "diary_entry__film",
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Cursor:
    """Where a page of the feed starts: just older than this row (its time and id)."""

    created_at: datetime
    pk: int

    @property
    def token(self) -> str:
        stamp = int(self.created_at.timestamp() * 1_000_000)
        return f"{stamp}-{self.pk}"

    @classmethod
    def parse(cls, token: str) -> "Cursor":
        """A token as `token` writes it; ValueError for anything else."""
        stamp, _, pk = token.partition("-")
        digits = stamp.isascii() and pk.isascii() and stamp.isdigit() and pk.isdigit()
        if not digits or len(stamp) > 20 or len(pk) > 18:
            raise ValueError(token)
        when = datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC)
        return cls(when, int(pk))


@dataclass(frozen=True)
class FeedPage:
    items: list[Activity]
    next_cursor: Cursor | None
    liked_ids: set[int]
    is_first: bool


def feed_page(viewer: Any, *, before: Cursor | None, per_page: int) -> FeedPage:
    """One page of the feed: `per_page` rows older than `before` (the newest without),
    and where the next page starts. Two queries: the rows, then which of their reviews
    the viewer liked (for the like buttons)."""
    rows = feed(viewer)
    if before is not None:
        rows = rows.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, pk__lt=before.pk)
        )
    items = list(rows[: per_page + 1])
    more = len(items) > per_page
    items = items[:per_page]
    last = items[-1] if more else None
    return FeedPage(
        items=items,
        next_cursor=Cursor(last.created_at, last.pk) if last is not None else None,
        liked_ids=liked_review_ids(viewer, [item.review for item in items if item.review]),
        is_first=before is None,
    )


def follows_anyone(viewer: Any) -> bool:
    return Follow.objects.filter(follower=viewer.pk).exists()


def members_to_follow(viewer: Any, *, limit: int = 5) -> list[Any]:
    """Members worth following for someone who follows nobody yet: the authors of the
    latest reviews anyone may read (the newest 200, through their index, so the cost
    does not grow with the site), never the viewer, anyone they follow or anyone a block
    stands between."""
    followed = Follow.objects.filter(follower=viewer.pk).values("followed_id")
    recent = Review.objects.visible().order_by("-created_at", "-id").values("author_id")
    shown = Q(reviews__deleted_at__isnull=True, reviews__hidden_at__isnull=True)
    return list(
        User.objects.filter(pk__in=recent[:200], is_active=True)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followed)
        .exclude(_blocked_either_way(viewer, "pk"))
        .annotate(
            latest=Max("reviews__created_at", filter=shown),
            review_total=Count("reviews", filter=shown),
        )
        .select_related("profile")
        .order_by("-latest", "-pk")[:limit]
    )
