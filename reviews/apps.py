from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Community"

    def ready(self):
        from . import search_index, security
        from .groups import ensure_moderators_group

        search_index.connect()
        security.connect()

        def create_group(sender, **kwargs):
            ensure_moderators_group()

        post_migrate.connect(create_group, sender=self, weak=False, dispatch_uid="moderators-group")
