"""The site's two languages: English at the unprefixed URLs, French under /fr/.

The language is part of the URL (i18n_patterns without a prefix for English), so each
page has one address per language, a cache entry per address, and hreflang links to the
other. An unprefixed page is where the language is chosen: a visitor whose choice (the
footer's switch, kept in Django's language cookie) or, failing that, whose browser
(Accept-Language) asks for French is sent to the French address; everyone else, and
every crawler that names no language, reads English there. The redirect happens before
any cache, so the cached English copy only ever reaches readers of English.
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_language_from_request,
    override,
)


def preferred_language(request: HttpRequest) -> str:
    """The visitor's language: the one they chose with the switch (Django's language
    cookie), else the first of their browser's languages the site speaks, else the
    default. Django's own reading, without the URL's prefix."""
    return get_language_from_request(request, check_path=False)


def url_in(url: str, language: str) -> str:
    """The same page's URL in another language (unchanged for a URL that has none, such
    as the API, the admin or an address that does not exist). The URL is resolved in its
    own language, whatever the request's."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return url  # another site's address: never rewritten into a redirect
    path = parts.path
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(url, language)


def language_of(url: str) -> str | None:
    """The language a site URL is in by its prefix ("fr" for /fr/...), or None for an
    unprefixed one (English pages, and the addresses outside the prefixes)."""
    return get_language_from_path(urlsplit(url).path)


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """(language, absolute URL) for each language the page exists in, then x-default
    (the English page); empty for a page outside the language prefixes."""
    path = request.get_full_path()
    urls = [(code, url_in(path, code)) for code, _name in settings.LANGUAGES]
    if len({url for _code, url in urls}) < len(urls):
        return []
    urls.append(("x-default", url_in(path, settings.LANGUAGE_CODE)))
    return [(code, request.build_absolute_uri(url)) for code, url in urls]


def remember(response: HttpResponseBase, language: str) -> None:
    """Every choice is kept, English too: it outweighs a French browser."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


class RememberedLanguageMiddleware:
    """Send a visitor who prefers another language than the default (by their choice or
    their browser's) from an unprefixed page to the same page in that language. Only
    GETs of pages that exist in that language; the API, the admin and the rest are left
    alone. The unprefixed pages' answers vary by both headers the choice reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Compared with reverse()'s output, so encoded ("/u/jos%C3%A9/"); "//host/..."
        # would read as another site's address and is never redirected.
        path = escape_uri_path(request.path)
        if (
            request.method not in ("GET", "HEAD")
            or get_language_from_path(request.path_info)
            or path.startswith("//")
        ):
            return self.get_response(request)
        addresses = addresses_of(path) if len(path) <= KEPT_PATH_MAX else _addresses(path)
        if addresses is None:
            return self.get_response(request)  # the API, the admin: one address for all
        there = addresses[preferred_language(request)]
        response: HttpResponseBase
        if there != path:
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(f"{there}?{query}" if query else there)
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


KEPT_PATH_MAX = 200  # longer paths (no page of the site has one) are resolved each time


def _addresses(path: str) -> dict[str, str] | None:
    """A page's address in each language, or None for one outside the language prefixes."""
    addresses = {code: url_in(path, code) for code, _name in settings.LANGUAGES}
    return addresses if len(set(addresses.values())) == len(addresses) else None


# Resolving costs about a tenth of a millisecond and every unprefixed request asks, so
# the answers are kept (URLs do not change while a process runs).
addresses_of = lru_cache(maxsize=2048)(_addresses)


def localized(url: str) -> str:
    """A site URL stored in English (the search index's) in the active language."""
    current = get_language()
    if current == settings.LANGUAGE_CODE or not url.startswith("/"):
        return url
    return url_in(url, current)
