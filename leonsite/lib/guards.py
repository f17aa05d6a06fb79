"""Middleware that answers before the site can fail: an oversized request is refused
before its body is read, and a database that cannot be reached, written or locked in
time answers a styled 503 with Retry-After instead of a 500."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)
RETRY_AFTER = 30


def database_unavailable(error: BaseException) -> bool:
    """Down, locked past the busy timeout, timed out, or read-only: a passing state of
    the database, not a bug in a view."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DatabaseError) and "read-only" in str(error).lower()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        logger.warning("database unavailable path=%s: %s", request.path, exception)
        # The page reads nothing from the database, so it renders while it is away.
        response = render(request, "503.html", {"retry_after": RETRY_AFTER}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response


class RequestSizeMiddleware:
    """Refuse a request whose declared body exceeds MAX_REQUEST_BYTES at once (413),
    without reading it; the proxy in front should refuse it even earlier. Curators'
    pages (LARGE_UPLOAD_PATHS) take pictures of up to 10 MB, so a larger cap there; so do
    Letterboxd imports (IMPORT_UPLOAD_PATHS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = int(settings.MAX_REQUEST_BYTES)
        if request.path_info.startswith(tuple(settings.LARGE_UPLOAD_PATHS)):
            limit = int(settings.LARGE_UPLOAD_MAX_REQUEST_BYTES)
        elif request.path_info.startswith(tuple(getattr(settings, "IMPORT_UPLOAD_PATHS", ()))):
            limit = int(settings.IMPORT_MAX_REQUEST_BYTES)
        if declared > limit:
            context = {"limit_mb": limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
