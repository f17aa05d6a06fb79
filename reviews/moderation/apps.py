from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Decide in the queue (moderate), restrict members (sanction_member), read reports and
# the log, keep the removal reasons and watched words in the admin, and look at the
# posts of every moderated kind.
MODERATOR_PERMISSIONS = [
    "moderation.moderate",
    "moderation.sanction_member",
    "moderation.view_report",
    "moderation.view_moderationaction",
    "moderation.add_removalreason",
    "moderation.change_removalreason",
    "moderation.view_removalreason",
    "moderation.add_watchedword",
    "moderation.change_watchedword",
    "moderation.delete_watchedword",
    "moderation.view_watchedword",
]


def moderator_permissions() -> list[str]:
    from leonsite.lib import moderated

    views = [
        f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}"
        for kind in moderated.kinds()
    ]
    return MODERATOR_PERMISSIONS + views


class ModerationConfig(AppConfig):
    name = "reviews.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from leonsite.lib import groups, screening, slots

        from .services import WatchedWordScreener

        screening.install(WatchedWordScreener())
        slots.plug("profile.actions", "moderation/blocks/report_profile.html")
        groups.register(
            groups.Role(
                "moderator",
                "Moderators",
                moderator_permissions,
                "The queue, the log, restrictions, removal reasons and watched words.",
            )
        )
