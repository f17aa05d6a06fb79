"""Reads for the community pages, each shaped to a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from films.models import Film, QuoteLine

from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    ModerationAction,
    Profile,
    QuoteCollection,
    RemovalReason,
    Report,
    Review,
    ReviewLike,
)

User = get_user_model()

REVIEW_SORTS = {
    "newest": ("-created_at", "-pk"),
    "liked": ("-like_count", "-created_at", "-pk"),
    "highest": ("-rating", "-created_at", "-pk"),
    "lowest": ("rating", "-created_at", "-pk"),
}
REVIEW_SORT_LABELS = {
    "newest": "Newest",
    "liked": "Most liked",
    "highest": "Highest rated",
    "lowest": "Lowest rated",
}
COLLECTION_TABS = {"popular": ("-like_count", "-created_at", "-pk"), "newest": ("-created_at",)}


def quote_lines_queryset():
    return QuoteLine.objects.select_related("character")


def reviews_for_film(film: Film, *, sort: str = "newest", rating: int | None = None) -> QuerySet:
    reviews = Review.objects.for_film(film).select_related("author__profile")
    if rating:
        reviews = reviews.filter(rating=rating)
    return reviews.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["newest"]))


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are, instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def film_reviews_page(film: Film, *, sort: str, rating: int | None, number, per_page: int):
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


def own_review(user, film: Film) -> Review | None:
    """The member's review of the film, even while a moderator has it hidden."""
    if not user.is_authenticated:
        return None
    return Review.objects.alive().filter(film=film, author=user).first()


def liked_review_ids(user, reviews) -> set[int]:
    if not user.is_authenticated:
        return set()
    ids = [r.pk for r in reviews]
    return set(
        ReviewLike.objects.filter(user=user, review_id__in=ids).values_list("review_id", flat=True)
    )


def review_detail(pk: int) -> Review:
    return get_object_or_404(
        Review.objects.visible().select_related("author__profile", "film"), pk=pk
    )


def review_page(pk: int) -> Review:
    """A review for its own page: hidden ones too (the page decides who sees what)."""
    return get_object_or_404(
        Review.objects.alive().select_related("author__profile", "film"), pk=pk
    )


def comments_for(review: Review) -> QuerySet:
    """The thread: hidden comments stay in place (as a placeholder for most readers)."""
    return (
        Comment.objects.alive()
        .filter(review=review)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


def public_collections(tab: str = "popular") -> QuerySet:
    order = COLLECTION_TABS.get(tab, COLLECTION_TABS["popular"])
    return QuoteCollection.objects.public().select_related("owner__profile").order_by(*order)


def collection_page(pk: int, user) -> QuoteCollection:
    """A collection for its own page: hidden ones too, private ones only for the owner."""
    mine = Q(owner=user) if user.is_authenticated else Q(pk__in=[])
    return get_object_or_404(
        QuoteCollection.objects.alive()
        .filter(~Q(visibility=QuoteCollection.Visibility.PRIVATE) | mine)
        .select_related("owner__profile", "copied_from"),
        pk=pk,
    )


def collection_for_viewer(pk: int, user) -> QuoteCollection:
    """A collection the viewer may see; private ones are a 404 for everyone but the owner."""
    return get_object_or_404(
        QuoteCollection.objects.visible_to(user).select_related("owner__profile", "copied_from"),
        pk=pk,
    )


def collection_items(collection: QuoteCollection) -> list[CollectionItem]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .select_related("quote__film")
        .prefetch_related(Prefetch("quote__lines", queryset=quote_lines_queryset()))
        .order_by("position")
    )


def has_liked_collection(user, collection: QuoteCollection) -> bool:
    if not user.is_authenticated:
        return False
    return CollectionLike.objects.filter(user=user, collection=collection).exists()


def collections_of(user) -> list[QuoteCollection]:
    """The viewer's own collections, for the "add to collection" pickers."""
    if not user.is_authenticated:
        return []
    return list(
        QuoteCollection.objects.alive()
        .filter(owner=user, hidden_at__isnull=True)
        .only("pk", "title", "visibility", "owner_id")
        .order_by("title", "pk")
    )


