"""A member's film life: the film header's rating, log and watchlist forms, the diary and
the watchlist pages, and who may see them. Writes go through reviews/diary.py.

Every header form is a plain POST that redirects back (no JavaScript needed); a request
that asks for JSON (static/js/film-life.js) gets the header's personal part re-rendered
and a message to announce instead, so the page updates in place.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from films.selectors import film_by_slug
from leonsite.accounts.views import published_message
from leonsite.lib import ratelimit
from leonsite.lib.http import found, safe_next
from leonsite.lib.ratelimit import rate_limited

from . import blocks, diary, selectors
from .diary_forms import DiaryEntryForm, RateForm, VisibilityForm, WatchlistForm
from .models import FilmLifeVisibility
from .moderation.decorators import posting_allowed
from .stars import stars

DIARY_PER_PAGE = 50
WATCHLIST_PER_PAGE = 50


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(request: HttpRequest, film: Any, message: str, *, ok: bool = True) -> HttpResponse:
    """Back to the page the form was on, with the message; or, for the script, the
    header's personal part and the ratings summary rendered afresh, and the message to
    announce."""
    if _wants_json(request):
        life = selectors.film_life(request.user, film)
        html = render_to_string(
            "reviews/blocks/film_life.html",
            {"film": film, "life": life, "next": safe_next(request, film.get_absolute_url())},
            request=request,
        )
        summary = render_to_string(
            "reviews/blocks/film_ratings_summary.html",
            {"film": film, "ratings": blocks.FilmRatings(request, film, latest=0)},
            request=request,
        )
        return JsonResponse(
            {"message": message, "html": html, "summary": summary}, status=200 if ok else 400
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(safe_next(request, film.get_absolute_url()))


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"message": message}, status=400)
    return HttpResponseBadRequest(message)


# The film header ------------------------------------------------------------------------


@login_required
@require_POST
@posting_allowed
@rate_limited("rating")
def film_rate(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(film_by_slug, slug)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Choose a rating, from half a star to five stars."))
    rating = form.cleaned_data["rating"]
    try:
        if rating is None:
            removed = diary.clear_rating(user=request.user, film=film)
            message = _("Your rating is removed.") if removed else _("You had not rated it.")
        else:
            diary.rate(user=request.user, film=film, rating=rating)
            message = _("You rated it %(stars)s.") % {"stars": stars(rating)}
    except ValidationError as err:
        return _answer(request, film, " ".join(err.messages), ok=False)
    ratelimit.confirm(request)
    return _answer(request, film, message)


@login_required
@require_POST
@rate_limited("watchlist")
def film_watchlist(request: HttpRequest, slug: str) -> HttpResponse:
    film = found(film_by_slug, slug)
    form = WatchlistForm(request.POST)
    if not form.is_valid():
        return _refused(request, _("Add to your watchlist or remove from it."))
    if form.cleaned_data["action"] == "add":
        diary.watchlist_add(user=request.user, film=film)
        message = _("%(film)s is on your watchlist.") % {"film": film.title}
    else:
        diary.watchlist_remove(user=request.user, film=film)
        message = _("%(film)s is off your watchlist.") % {"film": film.title}
    ratelimit.confirm(request)
    return _answer(request, film, message)


@login_required
@posting_allowed
def film_log(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Log a viewing: the header's quick form (date and rewatch) posts here too; the
    page itself takes the rating, the heart, tags and a note as well."""
    film = found(film_by_slug, slug)
    return _log_form(request, film)


