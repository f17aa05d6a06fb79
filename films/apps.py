from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The load ledger, the search index and members' progress are not curated facts.
NOT_CURATED = {"SeedRecord", "SearchEntry", "SearchWord", "WatchProgress", "Correction"}
# Fans' suggested corrections: curators read and decide them, never add or delete one.
CORRECTION_PERMISSIONS = ["films.view_correction", "films.change_correction"]
FILM_TABS = [
    ("Overview", "films:film-detail", 10),
    ("Cast & crew", "films:film-cast", 20),
    ("Soundtrack", "films:film-soundtrack", 30),
    ("Quotes", "films:film-quotes", 40),
    ("Scenes", "films:film-scenes", 50),
    ("Trivia & awards", "films:film-trivia", 60),
]


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Catalogue"

    def curated_models(self) -> list:
        return [m for m in self.get_models() if m.__name__ not in NOT_CURATED]

    def curator_permissions(self) -> list[str]:
        """Full control of every catalogue fact, and the queue of fans' corrections."""
        return [
            f"films.{action}_{model._meta.model_name}"
            for model in self.curated_models()
            for action in ("add", "change", "delete", "view")
        ] + CORRECTION_PERMISSIONS

    def ready(self) -> None:
        from leonsite.lib import caching, groups, slots

        from . import search_index

        search_index.connect()
        post_migrate.connect(search_index.rebuild_after_migrate, sender=self)
        caching.watch("catalogue", self.curated_models())
        groups.register(
            groups.Role("curator", "Curators", self.curator_permissions, "The catalogue.")
        )
        for label, url_name, order in FILM_TABS:
            slots.plug_link("film.tabs", label, url_name, order=order)
