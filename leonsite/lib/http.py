"""Small HTTP helpers every app's views share."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import url_has_allowed_host_and_scheme

P = ParamSpec("P")
T = TypeVar("T")


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the request carries (form field first, then query string) when it
    points back into this site; otherwise `default`. Never an open redirect."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _checked_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise NotImplementedError


def refused_cross_site(request: HttpRequest, message: str) -> HttpResponse | None:
    """For a form that signed-out visitors send without a CSRF token (a token would make
    every page they get uncacheable): a member's post is CSRF-checked as usual, a
    visitor's must come from this site, by the browser's Origin header or else the
    Referer. None when the request may go on."""
    if request.user.is_authenticated:
        check = CsrfViewMiddleware(_checked_view)
        return check.process_view(request, _checked_view, (), {})
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    here = f"{request.scheme}://{request.get_host()}"
    if origin != here and not origin.startswith(here + "/"):
        return HttpResponseForbidden(message)
    return None


def found(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What a selector reads, or a 404 when the row is missing (selectors raise the
    model's DoesNotExist and know nothing of HTTP)."""
    try:
        return read(*args, **kwargs)
    except ObjectDoesNotExist as err:
        raise Http404("Not found.") from err
