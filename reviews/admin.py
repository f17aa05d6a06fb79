"""The community in the admin, for superusers who must correct a post.

Every save goes through reviews/services.py, as the site's own forms do, so rating
statistics, counters, the search index and the cache stay right whoever edits: a
review's film and author, a comment's review and a collection's items are read-only
here. Nothing is deleted: authors delete their own posts and moderators hide them in
the queue, where the decision is logged. Likes are members' own acts: read-only too.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from leonsite.lib.forms import screened_form

from . import services
from .models import (
    Block,
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    Follow,
    QuoteCollection,
    Review,
    ReviewLike,
)

HIDDEN_READONLY = ["hidden_at", "hidden_cause", "hidden_reason", "hidden_by"]


class CommunityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Posts are written by members: the admin corrects them, never adds or deletes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(CommunityAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(CommunityAdmin):
    form = screened_form("title", "body")
    list_display = ["__str__", "film", "author", "rating", "like_count", "created_at", "deleted_at"]
    list_filter = [
        "rating",
        "is_spoiler",
        ("deleted_at", admin.EmptyFieldListFilter),
        ("hidden_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "body", "author__username", "film__title"]
    list_select_related = ["film", "author"]
    readonly_fields = [
        "film",
        "author",
        "like_count",
        "comment_count",
        "created_at",
        "updated_at",
        "deleted_at",
        *HIDDEN_READONLY,
    ]
    fields = ["rating", "title", "body", "is_spoiler", *readonly_fields]
    date_hierarchy = "created_at"

    def save_model(self, request: HttpRequest, obj: Review, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        services.review_update(
            review=obj,
            rating=obj.rating,
            title=obj.title,
            body=obj.body,
            is_spoiler=obj.is_spoiler,
        )


@admin.register(FilmRatingStats)
class FilmRatingStatsAdmin(ReadOnlyAdmin):
    list_display = ["film", "count", "total"]
    list_select_related = ["film"]
    actions = ["recompute"]

    @admin.action(
        description=gettext_lazy("Recompute from the visible reviews"), permissions=["recompute"]
    )
    def recompute(self, request: HttpRequest, queryset: QuerySet[FilmRatingStats]) -> None:
        films = [stats.film for stats in queryset.select_related("film")]
        for film in films:
            services.stats_recompute(film=film)
        messages.success(
            request,
            ngettext(
                "Recomputed the statistics of %(count)s film.",
                "Recomputed the statistics of %(count)s films.",
                len(films),
            )
            % {"count": len(films)},
        )

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Comment)
class CommentAdmin(CommunityAdmin):
    form = screened_form("body")
    list_display = ["__str__", "author", "created_at", "deleted_at", "hidden_at"]
    search_fields = ["body", "author__username"]
    list_select_related = ["author"]
    fields = ["review", "parent", "author", "body", "created_at", "deleted_at", *HIDDEN_READONLY]
    readonly_fields = ["review", "parent", "author", "created_at", "deleted_at", *HIDDEN_READONLY]

    def save_model(self, request: HttpRequest, obj: Comment, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        services.comment_update(comment=obj, body=obj.body)


class CollectionItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CollectionItem
    fields = ["position", "quote", "note"]
    readonly_fields = ["position", "quote", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QuoteCollection)
class QuoteCollectionAdmin(CommunityAdmin):
    form = screened_form("title", "description")
    list_display = ["title", "owner", "visibility", "item_count", "like_count", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "description", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "copied_from", "item_count", "like_count", *HIDDEN_READONLY]
    fields = ["title", "description", "visibility", *readonly_fields]
    inlines = [CollectionItemInline]

    def save_model(
        self,
        request: HttpRequest,
        obj: QuoteCollection,
        form: ModelForm,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        services.collection_update(
            collection=obj,
            title=obj.title,
            description=obj.description,
            visibility=obj.visibility,
        )


@admin.register(ReviewLike)
class ReviewLikeAdmin(ReadOnlyAdmin):
    list_display = ["user", "review", "created_at"]
    list_select_related = ["user", "review"]


@admin.register(CollectionLike)
class CollectionLikeAdmin(ReadOnlyAdmin):
    list_display = ["user", "collection", "created_at"]
    list_select_related = ["user", "collection"]


# Follows and blocks are members' own acts, made and undone on the site: read-only lists,
# searchable by either member's username (a harassment report's context).


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["follower", "followed", "created_at"]
    list_select_related = ["follower", "followed"]
    search_fields = ["follower__username", "followed__username"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["blocker__username", "blocked__username"]
    date_hierarchy = "created_at"
