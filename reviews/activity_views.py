"""The activity feed's page, and its part of the signed-in home page (reviews/activity.py
reads it). Members only: a visitor is sent to log in. Each reader's copy is their own
(leonsite.lib.caching.MemberPageMiddleware); the reviews in it reuse their cached
fragments."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from leonsite.lib.caching import cache_for_members

from . import activity

FEED_PER_PAGE = 20
HOME_PER_PAGE = 10


class FeedCursorForm(forms.Form):
    """`?before=` names where a page starts (the "Older" link writes it)."""

    before = forms.CharField(required=False, max_length=40)

    def clean_before(self) -> activity.Cursor | None:
        token = self.cleaned_data["before"]
        if not token:
            return None
        try:
            return activity.Cursor.parse(token)
        except (ValueError, OverflowError, OSError) as err:
            raise forms.ValidationError(gettext("That page of the feed does not exist.")) from err


@login_required
@require_safe
@cache_for_members("catalogue", query=FeedCursorForm)
def feed(request: HttpRequest) -> HttpResponse:
    form = FeedCursorForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("That page of the feed does not exist."))
    page = activity.feed_page(
        request.user, before=form.cleaned_data["before"], per_page=FEED_PER_PAGE
    )
    context = {
        "feed": page,
        "follows_anyone": bool(page.items) or activity.follows_anyone(request.user),
        "suggest": HomeFeed(request),
    }
    return render(request, "reviews/activity.html", context)


class HomeFeed:
    """The feed's first page on the signed-in home page; read when the block is drawn."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.user = getattr(request, "user", None)

    @cached_property
    def page(self) -> activity.FeedPage:
        return activity.feed_page(self.user, before=None, per_page=HOME_PER_PAGE)

    @cached_property
    def follows_anyone(self) -> bool:
        return bool(self.page.items) or activity.follows_anyone(self.user)

    @cached_property
    def suggestions(self) -> list[Any]:
        return activity.members_to_follow(self.user)


def home_feed(request: HttpRequest | None) -> dict[str, Any]:
    """The `home.member` slot: only drawn for signed-in members (home.html)."""
    return {"home_feed": HomeFeed(request)}
