"""A reader's progress through a film, for the pages: a member's is saved, a visitor's
is kept in their browser, in one cookie, so every page a visitor gets is still the same
for everyone at the same point of the film (and cached that way).

The cookie names the scene itself (its id), not its number: a curator renumbering or
deleting scenes cannot move a visitor past what they have seen. An id that is not one of
the film's scenes counts as nothing seen, so a page has one variant per scene, plus
"nothing" and "all", whatever cookies arrive.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from leonsite.lib.spoilers import NOTHING_SEEN, Progress

from . import selectors
from .models import Film, Scene

COOKIE = "watched"
MAX_FILMS = 20
ALL = "all"
_ENTRY = re.compile(r"^([A-Za-z0-9_-]{1,100}):(all|\d{1,12})$")


def _entries(request: HttpRequest) -> dict[str, str]:
    """The cookie's films and how far each was watched; anything malformed is ignored."""
    entries: dict[str, str] = {}
    for part in request.COOKIES.get(COOKIE, "").split("|")[:MAX_FILMS]:
        match = _ENTRY.match(part)
        if match:
            entries[match.group(1)] = match.group(2)
    return entries


def visitor_progress(request: HttpRequest, slug: str) -> Progress:
    value = _entries(request).get(slug)
    if value is None:
        return NOTHING_SEEN
    if value == ALL:
        return Progress(seen_all=True)
    order = selectors.scene_orders(slug).get(int(value))
    return NOTHING_SEEN if order is None else Progress(order=order)


def progress_of(request: HttpRequest, film: Film) -> Progress:
    """How far this reader has watched: saved for a member, from the browser otherwise."""
    user = request.user
    if user.is_authenticated:
        return selectors.progress_for(user, film)
    return visitor_progress(request, film.slug)


def progress_by_film(request: HttpRequest, films: Iterable[Film]) -> dict[int, Progress]:
    """`progress_of` for a page that spans films, in at most one query."""
    films = list({film.pk: film for film in films}.values())
    if request.user.is_authenticated:
        saved = selectors.progress_by_film(request.user, [film.pk for film in films])
        return {film.pk: saved.get(film.pk, NOTHING_SEEN) for film in films}
    return {film.pk: visitor_progress(request, film.slug) for film in films}


def page_variant(request: HttpRequest, *args: object, **kwargs: object) -> str:
    """The part of a visitor's page cache key that progress decides: by the film's slug
    (`film_slug` on a page under a film, such as a character's, else `slug`)."""
    slug = str(kwargs.get("film_slug") or kwargs.get("slug") or "")
    return visitor_progress(request, slug).key


def without_progress(request: HttpRequest, *args: object, **kwargs: object) -> str | None:
    """The variant of a page whose spoilers follow more than its URL's film (a person's
    films, a collection's quotes): one cached copy for the visitors who have marked no
    progress; the others get theirs rendered."""
    return None if COOKIE in request.COOKIES else ""


def remember(
    response: HttpResponse, request: HttpRequest, film: Film, scene: Scene | None, seen_all: bool
) -> None:
    """Keep a visitor's progress in their browser (a year; it is theirs alone)."""
    entries = _entries(request)
    entries.pop(film.slug, None)
    if seen_all:
        entries[film.slug] = ALL
    elif scene is not None:
        entries[film.slug] = str(scene.pk)
    value = "|".join(f"{slug}:{where}" for slug, where in list(entries.items())[-MAX_FILMS:])
    if value:
        response.set_cookie(
            COOKIE, value, max_age=365 * 86400, samesite="Lax", httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
