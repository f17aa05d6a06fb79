"""Every write about a member: sign-up, profile, restrictions, export and deletion.

Keyword-only arguments, `full_clean()` before saving, one transaction per write. The
display name and bio are published through the one screening call every member text
goes through (leonsite.lib.screening).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language, gettext

from leonsite.lib import screening
from leonsite.lib.text import skeleton

from . import data
from .models import Profile
from .tokens import confirmation_tokens

User = get_user_model()
Restriction = Literal["silence", "suspend"]
_RESTRICTION_FIELDS = {
    "silence": ("silenced_until", "silence_reason"),
    "suspend": ("suspended_until", "suspension_reason"),
}


def user_create(*, username: str, email: str, password: str, confirmed: bool = True) -> Any:
    """A new member with their (empty) profile. The caller has validated the password.
    An unconfirmed member cannot log in until they use the link e-mailed to them."""
    with transaction.atomic():
        user = User(username=username, email=email, is_active=confirmed)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        try:
            with transaction.atomic():
                user.save()
                Profile.objects.create(
                    user=user,
                    username_skeleton=skeleton(username),
                    email_confirmed_at=timezone.now() if confirmed else None,
                )
        except IntegrityError as err:
            # A concurrent sign-up took the name, a look-alike of it, or the address.
            raise ValidationError(
                gettext("That username or e-mail address is already in use."), code="taken"
            ) from err
    return user


def _send(user: Any, template: str, context: dict[str, Any]) -> None:
    """One e-mail, once the transaction commits; a failing mail server is logged by
    Django and never undoes the member's action.

    Subject, body and links are rendered now, in the request's language (the page the
    member used: /fr/ gives a French e-mail with /fr/ links), not in the commit hook;
    Content-Language says which."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    language = get_language() or settings.LANGUAGE_CODE
    message = EmailMessage(
        subject, body, None, [user.email], headers={"Content-Language": language}
    )
    transaction.on_commit(message.send, robust=True)


def _confirmation_link(user: Any, base_url: str, next_url: str) -> str:
    path = reverse(
        "accounts:confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": confirmation_tokens.make_token(user),
        },
    )
    return base_url.rstrip("/") + path + (f"?{urlencode({'next': next_url})}" if next_url else "")


def member_signup(
    *, username: str, email: str, password: str, base_url: str, next_url: str = ""
) -> None:
    """Sign-up answers the same whether or not the address already has an account: a
    new address gets an unconfirmed account and its confirmation link; an address in
    use gets, sent to its owner, a word that someone tried (with the link again while
    that account is unconfirmed). The page never says which."""
    context = {"site_name": settings.SITE_NAME, "base_url": base_url.rstrip("/")}
    with transaction.atomic():
        owner = User.objects.filter(email__iexact=email).select_related("profile").first()
        if owner is None:
            try:
                user = user_create(
                    username=username, email=email, password=password, confirmed=False
                )
            except ValidationError:
                return  # a concurrent sign-up took the address: it was theirs to confirm
            link = _confirmation_link(user, base_url, next_url)
            _send(user, "confirm", {**context, "user": user, "link": link})
        elif Profile.objects.for_user(owner).is_pending:
            link = _confirmation_link(owner, base_url, next_url)
            _send(owner, "confirm", {**context, "user": owner, "link": link})
        else:
            _send(owner, "address_in_use", {**context, "user": owner})


def member_confirm(*, uidb64: str, token: str) -> Any | None:
    """Activate the account the link names; None if the link is wrong, used or old."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=pk).first()
        if user is None or not confirmation_tokens.check_token(user, token):
            return None
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        profile.email_confirmed_at = timezone.now()
        profile.save(update_fields=["email_confirmed_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def username_changed(*, user: Any) -> None:
    """Keep the look-alike form in step when the admin renames a member."""
    Profile.objects.filter(user=user, deleted_at__isnull=True).update(
        username_skeleton=skeleton(user.username)
    )


def unconfirmed_purge(*, older_than: timedelta) -> int:
    """Delete sign-ups whose link was never used (they never posted: they could not log
    in), so their names and addresses are free again. Returns how many went."""
    stale = list(
        User.objects.filter(
            is_active=False,
            date_joined__lt=timezone.now() - older_than,
            profile__email_confirmed_at__isnull=True,
            profile__deleted_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    User.objects.filter(pk__in=stale).delete()
    return len(stale)


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
    show_members_spoilers: bool | None = None,
) -> Profile:
    """Update the profile; `avatar` is an already re-encoded file (see images.py)."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        with screening.publishing(profile, display_name, bio):
            profile.display_name = display_name.strip()
            profile.bio = bio.strip()
            if show_members_spoilers is not None:
                profile.show_members_spoilers = show_members_spoilers
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

    The login, e-mail, names, password, bio and avatar go, and so do the failed-login
    records that name the account; each app then erases its own part (the community:
    private and unlisted collections, and its search entries name no one any more).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        profile = Profile.objects.select_for_update().get(pk=Profile.objects.for_user(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        old_username = user.username
        profile.display_name = ""
        profile.bio = ""
        profile.avatar = ""
        profile.username_skeleton = ""
        profile.deleted_at = timezone.now()
        profile.save()
        _anonymise(user)
        for record in (AccessAttempt, AccessFailureLog, AccessLog):
            record.objects.filter(username=old_username).delete()
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
