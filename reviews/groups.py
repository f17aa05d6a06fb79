"""The Moderators group: the community's moderation, nothing of the catalogue."""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import transaction

MODERATORS = "Moderators"
# Decide in the queue (moderate), restrict members (sanction_member), read reports and the
# log, keep the removal reasons and watched words in the admin, and look at the posts.
MODERATOR_CODENAMES = {
    "moderate",
    "sanction_member",
    "view_report",
    "view_moderationaction",
    "add_removalreason",
    "change_removalreason",
    "view_removalreason",
    "add_watchedword",
    "change_watchedword",
    "delete_watchedword",
    "view_watchedword",
    "view_review",
    "view_comment",
    "view_quotecollection",
    "view_profile",
}


def ensure_moderators_group(apps=global_apps, **kwargs):
    """Create the group with exactly the moderators' permissions (post_migrate hook)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=MODERATORS)
        perms = Permission.objects.filter(
            content_type__app_label="reviews", codename__in=MODERATOR_CODENAMES
        )
        group.permissions.set(perms)
    return group


def make_moderator(username: str):
    """Moderators are staff: they keep removal reasons and watched words in the admin."""
    user = get_user_model().objects.get(username=username)
    group = ensure_moderators_group()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user
