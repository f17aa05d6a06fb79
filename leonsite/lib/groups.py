"""Staff roles: a group with exactly its permissions, kept by `migrate`.

Each app registers the role it owns (`register`), naming the permissions as
"app_label.codename"; every `migrate` then sets each group to exactly those
permissions, so a role never gains or keeps one it should not have. `grant_role`
(manage.py grant_role) puts a member in a role.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_migrate


@dataclass(frozen=True)
class Role:
    name: str  # what `manage.py grant_role` takes: "curator", "moderator"
    group: str  # the auth group: "Curators", "Moderators"
    permissions: Callable[[], Iterable[str]]  # "app_label.codename", read at migrate time
    description: str = ""


_roles: dict[str, Role] = {}


def register(role: Role) -> None:
    _roles[role.name] = role
    post_migrate.connect(_ensure_all, weak=False, dispatch_uid="leonsite-roles")


def roles() -> list[Role]:
    return sorted(_roles.values(), key=lambda role: role.name)


def role(name: str) -> Role:
    try:
        return _roles[name]
    except KeyError:
        known = ", ".join(sorted(_roles))
        raise LookupError(f"No role {name!r}; the roles are: {known}.") from None


def ensure_group(role: Role, apps: Apps = global_apps) -> Any:
    """The role's group with exactly its permissions (the ones that exist yet)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for spec in role.permissions():
        app_label, codename = spec.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    with transaction.atomic():
        group, _ = group_model.objects.get_or_create(name=role.group)
        group.permissions.set(permission_model.objects.filter(wanted))
    return group


def _ensure_all(sender: Any, apps: Apps = global_apps, **kwargs: Any) -> None:
    # post_migrate runs once per app, after that app's permissions exist: setting the
    # groups each time leaves them complete once the last app has run.
    for each in _roles.values():
        ensure_group(each, apps)


def grant_role(name: str, username: str) -> AbstractBaseUser:
    """Make an existing member staff (the admin) and put them in the role's group."""
    group: Group = ensure_group(role(name))
    user = get_user_model().objects.get(username=username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user
