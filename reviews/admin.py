from django.contrib import admin

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
    WatchedWord,
)

HIDDEN_READONLY = ["hidden_at", "hidden_cause", "hidden_reason", "hidden_by"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "deleted_at", "silenced_until", "suspended_until"]
    search_fields = ["user__username", "display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [
        *HIDDEN_READONLY,
        "silenced_until",
        "silence_reason",
        "suspended_until",
        "suspension_reason",
    ]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "film", "author", "rating", "like_count", "created_at", "deleted_at"]
    list_filter = [
        "rating",
        "is_spoiler",
        ("deleted_at", admin.EmptyFieldListFilter),
        ("hidden_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "body", "author__username", "film__title"]
    list_select_related = ["film", "author"]
    raw_id_fields = ["author", "film"]
    readonly_fields = [
        "like_count",
        "comment_count",
        "deleted_at",
        "created_at",
        "updated_at",
        *HIDDEN_READONLY,
    ]
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
    list_display = ["__str__", "author", "created_at", "deleted_at", "hidden_at"]
    search_fields = ["body", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "review"]
    readonly_fields = HIDDEN_READONLY

    def has_delete_permission(self, request, obj=None):
        # Authors soft-delete; moderators hide. Nothing here destroys a post.
        return False


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
    readonly_fields = ["item_count", "like_count", *HIDDEN_READONLY]
    inlines = [CollectionItemInline]

    def has_delete_permission(self, request, obj=None):
        return False  # as for reviews and comments: soft-deleted by owners, hidden by moderators


admin.site.register(ReviewLike, raw_id_fields=["user", "review"])
admin.site.register(CollectionLike, raw_id_fields=["user", "collection"])


# Moderation -----------------------------------------------------------------------------


@admin.register(RemovalReason)
class RemovalReasonAdmin(admin.ModelAdmin):
    list_display = ["title", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "message"]


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["word"]
    fields = ["word", "action"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are decided in the queue (/moderation/); here they are only read."""

    list_display = ["__str__", "subject", "reason", "status", "created_at"]
    list_filter = ["status", "reason", "content_type"]
    search_fields = ["details", "reporter__username", "subject__username"]
    list_select_related = ["reporter", "subject", "content_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The permanent log: read-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "kind", "target_label", "subject"]
    list_filter = ["kind"]
    search_fields = ["target_label", "reason", "actor__username", "subject__username"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
