from django.conf import settings

from .lib import caching


def site(request):
    # Read at most once per request, and only by a page that has cached fragments.
    versions = {
        name: caching.once(lambda name=name: caching.version(name)) for name in caching.NAMESPACES
    }
    return {
        "SITE_NAME": settings.SITE_NAME,
        "FEATURED_FILM_SLUG": settings.FEATURED_FILM_SLUG,
        "cache_version": versions,
    }
