from django.contrib import admin

from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    Profile,
    QuoteCollection,
    Review,
    ReviewLike,
)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "deleted_at"]
    search_fields = ["user__username", "display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "film", "author", "rating", "like_count", "created_at", "deleted_at"]
    list_filter = ["rating", "is_spoiler", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "author__username", "film__title"]
    list_select_related = ["film", "author"]
    raw_id_fields = ["author", "film"]
    readonly_fields = ["like_count", "comment_count", "deleted_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        # Reviews are soft-deleted by their authors; rating statistics depend on it.
        return False


@admin.register(FilmRatingStats)
class FilmRatingStatsAdmin(admin.ModelAdmin):
    list_display = ["film", "count", "total"]
    list_select_related = ["film"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at", "deleted_at"]
    search_fields = ["body", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "review"]


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    raw_id_fields = ["quote"]
    extra = 0


@admin.register(QuoteCollection)
class QuoteCollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "item_count", "like_count", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "description", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "copied_from"]
    readonly_fields = ["item_count", "like_count"]
    inlines = [CollectionItemInline]


admin.site.register(ReviewLike, raw_id_fields=["user", "review"])
admin.site.register(CollectionLike, raw_id_fields=["user", "collection"])
