from django.conf import settings
from django.utils.functional import SimpleLazyObject

from leonsite.accounts.models import Profile

from .forms import ThemeForm
from .lib import caching, language, theme


def _shows_members_spoilers(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and Profile.objects.for_user(user).show_members_spoilers
    )


def site(request):
    # Read at most once per request (every namespace in one round trip), and only by a
    # page that has cached fragments.
    versions = SimpleLazyObject(
        lambda: dict(zip(caching.NAMESPACES, caching.versions(*caching.NAMESPACES), strict=True))
    )
    chosen = theme.theme_of(request)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "THEME": chosen,
        "theme_form": SimpleLazyObject(
            lambda: ThemeForm(initial={"theme": chosen, "next": request.get_full_path()})
        ),
        # The page's address in each language, for hreflang links.
        "language_alternates": SimpleLazyObject(lambda: language.alternates(request)),
        "FEATURED_FILM_SLUG": settings.FEATURED_FILM_SLUG,
        "cache_version": versions,
        # A member's own choice: the spoilers in other members' posts open without asking.
        "show_members_spoilers": SimpleLazyObject(lambda: _shows_members_spoilers(request)),
    }
