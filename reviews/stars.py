"""Half-star ratings (stored 1–10) written for people, in one place, in the active
language: "3.5 stars" in English, "3,5 étoiles" in French."""

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext


def stars(rating: int | None, style: str = "text") -> str:
    """`text`: "3.5 stars", "1 star", "half a star"; `glyphs`: "★★★½"; `short`: "3.5★"."""
    if not rating:
        return ""
    value = int(rating) / 2
    if style == "glyphs":
        whole, half = divmod(int(rating), 2)
        return "★" * whole + ("½" if half else "")
    if style == "short":  # the same in every language (search index, admin)
        return f"{value:g}★"
    if int(rating) == 1:
        return gettext("half a star")
    # The plural by the next whole number: "1.5 stars" (en), "1,5 étoiles" (fr).
    number = number_format(value, decimal_pos=1 if int(rating) % 2 else 0)
    count = (int(rating) + 1) // 2
    return ngettext("%(stars)s star", "%(stars)s stars", count) % {"stars": number}


# For choices made at import time (models, forms): worked out when shown.
stars_lazy = lazy(stars, str)
