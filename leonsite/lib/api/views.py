"""Conditional GETs and the base viewsets of the read API.

The API is the same for everyone who asks (no authentication, no per-member variants),
so a response is decided by the URL and the data alone. That lets a request be answered
"304 Not Modified" from the cache namespaces' versions (leonsite/lib/caching.py) before
any query runs: every write that could change a response moves one of them, twice
(before and after its commit), so a set of versions names the data a response was read
from.
"""

import hashlib
import time
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from leonsite.lib import caching

from .fields import SPOILERS, include_spoilers

MAX_AGE = 60
# How long the time a version pair was first seen is kept: an entry that ages out only
# moves Last-Modified later (a 200 where a 304 would have done), never earlier.
SEEN_TIMEOUT = 7 * 86400


class Validators:
    """A response's ETag and Last-Modified, known before the view runs."""

    def __init__(self, etag: str, last_modified: int | None) -> None:
        self.etag = etag
        self.last_modified = last_modified

    def apply(self, response: Any) -> None:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Accept"])


def validators(request: Request, namespaces: Sequence[str]) -> Validators:
    """The validators of the response to this request.

    The ETag hashes what decides the response: the namespaces' versions, the absolute
    URL (query string included) and the media type negotiated (JSON's `indent`).

    Last-Modified is when this API first saw the current versions, to the second below.
    It is sent only once that second is over: a write made within the same second as a
    response could otherwise leave the next one with the same date, and a client asking
    If-Modified-Since would be told nothing changed."""
    started = time.time()  # before the versions are read: a later write bumps after it
    numbers = caching.versions(*namespaces) if namespaces else []
    state = ",".join(f"{name}={number}" for name, number in zip(namespaces, numbers, strict=True))
    where = request.build_absolute_uri()
    media_type = getattr(request, "accepted_media_type", "")
    digest = hashlib.sha256(f"{state}|{where}|{media_type}".encode()).hexdigest()[:40]
    return Validators(f'"{digest}"', _last_modified(state, started) if namespaces else None)


def _last_modified(state: str, started: float) -> int | None:
    key = "api-seen:" + hashlib.sha256(state.encode()).hexdigest()[:32]
    if cache.add(key, started, SEEN_TIMEOUT):
        seen: float | None = started
    else:
        seen = cache.get(key)
    if seen is None or int(started) <= int(seen):
        return None
    return int(seen)


class _Answered(Exception):
    """The conditional request is answered already: a 304 (or a 412 for If-Match)."""

    def __init__(self, response: Any) -> None:
        self.response = response


class ConditionalView(APIView):
    """A read-only endpoint answering If-None-Match / If-Modified-Since from the cache
    versions of `cache_namespaces`, before its queries; 200s and 304s carry ETag,
    Last-Modified and a short public Cache-Control. The request's spoilers choice is
    checked first (a 400 for a bad value) and kept as `self.spoilers`."""

    cache_namespaces: Sequence[str] = ("catalogue",)
    http_method_names = ["get", "head", "options"]
    spoilers = False
    _validators: Validators | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.spoilers = include_spoilers(request)
        if request.method not in ("GET", "HEAD"):
            return
        self._validators = validators(request, self.cache_namespaces)
        answered = get_conditional_response(
            request,
            etag=self._validators.etag,
            last_modified=self._validators.last_modified,
        )
        if answered is not None:
            raise _Answered(answered)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._validators is not None and response.status_code in (200, 304):
            self._validators.apply(response)
        return response


class ResourceViewSet(ConditionalView, viewsets.GenericViewSet[Any]):
    """A viewset of the read API: conditional, and its serializers know whether the
    request asked for spoilers (`spoilers_wanted(context)`)."""

    spoiler_aware = True

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context[SPOILERS] = self.spoilers
        return context


class ReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ResourceViewSet):
    """A list, paged by cursor and filtered, and its items."""
