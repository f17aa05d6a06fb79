"""How a member appears on any page: name, profile link and avatar."""

from typing import Any

from django import template
from django.urls import reverse

from ..models import DELETED_USER_LABEL, Profile

register = template.Library()


@register.filter
def member_name(user: Any) -> str:
    """The name a member goes by: display name, else username; "a deleted user" once gone."""
    if user is None:
        return str(DELETED_USER_LABEL)
    if not user.is_active and not hasattr(user, "profile"):
        return str(DELETED_USER_LABEL)
    return Profile.objects.for_user(user).name


@register.filter
def member_url(user: Any) -> str:
    if user is None or not user.is_active or Profile.objects.for_user(user).deleted_at:
        return ""
    return reverse("accounts:profile", kwargs={"username": user.username})


@register.filter
def member_avatar(user: Any) -> str:
    if user is None:
        return ""
    profile = Profile.objects.for_user(user)
    if profile.avatar and not profile.deleted_at and not profile.is_hidden:
        return str(profile.avatar.url)
    return ""
