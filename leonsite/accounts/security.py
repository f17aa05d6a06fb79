"""Logins: lockout (django-axes), suspended members, staff session limits, security log.

Every login success and failure, lockout and moderation action is logged to the
"leonsite.security" logger with the user id and the client address, in UTC;
usernames are logged with repr(), so a name with a line break cannot forge a line.
"""

import logging
import time
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.shortcuts import redirect, render, resolve_url
from django.utils.dateformat import format as format_date
from django.utils.http import urlencode
from django.utils.translation import gettext

from leonsite.lib import caching
from leonsite.lib.ratelimit import client_ip, wait_text

from .models import ACCOUNTS, Profile

User = get_user_model()

logger = logging.getLogger("leonsite.security")

STAFF_STARTED = "staff_session_started"
STAFF_SEEN = "staff_session_seen"


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for logins over the web.

    A login without a request (manage.py shell, the test client's login()) has no client
    address to lock out, and no attacker behind it: it goes straight to ModelBackend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class MemberBackend(ModelBackend):
    """Django's password check; a signed-in request's member is read with their
    profile, in one query: every such request reads both (the account's state, the
    nav)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # The answer is final: ModelBackend, listed after for its older sessions,
            # would check the password a second time.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        """Kept in this process under the member's own version, which a write to their
        account or profile moves (see `account_changed`): a suspension, a new password
        or a deactivation is read on the next request, and reading the copy costs one
        round trip to the cache instead of a query."""
        versions = caching.versions(ACCOUNTS, account_namespace(user_id))
        key = "member:{}:{}:{}".format(user_id, *versions)
        user = caches["members"].get(key)
        if user is None:
            try:
                user = User._default_manager.select_related("profile").get(pk=user_id)
            except User.DoesNotExist:
                return None
            caches["members"].set(key, user)
        return user if self.user_can_authenticate(user) else None


def account_namespace(user_id: Any) -> str:
    return f"account:{user_id}"


def account_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A member's account or profile was saved or deleted: their copy is read again."""
    if not raw:
        caching.bump(account_namespace(instance.pk if sender is User else instance.user_id))


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer once a (username, address) pair is locked: 429 and when to retry."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    logger.warning(
        "login lockout username=%r ip=%s", (credentials or {}).get("username"), client_ip(request)
    )
    response = render(
        request,
        "registration/locked_out.html",
        {"wait": wait_text(seconds), "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def suspension_message(profile) -> str:
    """Why and until when a suspended member cannot log in, in the active language (the
    month's name too: Django's date format, not strftime's C locale)."""
    until = format_date(profile.suspended_until, "j F Y, H:i")
    if profile.suspension_reason:
        return gettext("Your account is suspended until %(until)s UTC: %(reason)s") % {
            "until": until,
            "reason": profile.suspension_reason,
        }
    return gettext("Your account is suspended until %(until)s UTC") % {"until": until}


class AccountStateMiddleware:
    """Logs out a suspended member on their next request, and ends staff sessions after
    STAFF_SESSION_MAX_AGE or STAFF_SESSION_IDLE seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refusal = self._check(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request, user):
        profile = Profile.objects.for_user(user)
        if profile.is_suspended:
            message = suspension_message(profile)
            logout(request)
            messages.error(request, message)
            return redirect(settings.LOGIN_URL)
        if user.is_staff:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STAFF_STARTED, now)
            seen = session.get(STAFF_SEEN, now)
            too_old = now - started > settings.STAFF_SESSION_MAX_AGE
            idle = now - seen > settings.STAFF_SESSION_IDLE
            if too_old or idle:
                logout(request)
                messages.info(
                    request, gettext("Your staff session has ended: please log in again.")
                )
                return redirect(
                    f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
                )
            if now - seen >= 60 or STAFF_SEEN not in session:
                session[STAFF_SEEN] = now
        return None


def _logged_in(sender, request, user, **kwargs):
    logger.info("login success user=%s ip=%s", user.pk, client_ip(request) if request else None)
    if request is not None and user.is_staff:
        now = int(time.time())
        request.session[STAFF_STARTED] = now
        request.session[STAFF_SEEN] = now
        request.session.set_expiry(settings.STAFF_SESSION_IDLE)


def _login_failed(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failure username=%r ip=%s",
        str(credentials.get("username", ""))[:150],
        client_ip(request) if request is not None else None,
    )


def _logged_out(sender, request, user, **kwargs):
    logger.info(
        "logout user=%s ip=%s", getattr(user, "pk", None), client_ip(request) if request else None
    )


def connect():
    for model in (User, Profile):
        uid = f"security-account-{model._meta.label}"
        post_save.connect(account_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(account_changed, sender=model, dispatch_uid=f"{uid}-delete")
    user_logged_in.connect(_logged_in, dispatch_uid="security-logged-in")
    user_login_failed.connect(_login_failed, dispatch_uid="security-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="security-logged-out")
