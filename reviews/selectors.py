"""Reads for the community pages, each shaped to a fixed number of queries.

Selectors return querysets, rows or None; a view turns a missing row into its 404.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from films.models import Correction, Film, Quote
from films.selectors import quote_lines_prefetch
from leonsite.lib import caching

from . import follows, mentions
from .markup import mention_names
from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    DiaryEntry,
    FilmLifeSettings,
    FilmLifeVisibility,
    FilmRatingStats,
    QuoteCollection,
    Review,
    ReviewLike,
    WatchlistItem,
)
from .stars import stars

REVIEW_SORTS = {
    "newest": ("-created_at", "-pk"),
    "liked": ("-like_count", "-created_at", "-pk"),
    "highest": ("-rating", "-created_at", "-pk"),
    "lowest": ("rating", "-created_at", "-pk"),
}
REVIEW_SORT_LABELS = {
    "newest": pgettext_lazy("reviews order", "Newest"),
    "liked": _("Most liked"),
    "highest": _("Highest rated"),
    "lowest": _("Lowest rated"),
}
COLLECTION_TABS = {"popular": ("-like_count", "-created_at", "-pk"), "newest": ("-created_at",)}


# Reviews --------------------------------------------------------------------------------


def reviews_for_film(
    film: Film, *, sort: str = "newest", rating: int | None = None
) -> QuerySet[Review]:
    reviews = Review.objects.for_film(film).select_related("author__profile")
    if rating:
        reviews = reviews.filter(rating=rating)
    return reviews.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["newest"]))


class KnownCountPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told how many rows there are, instead of counting them."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def film_reviews_page(
    film: Film, *, sort: str, rating: int | None, number: Any, per_page: int
) -> Page:  # type: ignore[type-arg]
    """One page of a film's visible reviews. The film's rating statistics already count
    them, per rating too, so no COUNT runs over the tens of thousands of rows."""
    stats = rating_stats(film)
    count = stats.buckets[rating - 1] if rating else stats.count
    paginator = KnownCountPaginator(
        reviews_for_film(film, sort=sort, rating=rating), per_page, count=count
    )
    return paginator.get_page(number)


def latest_reviews(*, limit: int = 5, film: Film | None = None) -> list[Review]:
    reviews = Review.objects.visible().with_people()
    if film is not None:
        reviews = reviews.filter(film=film)
    return list(reviews.order_by("-created_at", "-pk")[:limit])


def rating_stats(film: Film) -> FilmRatingStats:
    stats = FilmRatingStats.objects.filter(film=film).first()
    return stats or FilmRatingStats(film=film)


def own_review(user: Any, film: Film) -> Review | None:
    """The member's review of the film, even while a moderator has it hidden."""
    if not user.is_authenticated:
        return None
    return Review.objects.alive().filter(film=film, author=user).first()


