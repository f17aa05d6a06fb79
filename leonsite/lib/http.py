"""Small HTTP helpers every app's views share."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
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


def found(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What a selector reads, or a 404 when the row is missing (selectors raise the
    model's DoesNotExist and know nothing of HTTP)."""
    try:
        return read(*args, **kwargs)
    except ObjectDoesNotExist as err:
        raise Http404("Not found.") from err
