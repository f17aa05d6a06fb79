from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Character, Film, Person, Quote


class FilmSitemap(Sitemap):
    priority = 1.0

    def items(self):
        return Film.objects.order_by("pk")


class FilmSectionSitemap(Sitemap):
    sections = ("film-cast", "film-soundtrack", "film-quotes", "film-trivia", "film-scenes")
    priority = 0.7

    def items(self):
        slugs = Film.objects.order_by("pk").values_list("slug", flat=True)
        return [(name, slug) for slug in slugs for name in self.sections]

    def location(self, item):
        name, slug = item
        return reverse(f"films:{name}", kwargs={"slug": slug})


class CharacterSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return Character.objects.select_related("film").order_by("pk")


class PersonSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return Person.objects.order_by("pk")


class QuoteSitemap(Sitemap):
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
