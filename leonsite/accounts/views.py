"""Members' pages: sign-up, log-in, settings, export, deletion and the public profile.

The profile shows the member's header; the other apps plug their sections in (the
`profile.sections` slot), so accounts imports none of them.
"""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView, PasswordResetView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from leonsite.lib import ratelimit
from leonsite.lib.caching import cache_for_visitors
from leonsite.lib.http import safe_next
from leonsite.lib.ratelimit import rate_limited

from . import services
from .forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm
from .models import DELETED_USER_LABEL, Profile

User = get_user_model()

login_view = rate_limited("login", count_every=True)(
    LoginView.as_view(authentication_form=LoginForm)
)
# Django's own views, limited: a reset per address and per target e-mail (the same
# answer either way), a password change per member.
password_reset_view = rate_limited("password-reset", count_every=True)(PasswordResetView.as_view())
password_change_view = login_required(
    rate_limited("password-change", count_every=True)(PasswordChangeView.as_view())
)


def restricted_response(request: HttpRequest, profile: Profile) -> HttpResponse:
    """The 403 a silenced or suspended member gets for a write: why, and until when."""
    return render(request, "accounts/restricted.html", {"restriction": profile}, status=403)


# The thanks for a post held for a moderator, per kind of post: a whole sentence each, so
# that each language can agree its words with the post ("votre critique", "votre profil").
_HELD_MESSAGES = {
    "review": _("Thanks! Your review is held for a moderator's review before it appears."),
    "comment": _("Thanks! Your comment is held for a moderator's review before it appears."),
    "collection": _("Thanks! Your collection is held for a moderator's review before it appears."),
    "suggestion": _("Thanks! Your suggestion is held for a moderator's review before it appears."),
    "profile": _("Thanks! Your profile is held for a moderator's review before it appears."),
}


def published_message(item: object, what: str, default: str) -> str:
    """The flash message after a member's post: held ones wait for a moderator. `what` is
    the kind of post ("review", "comment", "collection", "suggestion", "profile");
    `default` is the message for a post published at once, already translated."""
    if getattr(item, "is_held", False):
        held = _HELD_MESSAGES.get(what)
        if held is None:
            return gettext("Thanks! Your post is held for a moderator's review before it appears.")
        return str(held)
    return default


@rate_limited("signup")
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, "")
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignupForm(request.POST or None)
    form.helper.form_action = request.get_full_path()
    if request.method == "POST" and form.is_valid():
        services.member_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            base_url=request.build_absolute_uri("/"),
            next_url=next_url,
        )
        ratelimit.confirm(request)
        # The same answer whether or not the address already had an account.
        return redirect("accounts:signup-sent")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


@rate_limited("confirm", count_every=True)
def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the sign-up e-mail: a page with one button (a mail scanner that
    follows links must not confirm an account), which activates and logs in."""
    next_url = safe_next(request, "")
    if request.method == "POST":
        user = services.member_confirm(uidb64=uidb64, token=token)
        if user is not None:
            login(request, user, backend="leonsite.accounts.security.MemberBackend")
            messages.success(
                request,
                gettext("Welcome to the community, %(username)s!") % {"username": user.username},
            )
            return redirect(next_url or Profile.objects.for_user(user).get_absolute_url())
        return render(request, "registration/confirm_failed.html", status=400)
    return render(request, "registration/confirm.html", {"next": next_url})


@login_required
@rate_limited("profile")
def account_settings(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.for_user(request.user)
    if request.method == "POST" and profile.is_restricted:
        return restricted_response(request, profile)
    if request.FILES.get("avatar") and (refusal := ratelimit.spend(request, "avatar")):
        return refusal
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data.get("avatar"),
                remove_avatar=form.cleaned_data.get("remove_avatar", False),
                show_members_spoilers=form.cleaned_data["show_members_spoilers"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(
                request, published_message(profile, "profile", gettext("Your profile is saved."))
            )
            return redirect("accounts:settings")
    if request.method == "POST":
        # The form's instance took the rejected values; show the saved avatar, not them.
        profile.refresh_from_db()
    return render(request, "accounts/settings.html", {"form": form, "profile": profile})


@login_required
@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    data = services.account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="leonsite-my-data.json"'
    return response


@login_required
@rate_limited("account-delete", count_every=True)  # a wrong password counts too
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            gettext("Your account is deleted. Your public posts now read “%(label)s”.")
            % {"label": DELETED_USER_LABEL},
        )
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@cache_for_visitors("catalogue", "community")
def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A member's page; deleted and deactivated accounts are a 404."""
    member = get_object_or_404(
        User.objects.select_related("profile"), username=username, is_active=True
    )
    profile = Profile.objects.for_user(member)
    is_me = request.user.pk == member.pk
    context = {
        "member": member,
        "profile": profile,
        "show_profile": not profile.is_hidden or is_me,
        "is_me": is_me,
    }
    return render(request, "accounts/profile_detail.html", context)
