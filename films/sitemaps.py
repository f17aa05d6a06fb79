from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Character, Film, Person, Quote


class LocalizedSitemap(Sitemap):
    """Every page once per language (English unprefixed, French under /fr/), each entry
    naming the others and x-default (the English page) as alternates."""

    i18n = True
    alternates = True
    x_default = True


class FilmSitemap(LocalizedSitemap):
    priority = 1.0

    def items(self):
        return Film.objects.order_by("pk")


class FilmSectionSitemap(LocalizedSitemap):
    sections = ("film-cast", "film-soundtrack", "film-quotes", "film-trivia", "film-scenes")
    priority = 0.7

    def items(self):
        slugs = Film.objects.order_by("pk").values_list("slug", flat=True)
        return [(name, slug) for slug in slugs for name in self.sections]

    def location(self, item):
        name, slug = item
        return reverse(f"films:{name}", kwargs={"slug": slug})


class CharacterSitemap(LocalizedSitemap):
    priority = 0.6

    def items(self):
        return Character.objects.select_related("film").order_by("pk")


class PersonSitemap(LocalizedSitemap):
    priority = 0.6

    def items(self):
        return Person.objects.order_by("pk")


class QuoteSitemap(LocalizedSitemap):
    priority = 0.5

    def items(self):
        return Quote.objects.order_by("pk")


sitemaps = {
    "films": FilmSitemap,
    "sections": FilmSectionSitemap,
    "characters": CharacterSitemap,
    "people": PersonSitemap,
    "quotes": QuoteSitemap,
}