def profile_user(username: str):
    """The member behind /u/<username>/; deleted and deactivated accounts are a 404."""
    return get_object_or_404(
        User.objects.select_related("profile"), username=username, is_active=True
    )


def reviews_by(user, *, include_hidden: bool = False) -> QuerySet:
    """A member's reviews; their own hidden ones too when they look at their profile."""
    reviews = Review.objects.alive() if include_hidden else Review.objects.visible()
    return (
        reviews.filter(author=user)
        .select_related("film", "author__profile")
        .order_by("-created_at", "-pk")
    )


def collections_by(user, viewer) -> QuerySet:
    collections = QuoteCollection.objects.alive().filter(owner=user)
    if viewer != user:
        collections = collections.filter(
            visibility=QuoteCollection.Visibility.PUBLIC, hidden_at__isnull=True
        )
    return collections.select_related("owner__profile").order_by("-created_at", "-pk")


def reviews_liked_by(user, limit: int = 10) -> list[Review]:
    return list(
        Review.objects.visible()
        .filter(likes__user=user)
        .select_related("film", "author__profile")
        .order_by("-likes__created_at")[:limit]
    )


def popular_collections(limit: int = 4) -> list[QuoteCollection]:
    return list(public_collections("popular").filter(item_count__gt=0)[:limit])


# Moderation -----------------------------------------------------------------------------

KIND_MODELS = {"review": Review, "comment": Comment, "collection": QuoteCollection,
               "profile": Profile}  # fmt: skip
KIND_RELATED = {
    "review": ["author__profile", "film"],
    "comment": ["author__profile", "review__film"],
    "collection": ["owner__profile"],
    "profile": ["user"],
}
QUEUE_HISTORY = 3
MEMBER_HISTORY = 10


def reportable(kind: str, pk: int, user):
    """An item this member may report: what they can see, and nothing hidden or deleted
    (a forged id of a private or hidden item is a 404 like any unknown one)."""
    if kind == "review":
        queryset = Review.objects.visible()
    elif kind == "comment":
        queryset = Comment.objects.visible().filter(
            review__deleted_at__isnull=True, review__hidden_at__isnull=True
        )
    elif kind == "collection":
        queryset = QuoteCollection.objects.visible_to(user).filter(hidden_at__isnull=True)
    elif kind == "profile":
        queryset = Profile.objects.filter(
            deleted_at__isnull=True, hidden_at__isnull=True, user__is_active=True
        )
    else:
        raise Http404("Nothing to report here.")
    return get_object_or_404(queryset.select_related(*KIND_RELATED[kind]), pk=pk)


def moderation_item(kind: str, pk: int):
    """Any item for a moderator, hidden or not."""
    model = KIND_MODELS.get(kind)
    if model is None:
        raise Http404("Unknown kind of item.")
    return get_object_or_404(model.objects.select_related(*KIND_RELATED[kind]), pk=pk)


def report_of(user, item) -> Report | None:
    if not user.is_authenticated:
        return None
    return Report.objects.for_item(item).filter(reporter=user).first()


def removal_reasons() -> list[RemovalReason]:
    return list(RemovalReason.objects.filter(is_active=True))


def queue_groups() -> QuerySet:
    """Open reports, one row per item: the most reported first, then the oldest."""
    return (
        Report.objects.open()
        .values("content_type", "object_id")
        .annotate(count=Count("id"), first=Min("created_at"), last=Max("created_at"))
        .order_by("-count", "first", "object_id")
    )


@dataclass
class History:
    reviews: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    report_count: int = 0
    upheld_count: int = 0


@dataclass
class QueueEntry:
    kind: str
    object_id: int
    item: object
    reports: list
    count: int
    history: History

    @property
    def author(self):
        return self.item.author if self.item is not None else None

    @property
    def anchor(self) -> str:
        return f"item-{self.kind}-{self.object_id}"


def _latest_per(queryset, partition: str, limit: int):
    ranked = queryset.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F(partition)],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    )
    return ranked.filter(rank__lte=limit).order_by("-created_at", "-pk")


