"""Members in the admin. Every save and delete goes through accounts.services, as the
site's own forms do: a deleted account is anonymised, never destroyed with its posts."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from . import services
from .models import Profile

User = get_user_model()
HIDDEN_READONLY = ["hidden_at", "hidden_cause", "hidden_reason", "hidden_by"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "display_name", "deleted_at", "silenced_until", "suspended_until"]
    search_fields = ["user__username", "display_name"]
    list_select_related = ["user"]
    fields = ["user", "display_name", "bio", "avatar", "deleted_at", *HIDDEN_READONLY]
    readonly_fields = [
        "user",
        "avatar",
        "deleted_at",
        *HIDDEN_READONLY,
        "silenced_until",
        "silence_reason",
        "suspended_until",
        "suspension_reason",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a profile comes with its account

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deleted (anonymised) with their user, below

    def save_model(self, request: HttpRequest, obj: Profile, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        services.profile_update(user=obj.user, display_name=obj.display_name, bio=obj.bio)


admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):  # type: ignore[type-arg]
    """Django's user admin, except that deleting anonymises the account (as a member's
    own deletion does): their public posts stay, credited to "a deleted user"."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.username_changed(user=obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Nothing cascades: the confirmation lists the accounts alone.
        return [str(obj) for obj in objs], {}, set(), []

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.account_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            services.account_delete(user=user)
