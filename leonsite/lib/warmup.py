"""Work a server process does once, before its first request."""

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.template import engines
from django.urls import reverse

logger = logging.getLogger(__name__)


def compile_templates() -> int:
    """Parse every project template into the engine's cache. Without it, the first
    visitor of each page after a deploy waits for its templates to be parsed (the home
    page's first request took two seconds, most of it here and in the database)."""
    engine = engines["django"]
    count = 0
    configured = cast(list[str], settings.TEMPLATES[0]["DIRS"])
    directories = [Path(d) for d in configured]
    for directory in directories:
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
            count += 1
    return count


def warm_pages(paths: Iterable[str]) -> int:
    """Serve `paths` once, signed out, through the whole stack, before the first
    visitor: the process's database connection, its lazy imports and the shared cache's
    fragments (a deploy starts them under a new prefix) are then ready, and the first
    visitors of the busiest pages after a deploy do not pay for them (the home page's
    first request took 100 ms, a warm one 1). The first page that fails is logged and
    ends the warm-up: a server that cannot reach its database now still starts, at
    once, and serves. Returns how many answered 200."""
    handler = WSGIHandler()
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost"
    served = 0
    for path in paths:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "HTTP_HOST": host,
            # Behind the TLS proxy: a plain request would only get the redirect to HTTPS.
            "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        }
        setup_testing_defaults(environ)
        try:
            response = handler(environ, _ignore_start)
            try:
                b"".join(response)
            finally:
                response.close()
        except Exception:  # noqa: BLE001 - warming up is best effort
            logger.warning("warm-up of %s failed", path, exc_info=True)
            break
        if response.status_code != 200:
            logger.warning("warm-up of %s answered %s", path, response.status_code)
            break
        served += 1
    return served


def _ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    return None


def busiest_pages() -> list[str]:
    """The pages most visitors land on: the home page, the featured film's and its
    reviews."""
    slug = settings.FEATURED_FILM_SLUG
    return [
        reverse("home"),
        reverse("films:film-detail", kwargs={"slug": slug}),
        reverse("reviews:film-reviews", kwargs={"slug": slug}),
    ]
