from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Catalogue"

    def ready(self):
        from leonsite.lib import caching

        from . import search_index
        from .groups import ensure_curators_group

        search_index.connect()
        # Every catalogue fact a page can show; the seed ledger and search index are not.
        skip = {"SeedRecord", "SearchEntry"}
        caching.watch("catalogue", [m for m in self.get_models() if m.__name__ not in skip])

        def create_group(sender, **kwargs):
            ensure_curators_group()

        post_migrate.connect(create_group, sender=self, weak=False, dispatch_uid="curators-group")
