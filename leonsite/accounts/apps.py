from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy


class AccountsConfig(AppConfig):
    name = "leonsite.accounts"
    label = "accounts"
    verbose_name = _("Members")

    def ready(self) -> None:
        from leonsite.lib import caching, moderated

        from . import security
        from .models import Profile

        security.connect()
        # Member names and avatars show in the community's cached fragments.
        caching.watch("community", [Profile])
        # Everything else a member's own copy of a page may show (their account, their
        # notifications, their watchlist), whichever app its model comes from.
        caching.watch_the_rest()
        moderated.register(
            moderated.ModeratedKind(
                name="profile",
                label=pgettext_lazy("moderated kind", "profile"),
                this_label=pgettext_lazy("a moderated item", "this profile"),
                model=Profile,
                author_field="user",
                reportable=lambda user: Profile.objects.filter(
                    deleted_at__isnull=True, hidden_at__isnull=True, user__is_active=True
                ),
                alive=lambda: Profile.objects.all(),
                describe=moderated.Description(
                    gettext_noop("Profile #%(pk)s"), lambda profile: {"pk": profile.pk}
                ),
                template="accounts/moderation/profile.html",
                related=("user",),
            )
        )