def liked_review_ids(user: Any, reviews: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    ids = [r.pk for r in reviews]
    return set(
        ReviewLike.objects.filter(user=user, review_id__in=ids).values_list("review_id", flat=True)
    )


def visible_reviews() -> QuerySet[Review]:
    """Reviews anyone may open, comment on or like."""
    return Review.objects.visible().select_related("author__profile", "film")


def reviews_for_page() -> QuerySet[Review]:
    """Reviews with a page: hidden ones too (the page decides who sees what)."""
    return Review.objects.alive().select_related("author__profile", "film")


def own_reviews(user: Any, *, allow_hidden: bool = False) -> QuerySet[Review]:
    reviews = Review.objects.alive() if allow_hidden else Review.objects.visible()
    return reviews.select_related("film").filter(author=user)


def comments_for(review: Review) -> QuerySet[Comment]:
    """The thread: hidden comments stay in place (as a placeholder for most readers), and
    so does a deleted comment that still has live replies."""
    live_reply = Comment.objects.filter(parent=OuterRef("pk"), deleted_at__isnull=True)
    return (
        Comment.objects.filter(review=review)
        .filter(Q(deleted_at__isnull=True) | Exists(live_reply))
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


def threads(comments: Iterable[Comment]) -> list[Comment]:
    """Top-level comments in order, each with its replies in `thread_replies`."""
    tops: dict[int, Comment] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = []  # type: ignore[attr-defined]
            tops[comment.pk] = comment
        else:
            replies.append(comment)
    for reply in replies:
        top = tops.get(reply.parent_id or 0)
        if top is not None:
            top.thread_replies.append(reply)  # type: ignore[attr-defined]
    return list(tops.values())


def reply_target(pk: int) -> Comment | None:
    """The comment a member asks to answer, on whichever review (the service checks)."""
    return Comment.objects.select_related("author__profile", "parent").filter(pk=pk).first()


def comment_profiles(comments: Iterable[Comment]) -> dict[str, str]:
    """The profile links of every member the comments mention: one query for a page."""
    return mentions.profile_links(
        name
        for comment in comments
        if not comment.is_deleted
        for name in mention_names(comment.body)
    )


def own_comments(user: Any, review_pk: int, *, allow_hidden: bool = False) -> QuerySet[Comment]:
    comments = Comment.objects.alive() if allow_hidden else Comment.objects.visible()
    return comments.select_related("review").filter(
        review_id=review_pk, review__deleted_at__isnull=True, author=user
    )


def reviews_by(user: Any, *, include_hidden: bool = False) -> QuerySet[Review]:
    """A member's reviews; their own hidden ones too when they look at their profile."""
    reviews = Review.objects.alive() if include_hidden else Review.objects.visible()
    return (
        reviews.filter(author=user)
        .select_related("film", "author__profile")
        .order_by("-created_at", "-pk")
    )


def reviews_liked_by(user: Any, limit: int = 10) -> list[Review]:
    return list(
        Review.objects.visible()
        .filter(likes__user=user)
        .select_related("film", "author__profile")
        .order_by("-likes__created_at")[:limit]
    )


# Quote collections ----------------------------------------------------------------------


def public_collections(tab: str = "popular") -> QuerySet[QuoteCollection]:
    order = COLLECTION_TABS.get(tab, COLLECTION_TABS["popular"])
    return QuoteCollection.objects.public().select_related("owner__profile").order_by(*order)


def public_collections_page(*, tab: str, number: Any, per_page: int) -> Page:  # type: ignore[type-arg]
    """One page of the public collections. Their number is the same for every reader
    until the community changes: counted once per version (a COUNT over fifty thousand
    rows took 6 ms of each signed-in request), not once a page."""
    key = f"public-collections-count:{caching.version('community')}"
    count = cache.get(key)
    if count is None:
        count = QuoteCollection.objects.public().count()
        cache.set(key, count, 600)
    paginator = KnownCountPaginator(public_collections(tab), per_page, count=count)
    return paginator.get_page(number)


def popular_collections(limit: int = 4) -> list[QuoteCollection]:
    return list(public_collections("popular").filter(item_count__gt=0)[:limit])


def collections_for_page(user: Any) -> QuerySet[QuoteCollection]:
    """Collections with a page for this viewer: hidden ones too, private ones only for
    their owner."""
    mine = Q(owner=user) if user.is_authenticated else Q(pk__in=[])
    return (
        QuoteCollection.objects.alive()
        .filter(~Q(visibility=QuoteCollection.Visibility.PRIVATE) | mine)
        .select_related("owner__profile", "copied_from")
    )


def collections_visible_to(user: Any) -> QuerySet[QuoteCollection]:
    """Collections the viewer may like or copy; private ones only for their owner."""
    return QuoteCollection.objects.visible_to(user).select_related("owner__profile", "copied_from")


def own_collections(user: Any, *, allow_hidden: bool = False) -> QuerySet[QuoteCollection]:
    collections = QuoteCollection.objects.alive().filter(owner=user)
    return collections if allow_hidden else collections.filter(hidden_at__isnull=True)


def shown_original(collection: QuoteCollection, viewer: Any) -> QuoteCollection | None:
    """The collection this one was copied from, when the viewer may be shown it: a
    public one nobody has hidden or deleted, or their own. An unlisted original is
    shared only by its link; a copy must not hand that link around. No query."""
    original = collection.copied_from
    if original is None or original.deleted_at is not None:
        return None
    if viewer.is_authenticated and original.owner_id == viewer.pk:
        return original
    if original.is_public and not original.is_hidden:
        return original
    return None


def collection_items(collection: QuoteCollection) -> list[CollectionItem]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .select_related("quote__film", "quote__scene")
        .prefetch_related(quote_lines_prefetch("quote__lines"))
        .order_by("position")
    )


def has_liked_collection(user: Any, collection: QuoteCollection) -> bool:
    if not user.is_authenticated:
        return False
    return CollectionLike.objects.filter(user=user, collection=collection).exists()


def collections_of(user: Any) -> list[QuoteCollection]:
    """The viewer's own collections, for the "add to collection" pickers."""
    if not user.is_authenticated:
        return []
    return list(
        own_collections(user).only("pk", "title", "visibility", "owner_id").order_by("title", "pk")
    )


def collections_by(user: Any, viewer: Any) -> QuerySet[QuoteCollection]:
    collections = QuoteCollection.objects.alive().filter(owner=user)
    if viewer != user:
        collections = collections.filter(
            visibility=QuoteCollection.Visibility.PUBLIC, hidden_at__isnull=True
        )
    return collections.select_related("owner__profile").order_by("-created_at", "-pk")


# Share cards: the same for every viewer, so read as a visitor would ----------------------


def review_for_card(pk: int) -> Review:
    """A review anyone may open: neither hidden nor deleted."""
    return visible_reviews().get(pk=pk)


def collection_for_card(pk: int) -> QuoteCollection:
    """A collection anyone holding its link may open: public or unlisted, neither hidden
    nor deleted. Never a private one, not even for its owner: the card is cached publicly."""
    return collections_visible_to(AnonymousUser()).get(pk=pk)


def is_shareable(collection: QuoteCollection) -> bool:
    """Whether `collection_for_card` finds this collection (for a page that has it loaded):
    a private or hidden collection offers no card and no share button. No query."""
    return (
        collection.deleted_at is None
        and not collection.is_hidden
        and collection.visibility != QuoteCollection.Visibility.PRIVATE
    )


def first_collection_item(collection: QuoteCollection) -> CollectionItem | None:
    return (
        CollectionItem.objects.filter(collection=collection)
        .select_related("quote__film")
        .prefetch_related(quote_lines_prefetch("quote__lines"))
        .order_by("position")
        .first()
    )


def quote_with_lines(pk: int) -> Quote | None:
    return (
        Quote.objects.select_related("film")
        .prefetch_related(quote_lines_prefetch())
        .filter(pk=pk)
        .first()
    )


# What members may report (the moderation registry asks) ---------------------------------


def reportable_reviews(user: Any) -> QuerySet[Review]:
    return Review.objects.visible()


def reportable_comments(user: Any) -> QuerySet[Comment]:
    return Comment.objects.visible().filter(
        review__deleted_at__isnull=True, review__hidden_at__isnull=True
    )


def reportable_collections(user: Any) -> QuerySet[QuoteCollection]:
    return QuoteCollection.objects.visible_to(user).filter(hidden_at__isnull=True)


# A member's part of their data export ---------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _review_data(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "film": review.film.title,
        "film_slug": review.film.slug,
        "rating_half_stars": review.rating,
        "stars": review.stars,
        "title": review.title,
        "body_markdown": review.body,
        "contains_spoilers": review.is_spoiler,
        "created_at": _when(review.created_at),
        "updated_at": _when(review.updated_at),
        "deleted_at": _when(review.deleted_at),
    }