def histories(author_ids, *, limit: int = QUEUE_HISTORY, exclude_open=()) -> dict[int, History]:
    """Each author's recent posts, earlier reports against them and the actions taken
    about them: five queries, however many authors."""
    author_ids = set(author_ids)
    result = {pk: History() for pk in author_ids}
    if not author_ids:
        return result
    reviews = _latest_per(
        Review.objects.alive().filter(author_id__in=author_ids).select_related("film"),
        "author_id",
        limit,
    )
    for review in reviews:
        result[review.author_id].reviews.append(review)
    comments = _latest_per(
        Comment.objects.alive().filter(author_id__in=author_ids).select_related("review__film"),
        "author_id",
        limit,
    )
    for comment in comments:
        result[comment.author_id].comments.append(comment)
    earlier = _latest_per(
        Report.objects.filter(subject_id__in=author_ids)
        .exclude(status=Report.Status.OPEN)
        .select_related("reporter__profile", "content_type"),
        "subject_id",
        limit,
    )
    for report in earlier:
        result[report.subject_id].reports.append(report)
    totals = (
        Report.objects.filter(subject_id__in=author_ids)
        .values("subject_id")
        .annotate(total=Count("id"), upheld=Count("id", filter=Q(status=Report.Status.UPHELD)))
    )
    for row in totals:
        result[row["subject_id"]].report_count = row["total"]
        result[row["subject_id"]].upheld_count = row["upheld"]
    actions = _latest_per(
        ModerationAction.objects.filter(subject_id__in=author_ids)
        .exclude(kind=ModerationAction.Kind.REPORT)
        .select_related("actor__profile"),
        "subject_id",
        limit,
    )
    for action in actions:
        result[action.subject_id].actions.append(action)
    return result


def queue_entries(groups) -> list[QueueEntry]:
    """The items of one queue page, their open reports and their authors' histories, in
    a fixed number of queries (one per kind of item on the page, plus six)."""
    groups = list(groups)
    if not groups:
        return []
    ids_by_type = defaultdict(list)
    for group in groups:
        ids_by_type[group["content_type"]].append(group["object_id"])
    objects = {}
    kinds = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()  # cached per process
        kind = next(k for k, m in KIND_MODELS.items() if m is model)
        kinds[type_id] = kind
        for obj in model.objects.filter(pk__in=ids).select_related(*KIND_RELATED[kind]):
            objects[(type_id, obj.pk)] = obj
    wanted = Q(pk__in=[])
    for group in groups:
        wanted |= Q(content_type_id=group["content_type"], object_id=group["object_id"])
    reports = defaultdict(list)
    for report in (
        Report.objects.open()
        .filter(wanted)
        .select_related("reporter__profile")
        .order_by("created_at", "pk")
    ):
        reports[(report.content_type_id, report.object_id)].append(report)
    author_ids = {obj.author.pk for obj in objects.values()}
    history = histories(author_ids)
    entries = []
    for group in groups:
        key = (group["content_type"], group["object_id"])
        item = objects.get(key)
        entries.append(
            QueueEntry(
                kind=kinds[group["content_type"]],
                object_id=group["object_id"],
                item=item,
                reports=reports[key],
                count=group["count"],
                history=history.get(item.author.pk) if item is not None else History(),
            )
        )
    return entries


def moderation_log() -> QuerySet:
    return ModerationAction.objects.select_related(
        "actor__profile", "subject__profile", "content_type"
    ).order_by("-created_at", "-pk")


def member_for_moderation(username: str):
    return get_object_or_404(User.objects.select_related("profile"), username=username)


def member_collections(user, limit: int = MEMBER_HISTORY) -> list[QuoteCollection]:
    return list(
        QuoteCollection.objects.alive().filter(owner=user).order_by("-created_at", "-pk")[:limit]
    )


def reports_made_by(user, limit: int = MEMBER_HISTORY) -> list[Report]:
    return list(
        Report.objects.filter(reporter=user)
        .select_related("subject__profile", "content_type")
        .order_by("-created_at", "-pk")[:limit]
    )
