"""Template filters for the site's languages: {% load languages %}."""

from django import template

from .language import localized

register = template.Library()


@register.filter(name="localized")
def localized_filter(url: str) -> str:
    """`{{ entry.url|localized }}`: a stored English URL in the page's language."""
    return localized(str(url))
