"""The read API's rate limit per client address."""

import logging
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from leonsite.lib import ratelimit

if TYPE_CHECKING:  # imported at run time, DRF's views would need this module first
    from rest_framework.views import APIView

logger = logging.getLogger("leonsite.security")


class AddressRateThrottle(BaseThrottle):
    """The site's own limits (RATE_LIMITS["api"], counted in the cache by
    leonsite.lib.ratelimit, the address read behind the same trusted proxies), so a
    client is known by one address everywhere, Redis counts atomically, and a cache
    outage lets requests through as it does for the site's forms. Over the limit DRF
    answers 429 with Retry-After.

    It is given DRF's request, whose user is always anonymous here (the API has no
    authentication), so counting reads no session."""

    scope = "api"
    _wait: int | None = None

    def allow_request(self, request: Request, view: "APIView") -> bool:
        asked = cast(HttpRequest, request)
        _, exceeded = ratelimit.take(asked, self.scope)
        if exceeded is None:
            return True
        self._wait = ratelimit.retry_after(exceeded)
        logger.warning("rate limit scope=%s ip=%s", self.scope, ratelimit.client_ip(asked))
        return False

    def wait(self) -> float | None:
        return self._wait
