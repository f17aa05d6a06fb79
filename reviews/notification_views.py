"""The member's notifications: the page, marking read, the settings, the digest's
one-click unsubscribe, and the unread count in the navigation. Reads and writes live in
reviews/notifications.py; every form here works without JavaScript.
"""

from typing import Any

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from leonsite.lib import ratelimit
from leonsite.lib.caching import cache_for_members
from leonsite.lib.forms import form_helper
from leonsite.lib.http import safe_next
from leonsite.lib.ratelimit import rate_limited

from . import notifications
from .models import Notification
from .notification_kinds import Switch

NOTIFICATIONS_PER_PAGE = 30


class NotificationSettingsForm(forms.Form):
    enabled = forms.MultipleChoiceField(
        label=_("Notify me of"),
        choices=Switch.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest = forms.BooleanField(
        label=_("E-mail me a daily digest"),
        required=False,
        help_text=_(
            "Once a day, your unread notifications of the kinds chosen above, if there "
            "are any. Every e-mail has a link to stop them."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            gettext("Save"),
            layout=Layout(
                Fieldset(gettext("On the site"), "enabled"),
                Fieldset(gettext("By e-mail"), "digest"),
            ),
        )


@login_required
@cache_for_members("catalogue", query=forms.Form)  # no fields: `?page=` alone
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications.for_member(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "entries": notifications.entries(page.object_list, recipient=request.user),
        "unread": notifications.unread_count(request.user),
    }
    return render(request, "reviews/notification_list.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(safe_next(request, Notification().get_absolute_url()))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notifications.mark_read(user=request.user, pk=pk)
    except Notification.DoesNotExist as err:
        raise Http404 from err
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    if notifications.mark_all_read(user=request.user):
        messages.success(request, gettext("All your notifications are marked as read."))
    return _back(request)


@login_required
@rate_limited("profile")
def notification_settings(request: HttpRequest) -> HttpResponse:
    chosen = notifications.settings_for(request.user)
    initial = {
        "enabled": [str(switch) for switch in Switch if switch not in chosen.muted],
        "digest": chosen.digest,
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.settings_update(
            user=request.user,
            enabled=form.cleaned_data["enabled"],
            digest=form.cleaned_data["digest"],
            language=get_language() or "",
        )
        ratelimit.confirm(request)
        messages.success(request, gettext("Saved: your notification settings."))
        return redirect("reviews:notification-settings")
    return render(request, "reviews/notification_settings.html", {"form": form})


# A mail client's one-click unsubscribe (RFC 8058) posts without a CSRF token; the
# signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        member = notifications.member_from_token(token)
    except signing.BadSignature:
        return render(request, "reviews/digest_unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        notifications.digest_unsubscribe(token=token)
        return render(request, "reviews/digest_unsubscribe.html", {"done": True})
    return render(request, "reviews/digest_unsubscribe.html", {"member": member})


# Blocks plugged into the site's pages (apps.py) ------------------------------------------


def nav_unread(request: HttpRequest | None, **_: Any) -> dict[str, Any]:
    """The unread count beside the account menu: no query for a visitor, at most one
    (none when cached) for a member."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": None}
    return {"unread_notifications": notifications.unread_count(user)}