def _collection_data(collection: QuoteCollection) -> dict[str, Any]:
    return {
        "id": collection.pk,
        "title": collection.title,
        "description": collection.description,
        "visibility": collection.visibility,
        "created_at": _when(collection.created_at),
        "deleted_at": _when(collection.deleted_at),
        "items": [
            {"quote_id": item.quote_id, "position": item.position, "note": item.note}
            for item in collection.items.all()
        ],
    }


def member_export(user: Any) -> dict[str, Any]:
    """Everything the member wrote or chose in the community, as plain data."""
    reviews = Review.objects.filter(author=user).select_related("film").order_by("created_at")
    comments = Comment.objects.filter(author=user).order_by("created_at")
    collections = (
        QuoteCollection.objects.filter(owner=user)
        .prefetch_related(Prefetch("items", CollectionItem.objects.order_by("position")))
        .order_by("created_at")
    )
    return {
        "reviews": [_review_data(review) for review in reviews],
        "comments": [
            {
                "id": c.pk,
                "review_id": c.review_id,
                "in_reply_to": c.parent_id,
                "body": c.body,
                "created_at": _when(c.created_at),
                "deleted_at": _when(c.deleted_at),
            }
            for c in comments
        ],
        "collections": [_collection_data(collection) for collection in collections],
        "liked_reviews": list(
            ReviewLike.objects.filter(user=user).values_list("review_id", flat=True)
        ),
        "liked_collections": list(
            CollectionLike.objects.filter(user=user).values_list("collection_id", flat=True)
        ),
        "corrections": [
            {
                "id": c.pk,
                "kind": c.kind,
                "object_id": c.object_id,
                "field": c.field,
                "value_then": c.current_value,
                "proposed_value": c.proposed_value,
                "source_url": c.source_url,
                "status": c.status,
                "reason": c.reason,
                "created_at": _when(c.created_at),
                "decided_at": _when(c.decided_at),
            }
            for c in Correction.objects.filter(member=user).order_by("created_at")
        ],
    }


