"""The colour theme a visitor chose: light, dark, or whatever their device prefers.

Kept in one cookie and rendered on the server (`<html data-bs-theme>` and which
stylesheets apply), so the first paint is already right and no script is needed. Any
value other than the two explicit choices counts as "system": a whole-page cache keyed
by the theme holds at most three copies of a page, whatever cookies arrive.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

COOKIE = "theme"
LIGHT, DARK, SYSTEM = "light", "dark", "system"
CHOICES = [(SYSTEM, _("Auto")), (LIGHT, _("Light")), (DARK, _("Dark"))]
MAX_AGE = 365 * 86400


def theme_of(request: HttpRequest) -> str:
    value = request.COOKIES.get(COOKIE)
    return value if value in (LIGHT, DARK) else SYSTEM


def remember(response: HttpResponseBase, theme: str) -> None:
    """An explicit choice is kept a year; "system" is the default, so it needs no cookie."""
    if theme in (LIGHT, DARK):
        response.set_cookie(
            COOKIE, theme, max_age=MAX_AGE, samesite="Lax", httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
