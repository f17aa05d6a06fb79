"""The activity feed: what the members one follows did, newest first.

**Fan-out on read.** Each action writes one `Activity` row (the actor, a verb, the
target), inside the write that does the action, whoever and however many follow the
actor: a member with ten thousand followers publishing a review writes one row. A
reader's feed is read on demand: the ids of the members they follow first, then those
members' rows, newest first, one page at a time by a cursor (the last row's time and id),
never by an offset or a count. Given the ids as a literal list, the planner reads rows
through the (actor, -created_at) index when the members followed are few among many, and
walks the (-created_at, -id) one when they are most of the site.

**Shown is decided when read.** Whether a target may still be shown (hidden by a
moderator, deleted, a collection made private, a diary closed, a block since) is read
with each page, never copied onto the rows; so is the actor's own choice of
who sees their activity (FilmLifeSettings.activity_visibility, the rule of
selectors.may_see). A like taken back takes its row with it, and a deleted diary entry
its own (the foreign key cascades).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet

from . import follows
from .models import Activity, Follow, QuoteCollection, Review
from .selectors import liked_review_ids, may_see_as_follower

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


def followed_who_show(viewer: Any, apart: list[int]) -> tuple[list[int], list[int]]:
    """The ids of the members `viewer` follows who let them see their activity, and of
    those who let them see their diary (selectors.may_see, for a follower with no block
    between them), read in one query; `apart`
    are the members a block stands between the viewer and (follows.blocked_either_way).
    The feed
    holds them as literal lists: the planner then counts the rows those members wrote
    from its statistics and reads them through the (actor, -created_at) index. Given
    subqueries instead, it guessed a dozen follows and, on a freshly loaded million
    reviews, joined the whole activity table before filtering it (11 s)."""
    followed = Follow.objects.filter(follower=viewer.pk).values("followed_id")
    rows = (
        User.objects.filter(pk__in=followed, is_active=True)
        .exclude(pk__in=apart)
        .values_list(
            "pk",
            "film_life_settings__activity_visibility",
            "film_life_settings__diary_visibility",
        )
    )
    activity, diary = [], []
    for pk, activity_visibility, diary_visibility in rows:
        if may_see_as_follower(activity_visibility):
            activity.append(pk)
            if may_see_as_follower(diary_visibility):
                diary.append(pk)
    return activity, diary


def followed_rows(viewer: Any, apart: list[int]) -> QuerySet[Activity]:
    """The rows of followed members whose actor lets `viewer` see them (their activity,
    and for a viewing their diary), newest first: read from the activity table alone,
    through the (actor, -created_at) index."""
    activity_ids, diary_ids = followed_who_show(viewer, apart)
    return Activity.objects.filter(
        Q(actor__in=activity_ids) & (~Q(verb=Verb.LOGGED) | Q(actor__in=diary_ids))
    ).order_by("-created_at", "-id")


def target_shown(apart: list[int]) -> Q:
    """The rows whose target the viewer may see on its own page: not hidden, deleted or
    made private, and not by a member in `apart` (a block stands between them and the
    viewer). The blocks are given as a list, read once: as subqueries they took the
    planner longer than the query."""
    review = Q(review__deleted_at__isnull=True, review__hidden_at__isnull=True) & ~Q(
        review__author__in=apart
    )
    collection = Q(
        collection__deleted_at__isnull=True,
        collection__hidden_at__isnull=True,
        collection__visibility=QuoteCollection.Visibility.PUBLIC,
    ) & ~Q(collection__owner__in=apart)
    entry = Q(diary_entry__hidden_at__isnull=True)
    return (
        (Q(verb__in=[Verb.REVIEWED, Verb.LIKED_REVIEW]) & review)
        | (Q(verb__in=[Verb.COLLECTED, Verb.LIKED_COLLECTION]) & collection)
        | (Q(verb=Verb.LOGGED) & entry)
    )


def feed_rows() -> QuerySet[Activity]:
    """Rows with their actor, target and the target's people and film: one query a
    page, whatever the kinds."""
    return Activity.objects.select_related(
        "actor__profile",
        "review__film",
        "review__author__profile",
        "collection__owner__profile",
        "diary_entry__film",
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


# Rows read past a page's worth, for the few whose target is no longer shown: a page then
# still takes one read of candidates in the common case.
SLACK = 5


def _older(rows: QuerySet[Activity], cursor: Cursor) -> QuerySet[Activity]:
    return rows.filter(
        Q(created_at__lt=cursor.created_at) | Q(created_at=cursor.created_at, pk__lt=cursor.pk)
    )


def feed_page(viewer: Any, *, before: Cursor | None, per_page: int) -> FeedPage:
    """One page of the feed: `per_page` rows older than `before` (the newest without),
    and where the next page starts. Six queries in the common case: the members a block
    stands between the viewer and (usually none), the members followed, a page's worth
    of their rows (and a few more), which of those are still shown, the page's rows with
    everything they show, then which of their reviews the viewer liked (for the like
    buttons of the reviews they wrote).

    Each step is a statement the planner cannot get wrong. The candidates come from the
    activity table alone: joined with their targets in one statement, the planner
    guessed most rows would fail the targets' tests, so it read and joined every row of
    the members followed, in parallel workers (10 ms at a million where this takes 2).
    The page's rows are read apart from the test: twelve tables and the test's subqueries
    in one statement took 8 ms to plan. When too few candidates are still shown, more
    are read, twice as many each time."""
    apart = follows.blocked_either_way(viewer)
    candidates = followed_rows(viewer, apart)
    shown = Activity.objects.filter(target_shown(apart)).order_by("-created_at", "-id")
    wanted = per_page + 1
    window = wanted + SLACK
    ids: list[int] = []
    start = before
    while True:
        rows = candidates if start is None else _older(candidates, start)
        found = list(rows.values_list("created_at", "pk")[:window])
        if found:
            kept = shown.filter(pk__in=[pk for _, pk in found]).values_list("pk", flat=True)
            ids += kept[: wanted - len(ids)]
        if len(ids) >= wanted or len(found) < window:
            break
        start = Cursor(*found[-1])
        window *= 2
    more = len(ids) > per_page
    # A row gone in between (a like taken back) leaves the page a row short, no more.
    items = list(feed_rows().filter(pk__in=ids[:per_page]).order_by("-created_at", "-id"))
    last = items[-1] if more and items else None
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
        .exclude(pk__in=follows.blocked_either_way(viewer))
        .annotate(
            latest=Max("reviews__created_at", filter=shown),
            review_total=Count("reviews", filter=shown),
        )
        .select_related("profile")
        .order_by("-latest", "-pk")[:limit]
    )
