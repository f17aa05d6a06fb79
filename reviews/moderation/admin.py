"""Moderation in the admin: the lists moderators keep (removal reasons, watched words),
and the reports and log, which are only read here (decisions happen in the queue)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ModerationAction, RemovalReason, Report, WatchedWord


@admin.register(RemovalReason)
class RemovalReasonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "message"]


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["word"]
    fields = ["word", "action"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports are decided in the queue (/moderation/); here they are only read."""

    list_display = ["__str__", "subject", "reason", "status", "created_at"]
    list_filter = ["status", "reason", "content_type"]
    search_fields = ["details", "reporter__username", "subject__username"]
    list_select_related = ["reporter", "subject", "content_type"]
    date_hierarchy = "created_at"


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    """The permanent log: read-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "kind", "target_label", "subject"]
    list_filter = ["kind"]
    search_fields = ["target_label", "reason", "actor__username", "subject__username"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "created_at"
