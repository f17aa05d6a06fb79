"""Per-member and per-address rate limits, kept in the Django cache.

Redis in production (REDIS_URL), the local-memory cache by default. Each rule is a fixed
window counted with cache.add + cache.incr, both atomic in Redis and in the local-memory
cache. The limits are settings (RATE_LIMITS), so an operator tunes
them without a release.

A request over a limit gets a 429 page with Retry-After and the view never runs, so it
changes nothing. Hits are taken before the view (concurrent requests cannot overshoot)
and given back unless the view calls `confirm(request)` after a write: a form sent back
with an error costs nothing. Scopes with `count_every=True` (login) keep every hit.

When the cache cannot count (Redis down: django-redis's IGNORE_EXCEPTIONS answers None),
the limits fail open and say so in the security log: the site keeps taking posts rather
than refusing every one with a 500. The login lockout does not depend on the cache.
"""

import contextlib
import hashlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

logger = logging.getLogger("leonsite.security")
View = Callable[..., HttpResponseBase]

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_KEY_PREFIX = "ratelimit"


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse a rate: "10/d" → (10, 86400); "1/30s" → (1, 30)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"Bad rate {rate!r}: write it like 10/d or 1/30s.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNITS[unit]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies that each append to
    X-Forwarded-For, the entry that many places from the right; otherwise REMOTE_ADDR.
    Entries further left are the client's own words and are never believed.

    None when there is no valid address (a request built in code, a proxy passing junk):
    it is stored as NULL (django-axes, the moderation log), never as a bogus string that
    PostgreSQL's inet column would refuse."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [p for p in chain if p]
        if len(chain) >= proxies:
            remote = chain[-proxies]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None


def _is_new_account(user: Any) -> bool:
    age = timedelta(seconds=getattr(settings, "NEW_ACCOUNT_SECONDS", 86400))
    return user.date_joined is not None and timezone.now() - user.date_joined < age


@dataclass
class Hit:
    key: str
    limit: int
    period: int
    window_end: float


def _member_rules(user: Any, config: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    if user is not None and user.is_authenticated:
        rates = config.get("user", [])
        if _is_new_account(user) and "new_user" in config:
            rates = config["new_user"]
        for rate in rates:
            yield f"user:{user.pk}", rate


def _rules(request: HttpRequest, scope: str) -> Iterator[tuple[str, str]]:
    config = settings.RATE_LIMITS.get(scope, {})
    yield from _member_rules(getattr(request, "user", None), config)
    for rate in config.get("ip", []):
        yield f"ip:{client_ip(request) or 'unknown'}", rate  # no address: one shared bucket
    # "field:<name>": per value of a form field, e.g. the address a reset is sent to.
    for key, rates in config.items():
        if key.startswith("field:"):
            value = str(request.POST.get(key[6:], "")).strip().casefold()
            digest = hashlib.sha256(value.encode()).hexdigest()[:32]
            for rate in rates:
                yield f"{key}:{digest}", rate


def _incr(key: str, timeout: int, amount: int = 1) -> int | None:
    """The window's count after this hit, or None when the cache is unavailable."""
    if cache.add(key, amount, timeout):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add() and incr()
        return amount if cache.add(key, amount, timeout) else None


def _give_back(hits: list[Hit]) -> None:
    for hit in hits:
        with contextlib.suppress(ValueError):  # the window is over: nothing to give back
            cache.decr(hit.key)


def take(request: HttpRequest, scope: str) -> tuple[list[Hit], Hit | None]:
    """Count this request against every rule of the scope; returns the hits taken and the
    first rule it exceeds (whose hits are already given back), or None."""
    now = time.time()
    hits = []
    for who, rate in _rules(request, scope):
        limit, period = parse_rate(rate)
        start = int(now // period) * period
        key = f"{_KEY_PREFIX}:{scope}:{who}:{period}:{start}"
        hit = Hit(key, limit, period, start + period)
        count = _incr(key, period + 1)
        if count is None:
            logger.warning("rate limit cache unavailable scope=%s: not limiting", scope)
            continue
        hits.append(hit)
        if count > limit:
            _give_back(hits)
            return [], hit
    return hits, None


def allowance(user: Any, scope: str, wanted: int) -> int:
    """How many of `wanted` actions the member may take now under the scope's per-member
    rules (its "user" and "new_user" rates); those are counted, the rest are not. For
    things a write does many of at once, such as the mentions in one post, where the
    write itself goes ahead and only the surplus is dropped."""
    if wanted <= 0:
        return 0
    now = time.time()
    granted = wanted
    taken = []
    for who, rate in _member_rules(user, settings.RATE_LIMITS.get(scope, {})):
        limit, period = parse_rate(rate)
        start = int(now // period) * period
        key = f"{_KEY_PREFIX}:{scope}:{who}:{period}:{start}"
        count = _incr(key, period + 1, wanted)
        if count is None:
            logger.warning("rate limit cache unavailable scope=%s: not limiting", scope)
            continue
        taken.append(key)
        granted = min(granted, max(0, limit - (count - wanted)))
    for key in taken:
        if wanted > granted:
            with contextlib.suppress(ValueError):
                cache.decr(key, wanted - granted)
    return granted


def retry_after(hit: Hit) -> int:
    return max(1, math.ceil(hit.window_end - time.time()))


def too_many_requests(request: HttpRequest, *, seconds: int, scope: str = "") -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"retry_after": seconds, "scope": scope, "wait": wait_text(seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def spend(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Count a write the view decides on as it goes (an upload in a form, a new
    collection made in passing): the 429 page when over a limit, else None. Kept."""
    _, exceeded = take(request, scope)
    if exceeded is None:
        return None
    _log_refusal(request, scope)
    return too_many_requests(request, seconds=retry_after(exceeded), scope=scope)


def _log_refusal(request: HttpRequest, scope: str) -> None:
    user = getattr(request, "user", None)
    logger.warning(
        "rate limit scope=%s user=%s ip=%s", scope, getattr(user, "pk", None), client_ip(request)
    )


def confirm(request: HttpRequest) -> None:
    """The write happened: keep this request's hits."""
    request._rate_limit_confirmed = True  # type: ignore[attr-defined]


def rate_limited(scope: str, *, count_every: bool = False) -> Callable[[View], View]:
    """Limit the POSTs of a view (GETs only show forms and pass freely)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            hits, exceeded = take(request, scope)
            if exceeded is not None:
                _log_refusal(request, scope)
                return too_many_requests(request, seconds=retry_after(exceeded), scope=scope)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                if not count_every:
                    _give_back(hits)
                raise
            if not count_every and not getattr(request, "_rate_limit_confirmed", False):
                _give_back(hits)
            return response

        return wrapper

    return decorator
