"""The Curators group: full control of the catalogue, nothing else."""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import transaction

CURATORS = "Curators"
# The load ledger and the search index are machinery, not curated facts.
CURATED_EXCLUDE = {"seedrecord", "searchentry"}
ACTIONS = ("add", "change", "delete", "view")


def curator_permission_codenames() -> set[str]:
    models = global_apps.get_app_config("films").get_models()
    names = {m._meta.model_name for m in models} - CURATED_EXCLUDE
    return {f"{action}_{name}" for name in names for action in ACTIONS}


def ensure_curators_group(apps=global_apps, **kwargs):
    """Create the group with exactly the curators' permissions (post_migrate hook)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = curator_permission_codenames()
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=CURATORS)
        perms = Permission.objects.filter(content_type__app_label="films", codename__in=codenames)
        group.permissions.set(perms)
    return group


def make_curator(username: str):
    user = get_user_model().objects.get(username=username)
    group = ensure_curators_group()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user
