"""Every write about a member: sign-up, profile, restrictions, export and deletion.

Keyword-only arguments, `full_clean()` before saving, one transaction per write. The
display name and bio are published through the one screening call every member text
goes through (leonsite.lib.screening).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from leonsite.lib import screening

from . import data
from .models import Profile

User = get_user_model()
Restriction = Literal["silence", "suspend"]
_RESTRICTION_FIELDS = {
    "silence": ("silenced_until", "silence_reason"),
    "suspend": ("suspended_until", "suspension_reason"),
}


def user_create(*, username: str, email: str, password: str) -> Any:
    """A new member with their (empty) profile. The caller has validated the password."""
    with transaction.atomic():
        user = User(username=username, email=email)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as err:
            # A concurrent sign-up took the name or address (see the e-mail index).
            raise ValidationError(
                "That username or e-mail address is already in use.", code="taken"
            ) from err
        Profile.objects.create(user=user)
    return user


def _delete_file_after_commit(profile: Profile, name: str) -> None:
    storage = profile.avatar.storage
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def profile_update(
    *,
    user: Any,
    display_name: str,
    bio: str,
    avatar: ContentFile[bytes] | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Update the profile; `avatar` is an already re-encoded file (see images.py)."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        with screening.publishing(profile, display_name, bio):
            profile.display_name = display_name.strip()
            profile.bio = bio.strip()
            profile.full_clean(exclude=["avatar"])
            if avatar is not None:
                profile.avatar.save(avatar.name or "avatar.webp", avatar, save=False)
            elif remove_avatar:
                profile.avatar = ""
            profile.save()
        new_avatar = profile.avatar.name if profile.avatar else ""
        if old_avatar and old_avatar != new_avatar:
            _delete_file_after_commit(profile, old_avatar)
    return profile


def restriction_set(
    *, user: Any, restriction: Restriction, until: datetime | None, reason: str
) -> Profile:
    """Silence (reads, cannot post) or suspend (cannot log in) a member until a date;
    `until=None` lifts it. The moderation services decide and log; this writes."""
    until_field, reason_field = _RESTRICTION_FIELDS[restriction]
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        setattr(profile, until_field, until)
        setattr(profile, reason_field, reason if until is not None else "")
        profile.save(update_fields=[until_field, reason_field])
    return profile


def account_delete(*, user: Any) -> None:
    """Anonymise the account: posts stay, attributed to "a deleted user".

    The login, e-mail, names, password, bio and avatar go; each app then erases its own
    part (the community: private and unlisted collections).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        profile.display_name = ""
        profile.bio = ""
        profile.avatar = ""
        profile.deleted_at = timezone.now()
        profile.save()
        _anonymise(user)
        for part in data.parts():
            if part.erase is not None:
                part.erase(user)
        if old_avatar:
            _delete_file_after_commit(profile, old_avatar)


def _anonymise(user: Any) -> None:
    user.username = f"deleted-{uuid.uuid4().hex[:16]}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def account_export(*, user: Any) -> dict[str, Any]:
    """Everything the member wrote or chose, as plain data: the account and profile,
    then each app's part."""
    profile = Profile.objects.for_user(user)
    export: dict[str, Any] = {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "profile": {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "avatar": profile.avatar.url if profile.avatar else None,
        },
    }
    for part in data.parts():
        export.update(part.export(user))
    return export
