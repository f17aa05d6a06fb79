"""The site's two languages: English at the unprefixed URLs, French under /fr/.

The language is part of the URL (i18n_patterns without a prefix for English), so each
page has one address per language, a cache entry per address, and hreflang links to the
other. The footer's switch also keeps the choice in Django's language cookie: a visitor
who chose French and opens an unprefixed page (a bookmark, a link from elsewhere) is sent
to its French address. Nothing is guessed from Accept-Language: an unprefixed URL is
English for everyone else, search engines included.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path, override


def chosen_language(request: HttpRequest) -> str | None:
    """The language the visitor's cookie names, if it is one of the site's."""
    value = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return value if value in dict(settings.LANGUAGES) else None


def url_in(url: str, language: str) -> str:
    """The same page's URL in another language (unchanged for a URL that has none, such
    as the API, the admin or an address that does not exist). The URL is resolved in its
    own language, whatever the request's."""
    path = urlsplit(url).path
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
    """English is the default, so choosing it deletes the cookie."""
    if language == settings.LANGUAGE_CODE:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


class RememberedLanguageMiddleware:
    """Send a visitor whose cookie names another language than the default from an
    unprefixed page to the same page in their language. Only GETs of pages that exist
    in that language; the API, the admin and the rest are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = chosen_language(request)
        if (
            language is not None
            and language != settings.LANGUAGE_CODE
            and request.method in ("GET", "HEAD")
            and get_language_from_path(request.path_info) is None
        ):
            here = request.get_full_path()
            there = url_in(here, language)
            if there != here:
                response: HttpResponseBase = HttpResponseRedirect(there)
                patch_vary_headers(response, ["Cookie"])
                return response
        return self.get_response(request)


def localized(url: str) -> str:
    """A site URL stored in English (the search index's) in the active language."""
    current = get_language()
    if current == settings.LANGUAGE_CODE or not url.startswith("/"):
        return url
    return url_in(url, current)