# A member's film life: diary, watchlist, and the film header's personal part ------------


def film_life_settings(user: Any) -> FilmLifeSettings:
    """The member's visibility choices; an unsaved default (both public) if never set."""
    found = FilmLifeSettings.objects.filter(user=user).first()
    return found if found is not None else FilmLifeSettings(user=user)


def may_see(viewer: Any, owner: Any, visibility: str) -> bool:
    """Private is for the owner; public for everyone, followers for the owner's
    followers, but never for a member the owner blocks. Moderators get no more than
    members: a private diary stays private. `may_see_as_follower` is its answer for
    a follower with no block between them (the activity feed's readers)."""
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in and viewer.pk == owner.pk:
        return True
    if visibility == FilmLifeVisibility.PRIVATE:
        return False
    if signed_in and follows.is_blocked(owner, viewer):
        return False
    if visibility == FilmLifeVisibility.PUBLIC:
        return True
    return signed_in and follows.is_following(viewer, owner)


def may_see_as_follower(visibility: str | None) -> bool:
    """`may_see` for a viewer who follows the owner, with no block between them, from
    the owner's setting (None: no settings, which shows everything publicly)."""
    return visibility != FilmLifeVisibility.PRIVATE


def diary_of(owner: Any, *, include_hidden: bool) -> QuerySet[DiaryEntry]:
    entries = DiaryEntry.objects.filter(user=owner)
    if not include_hidden:
        entries = entries.visible()
    return entries.select_related("film", "review").order_by("-watched_on", "-pk")


def watchlist_of(owner: Any) -> QuerySet[WatchlistItem]:
    return (
        WatchlistItem.objects.filter(user=owner).select_related("film").order_by("-added_at", "-pk")
    )


def own_diary_entries(user: Any) -> QuerySet[DiaryEntry]:
    return DiaryEntry.objects.filter(user=user).select_related("film", "review")


@dataclass(frozen=True)
class FilmLife:
    """What the film header shows a member about themselves and the film, read in one
    query: their rating (their review's), their viewings and their watchlist."""

    review_id: int | None
    rating: int | None
    review_has_text: bool
    review_hidden: bool
    times: int
    last_watched: date | None
    on_watchlist: bool

    @property
    def star_choices(self) -> list[tuple[int, str, bool]]:
        return [(n, stars(n), n == self.rating) for n in range(1, 11)]

    @property
    def today(self) -> date:
        return timezone.localdate()

    @property
    def latest_day(self) -> date:
        return latest_possible_day()


