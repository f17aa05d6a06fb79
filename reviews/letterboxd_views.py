"""Letterboxd import and export pages (reviews/letterboxd.py does the work).

The upload is read once, on the preview: what it would do is kept in the member's
session as plain data (bounded: at most letterboxd.MAX_ROWS rows, and only the first
MAX_SKIPPED_SHOWN skipped ones are described), never the file itself. Confirming
applies that plan; a second confirm finds it gone.
"""

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leonsite.lib import ratelimit
from leonsite.lib.ratelimit import rate_limited

from . import letterboxd
from .diary_forms import LetterboxdConfirmForm, LetterboxdImportForm
from .moderation.decorators import posting_allowed

SESSION_PLAN = "letterboxd_plan"
SESSION_RESULT = "letterboxd_result"


@login_required
@posting_allowed
def letterboxd_import(request: HttpRequest) -> HttpResponseBase:
    """The form (GET); the preview of what the file would do (POST)."""
    if request.method != "POST":
        return render(request, "reviews/letterboxd_import.html", {"form": LetterboxdImportForm()})
    refused = ratelimit.spend(request, "letterboxd-preview")
    if refused is not None:
        return refused
    form = LetterboxdImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "reviews/letterboxd_import.html", {"form": form}, status=400)
    planned = letterboxd.plan(request.user, form.rows)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_PLAN] = {"token": token, "plan": planned.as_data()}
    context = {
        "plan": planned,
        "films": planned.films(),
        "confirm": LetterboxdConfirmForm(initial={"token": token}),
    }
    return render(request, "reviews/letterboxd_preview.html", context)


@login_required
@require_POST
@posting_allowed
@rate_limited("letterboxd-import")
def letterboxd_confirm(request: HttpRequest) -> HttpResponse:
    form = LetterboxdConfirmForm(request.POST)
    stored = request.session.get(SESSION_PLAN) or {}
    if not form.is_valid() or stored.get("token") != form.cleaned_data["token"]:
        return _start_again(
            request, _("This preview has expired or was already imported: send the file again.")
        )
    del request.session[SESSION_PLAN]
    try:
        planned = letterboxd.Plan.from_data(stored["plan"])
    except (KeyError, TypeError, ValueError):
        return _start_again(request, _("This preview can't be read any more: send the file again."))
    outcome = letterboxd.apply(user=request.user, planned=planned)
    ratelimit.confirm(request)
    request.session[SESSION_RESULT] = {
        **outcome.as_data(),
        "skipped_count": planned.skipped_count,
    }
    return redirect("reviews:letterboxd-done")


def _start_again(request: HttpRequest, message: str) -> HttpResponse:
    context = {"form": LetterboxdImportForm(), "start_again": message}
    return render(request, "reviews/letterboxd_import.html", context, status=400)


@login_required
@require_GET
def letterboxd_done(request: HttpRequest) -> HttpResponse:
    result: dict[str, Any] | None = request.session.pop(SESSION_RESULT, None)
    if result is None:
        return redirect("reviews:letterboxd-import")
    return render(request, "reviews/letterboxd_done.html", {"result": result})


@login_required
@require_GET
def letterboxd_export(request: HttpRequest) -> HttpResponse:
    """The member's own film life, as Letterboxd's files, to download."""
    response = HttpResponse(letterboxd.export_zip(request.user), content_type="application/zip")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="leonsite-letterboxd-{day}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
