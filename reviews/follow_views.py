"""Follows and blocks, the member's side: the Follow and Block buttons on a profile (plain
POST forms that send the member back with a message, no JavaScript needed), the
followers and following lists, the counts in a profile's header and the list of blocked
members in the settings. The rules live in reviews/follows.py.

Profiles are cached whole for signed-out visitors: the counts are the same for everyone
(every follow moves the community's cache version), and the buttons, which depend on
who is looking, are drawn for signed-in members only, whose pages are never cached.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from leonsite.accounts.models import Profile
from leonsite.accounts.views import restricted_response
from leonsite.lib import ratelimit
from leonsite.lib.caching import cache_for_visitors
from leonsite.lib.http import safe_next
from leonsite.lib.ratelimit import rate_limited

from . import follows

User = get_user_model()
MEMBERS_PER_PAGE = 50


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])


class BlockForm(forms.Form):
    action = forms.ChoiceField(choices=[("block", "block"), ("unblock", "unblock")])


def _member(username: str) -> Any:
    """An active member by username, or a 404 (deleted and unconfirmed accounts too)."""
    return get_object_or_404(
        User.objects.select_related("profile"), username=username, is_active=True
    )


def _back(request: HttpRequest, member: Any) -> HttpResponse:
    return redirect(safe_next(request, Profile.objects.for_user(member).get_absolute_url()))


@login_required
@require_POST
@rate_limited("follow")
def follow(request: HttpRequest, username: str) -> HttpResponse:
    """The Follow / Unfollow button. A silenced or suspended member may unfollow, not
    follow."""
    member = _member(username)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("Follow or unfollow a member."))
    name = Profile.objects.for_user(member).name
    if form.cleaned_data["action"] == "unfollow":
        if follows.unfollow(follower=request.user, followed=member):
            ratelimit.confirm(request)
        messages.success(request, gettext("You no longer follow %(name)s.") % {"name": name})
        return _back(request, member)
    profile = Profile.objects.for_user(request.user)
    if profile.is_restricted:
        return restricted_response(request, profile)
    try:
        if follows.follow(follower=request.user, followed=member):
            ratelimit.confirm(request)
    except follows.Refused as err:
        messages.error(request, str(err))
    else:
        messages.success(request, gettext("You follow %(name)s.") % {"name": name})
    return _back(request, member)


@login_required
@require_POST
@rate_limited("block")
def block(request: HttpRequest, username: str) -> HttpResponse:
    """The Block / Unblock button (on a profile, and in the settings' list). Open to a
    silenced member too: keeping someone away is never refused."""
    member = _member(username)
    form = BlockForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("Block or unblock a member."))
    name = Profile.objects.for_user(member).name
    if form.cleaned_data["action"] == "unblock":
        if follows.unblock(blocker=request.user, blocked=member):
            ratelimit.confirm(request)
        messages.success(request, gettext("You unblocked %(name)s.") % {"name": name})
        return _back(request, member)
    try:
        if follows.block(blocker=request.user, blocked=member):
            ratelimit.confirm(request)
    except follows.Refused as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            gettext(
                "You blocked %(name)s. They can't follow you, comment on or like your posts, "
                "and they are not told."
            )
            % {"name": name},
        )
    return _back(request, member)


def _member_list(request: HttpRequest, username: str, which: str) -> HttpResponse:
    member = _member(username)
    rows = follows.followers_of(member) if which == "followers" else follows.following_of(member)
    page = Paginator(rows, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "member": member,
        "which": which,
        "page_obj": page,
        "people": page.object_list,
        "counts": follows.counts(member),
    }
    return render(request, "reviews/member_list.html", context)


@cache_for_visitors("catalogue", "community")
def followers(request: HttpRequest, username: str) -> HttpResponse:
    return _member_list(request, username, "followers")


@cache_for_visitors("catalogue", "community")
def following(request: HttpRequest, username: str) -> HttpResponse:
    return _member_list(request, username, "following")


# Blocks plugged into the accounts' pages (apps.py) ---------------------------------------


def profile_follow(
    request: HttpRequest | None, member: Any, is_me: bool = False, **_: Any
) -> dict[str, Any]:
    """The counts in a profile's header, the same for every reader, and the Follow and
    Block buttons for a signed-in member looking at someone else's profile. A signed-out
    visitor's copy (cached whole) holds nothing that depends on who reads it."""
    context: dict[str, Any] = {"follow_counts": follows.counts(member), "follow_state": None}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_me or user.pk == member.pk:
        return context
    blockers = follows.blockers_between(user, member)
    context["follow_state"] = {
        "following": follows.is_following(user, member),
        "blocking": user.pk in blockers,
        "blocked": member.pk in blockers,
    }
    return context


def settings_blocks(request: HttpRequest | None, **_: Any) -> dict[str, Any]:
    """The members the signed-in member blocks, each with an Unblock button."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"blocked_members": None}
    return {"blocked_members": list(follows.blocked_by(user)[:200])}