# The latest date it is anywhere on Earth (UTC+14): "today" for a member in Kiribati is
# never "the future", whatever the server's time zone.
_EARTH_AHEAD = timedelta(hours=14)


def latest_possible_day() -> date:
    return (timezone.now() + _EARTH_AHEAD).date()


def film_life(user: Any, film: Film) -> FilmLife:
    reviews = Review.objects.alive().filter(author=user, film=OuterRef("pk"))
    entries = DiaryEntry.objects.filter(user=user, film=OuterRef("pk"))
    row = (
        Film.objects.filter(pk=film.pk)
        .annotate(
            review_id=Subquery(reviews.values("pk")[:1]),
            review_rating=Subquery(reviews.values("rating")[:1]),
            review_hidden=Exists(reviews.filter(hidden_at__isnull=False)),
            review_has_text=Exists(reviews.exclude(title="", body="")),
            times=Subquery(
                entries.order_by().values("film").annotate(n=Count("pk")).values("n")[:1]
            ),
            last_watched=Subquery(entries.order_by("-watched_on").values("watched_on")[:1]),
            on_watchlist=Exists(WatchlistItem.objects.filter(user=user, film=OuterRef("pk"))),
        )
        .values(
            "review_id",
            "review_rating",
            "review_hidden",
            "review_has_text",
            "times",
            "last_watched",
            "on_watchlist",
        )
        .get()
    )
    return FilmLife(
        review_id=row["review_id"],
        rating=row["review_rating"],
        review_has_text=bool(row["review_has_text"]),
        review_hidden=bool(row["review_hidden"]),
        times=row["times"] or 0,
        last_watched=row["last_watched"],
        on_watchlist=bool(row["on_watchlist"]),
    )


def public_diary_entries() -> QuerySet[DiaryEntry]:
    """Entries in public diaries: all moderators may read. A private or followers-only
    diary stays closed to them as to any member."""
    closed = FilmLifeSettings.objects.exclude(diary_visibility=FilmLifeVisibility.PUBLIC)
    return DiaryEntry.objects.exclude(user_id__in=closed.values("user_id"))


def reportable_diary_entries(user: Any) -> QuerySet[DiaryEntry]:
    """Entries a member may report: with words in them (a note or tags), in a public
    diary, not hidden, not their own."""
    return (
        public_diary_entries()
        .filter(hidden_at__isnull=True)
        .exclude(note="", tags="")
        .exclude(user=user)
    )


def film_life_export(user: Any) -> dict[str, Any]:
    """The member's diary, ratings, watchlist and their visibility, for the data export."""
    chosen = film_life_settings(user)
    return {
        "diary": [
            {
                "id": e.pk,
                "film": e.film.slug,
                "watched_on": e.watched_on.isoformat(),
                "rewatch": e.rewatch,
                "rating": e.rating,
                "liked": e.liked,
                "tags": e.tag_list,
                "note": e.note,
                "review_id": e.review_id,
                "created_at": _when(e.created_at),
            }
            for e in DiaryEntry.objects.filter(user=user)
            .select_related("film")
            .order_by("watched_on", "pk")
        ],
        "watchlist": [
            {"film": w.film.slug, "added_at": _when(w.added_at)}
            for w in WatchlistItem.objects.filter(user=user)
            .select_related("film")
            .order_by("added_at", "pk")
        ],
        # The rating of each film is its review's (reviews/diary.py), listed here too so
        # that a member finds their ratings without reading every review.
        "ratings": [
            {"film": r.film.slug, "stars": r.stars, "rated_at": _when(r.created_at)}
            for r in Review.objects.alive()
            .filter(author=user)
            .select_related("film")
            .order_by("created_at", "pk")
        ],
        "film_life_visibility": {
            "diary": chosen.diary_visibility,
            "watchlist": chosen.watchlist_visibility,
            "activity": chosen.activity_visibility,
        },
    }
