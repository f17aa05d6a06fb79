"""Members' public faces, and the account restrictions moderators set on them.

Django's own User holds the login; Profile holds what the community shows (display
name, bio, avatar) and the dates until which a member is silenced or suspended.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from leonsite.lib import caching
from leonsite.lib.caching import WatchedQuerySet
from leonsite.lib.moderated import Moderatable
from leonsite.lib.text import skeleton

BIO_MAX = 1_000
DISPLAY_NAME_MAX = 60
# What a deleted account's posts are credited to. Lazy: it is read in the page's language.
DELETED_USER_LABEL = _("a deleted user")


def avatar_upload_to(instance: "Profile", filename: str) -> str:
    # Every avatar is re-encoded to WebP (images.py); the uploaded name is never used.
    return f"avatars/{uuid.uuid4().hex}.webp"


# The version a bulk write to profiles moves (leonsite.accounts.security keeps each
# member's account under it and their own).
ACCOUNTS = "accounts"


class ProfileQuerySet(WatchedQuerySet["Profile"]):
    def _bump(self) -> None:
        """A bulk write (a suspension, an erasure) also moves every member's copy of
        their account: which rows it touched is not known."""
        super()._bump()
        caching.bump(ACCOUNTS)

    def for_user(self, user: Any) -> "Profile":
        """The member's profile: the one already loaded with the user when there is one,
        else read, or created for accounts made outside the sign-up (createsuperuser)."""
        try:
            profile: Profile = user.profile
        except Profile.DoesNotExist:
            try:
                with transaction.atomic():
                    lookalike = skeleton(user.username)
                    profile, _ = self.get_or_create(
                        user=user, defaults={"username_skeleton": lookalike}
                    )
            except IntegrityError:  # a member already holds a look-alike of the name
                profile, _ = self.get_or_create(user=user)
            user.profile = profile
        return profile


class Profile(Moderatable):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        related_name="profile",
        on_delete=models.CASCADE,
        verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=DISPLAY_NAME_MAX, blank=True)
    bio = models.TextField(
        pgettext_lazy("about a member", "bio"),
        blank=True,
        validators=[MaxLengthValidator(BIO_MAX)],
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    deleted_at = models.DateTimeField(
        _("deleted at"),
        null=True,
        blank=True,
        help_text=_("Set when the member deleted their account."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(
        _("e-mail confirmed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty until the sign-up link is used."),
    )
    # The username's look-alike form (leonsite.lib.text.skeleton): no two members' names
    # can pass for each other. Empty for deleted accounts.
    username_skeleton = models.CharField(
        _("username look-alike form"), max_length=150, blank=True, editable=False
    )
    show_members_spoilers = models.BooleanField(
        _("show spoilers in members' posts"),
        default=False,
        help_text=_("Open the spoilers in reviews and comments without asking each time."),
    )
    # Restrictions lift by themselves: they hold while the date is in the future.
    silenced_until = models.DateTimeField(
        _("silenced until"), null=True, blank=True, editable=False
    )
    silence_reason = models.TextField(_("reason for the silence"), blank=True, editable=False)
    suspended_until = models.DateTimeField(
        _("suspended until"), null=True, blank=True, editable=False
    )
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["username_skeleton"],
                condition=~models.Q(username_skeleton=""),
                name="accounts_profile_username_lookalike",
                violation_error_message=_("That username is taken, or looks too much like one."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.user.username})

    @property
    def name(self) -> str:
        if self.deleted_at:
            return gettext("a deleted user")
        if self.is_hidden:
            return str(self.user.username)  # a hidden display name is not shown either
        return self.display_name or str(self.user.username)

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_restricted(self) -> bool:
        """Silenced or suspended now: may read, may not post."""
        return self.is_silenced or self.is_suspended

    @property
    def is_pending(self) -> bool:
        """Signed up, but the link in the confirmation e-mail is not used yet."""
        unconfirmed = self.email_confirmed_at is None and self.deleted_at is None
        return unconfirmed and not self.user.is_active

    @property
    def author(self) -> Any:
        return self.user
