"""Reads for the community pages, each shaped to a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from films.models import Film, QuoteLine

from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    QuoteCollection,
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


def latest_reviews(*, limit: int = 5, film: Film | None = None) -> list[Review]:
    reviews = Review.objects.visible().with_people()
    if film is not None:
        reviews = reviews.filter(film=film)
    return list(reviews.order_by("-created_at", "-pk")[:limit])


def rating_stats(film: Film) -> FilmRatingStats:
    stats = FilmRatingStats.objects.filter(film=film).first()
    return stats or FilmRatingStats(film=film)


def own_review(user, film: Film) -> Review | None:
    if not user.is_authenticated:
        return None
    return Review.objects.for_film(film).filter(author=user).first()


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


def comments_for(review: Review) -> QuerySet:
    return (
        Comment.objects.filter(review=review, deleted_at__isnull=True)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


def public_collections(tab: str = "popular") -> QuerySet:
    order = COLLECTION_TABS.get(tab, COLLECTION_TABS["popular"])
    return QuoteCollection.objects.public().select_related("owner__profile").order_by(*order)


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
        .filter(owner=user)
        .only("pk", "title", "visibility", "owner_id")
        .order_by("title", "pk")
    )


def profile_user(username: str):
    """The member behind /u/<username>/; deleted and deactivated accounts are a 404."""
    return get_object_or_404(
        User.objects.select_related("profile"), username=username, is_active=True
    )


def reviews_by(user) -> QuerySet:
    return (
        Review.objects.visible()
        .filter(author=user)
        .select_related("film", "author__profile")
        .order_by("-created_at", "-pk")
    )


def collections_by(user, viewer) -> QuerySet:
    collections = QuoteCollection.objects.alive().filter(owner=user)
    if viewer != user:
        collections = collections.filter(visibility=QuoteCollection.Visibility.PUBLIC)
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
