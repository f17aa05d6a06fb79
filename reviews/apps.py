from django.apps import AppConfig
from django.db.models.signals import post_migrate

# What the community fragments show (leonsite/caching.py); the moderation tables are not
# shown by them, and a moderator's hide or restore saves the item itself.
COMMUNITY_MODELS = [
    "Profile",
    "Review",
    "FilmRatingStats",
    "Comment",
    "ReviewLike",
    "QuoteCollection",
    "CollectionItem",
    "CollectionLike",
]


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Community"

    def ready(self):
        from leonsite.lib import caching

        from . import search_index, security
        from .groups import ensure_moderators_group

        search_index.connect()
        security.connect()
        caching.watch(
            "community",
            [self.get_model(name) for name in COMMUNITY_MODELS],
        )

        def create_group(sender, **kwargs):
            ensure_moderators_group()

        post_migrate.connect(create_group, sender=self, weak=False, dispatch_uid="moderators-group")