@rate_limited("diary")
def _log_form(request: HttpRequest, film: Any) -> HttpResponse:
    life = selectors.film_life(request.user, film)
    form = DiaryEntryForm(
        request.POST or None,
        film=film,
        has_review=bool(life.review_id and life.review_has_text),
        submit_label=_("Log it"),
        initial={"watched_on": timezone.localdate(), "rewatch": life.times > 0, "rating": ""},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = diary.entry_create(user=request.user, film=film, **form.entry_fields())
            except ValidationError as err:
                form.add_error(None, err)
            else:
                ratelimit.confirm(request)
                when = date_format(entry.watched_on, "j F Y")
                message = published_message(
                    entry,
                    _("diary entry"),
                    _("Logged: you watched %(film)s on %(date)s.")
                    % {"film": film.title, "date": when},
                )
                default = reverse("reviews:member-diary", args=[request.user.get_username()])
                if _wants_json(request):
                    return _answer(request, film, message)
                messages.success(request, message)
                return redirect(safe_next(request, default))
        if _wants_json(request):
            errors = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse({"message": " ".join(errors)}, status=400)
    return render(
        request,
        "reviews/diary_form.html",
        {"form": form, "film": film, "life": life, "entry": None},
        status=400 if form.is_bound and form.errors else 200,
    )


def _own_entry(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.own_diary_entries(request.user), pk=pk)


@login_required
@posting_allowed
@rate_limited("diary")
def diary_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if entry.is_hidden:
        messages.error(request, diary.HELD_MESSAGE)
        return redirect(entry)
    initial = {
        "watched_on": entry.watched_on,
        "rewatch": entry.rewatch,
        "rating": entry.rating or "",
        "liked": entry.liked,
        "tags": ", ".join(entry.tag_list),
        "note": entry.note,
        "link_review": entry.review_id is not None,
    }
    has_review = selectors.own_review(request.user, entry.film) is not None
    form = DiaryEntryForm(
        request.POST or None,
        film=entry.film,
        has_review=has_review,
        submit_label=_("Save the entry"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            diary.entry_update(entry=entry, **form.entry_fields())
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(request, _("Your diary entry is saved."))
            return redirect(
                reverse("reviews:member-diary", args=[request.user.get_username()])
                + f"#{entry.anchor}"
            )
    return render(
        request,
        "reviews/diary_form.html",
        {"form": form, "film": entry.film, "entry": entry},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@rate_limited("delete")
def diary_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        diary.entry_delete(entry=entry)
        ratelimit.confirm(request)
        messages.success(request, _("The diary entry is deleted."))
        return redirect("reviews:member-diary", username=request.user.get_username())
    return render(request, "reviews/diary_confirm_delete.html", {"entry": entry})


# The member's pages -----------------------------------------------------------------------


def _member(username: str) -> Any:
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def member_diary(request: HttpRequest, username: str) -> HttpResponse:
    """The member's viewings, newest first, by month; a diary only its owner may see is
    a 404 to everyone else (moderators included)."""
    member = _member(username)
    chosen = selectors.film_life_settings(member)
    if not selectors.may_see(request.user, member, chosen.diary_visibility):
        raise Http404
    is_me = request.user.pk == member.pk
    page = Paginator(selectors.diary_of(member, include_hidden=is_me), DIARY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "member": member,
        "is_me": is_me,
        "visibility": chosen.get_diary_visibility_display(),
        # Only a public diary's entries can be reported; the watchlist is linked when it
        # is public (a followers-only one is reached from the profile).
        "reportable": chosen.diary_visibility == FilmLifeVisibility.PUBLIC,
        "links_watchlist": is_me or chosen.watchlist_visibility == FilmLifeVisibility.PUBLIC,
        "page_obj": page,
        "entries": page.object_list,
    }
    return render(request, "reviews/member_diary.html", context)


def member_watchlist(request: HttpRequest, username: str) -> HttpResponse:
    member = _member(username)
    chosen = selectors.film_life_settings(member)
    if not selectors.may_see(request.user, member, chosen.watchlist_visibility):
        raise Http404
    page = Paginator(selectors.watchlist_of(member), WATCHLIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "member": member,
        "is_me": request.user.pk == member.pk,
        "visibility": chosen.get_watchlist_visibility_display(),
        "page_obj": page,
        "items": page.object_list,
    }
    return render(request, "reviews/member_watchlist.html", context)


@login_required
@rate_limited("profile")
def film_life_visibility(request: HttpRequest) -> HttpResponse:
    chosen = selectors.film_life_settings(request.user)
    form = VisibilityForm(request.POST or None, instance=chosen)
    if request.method == "POST" and form.is_valid():
        diary.visibility_update(user=request.user, **form.cleaned_data)
        ratelimit.confirm(request)
        messages.success(request, _("Saved: who sees your diary, watchlist and activity."))
        return redirect("reviews:film-life-visibility")
    return render(request, "reviews/film_life_visibility.html", {"form": form})
