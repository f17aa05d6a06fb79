from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Catalogue"

    def ready(self):
        from . import search_index
        from .groups import ensure_curators_group

        search_index.connect()

        def create_group(sender, **kwargs):
            ensure_curators_group()

        post_migrate.connect(create_group, sender=self, weak=False, dispatch_uid="curators-group")
