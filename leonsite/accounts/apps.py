from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        moderated.register(
            moderated.ModeratedKind(
                name="profile",
                label=_("profile"),
                model=Profile,
                author_field="user",
                reportable=lambda user: Profile.objects.filter(
                    deleted_at__isnull=True, hidden_at__isnull=True, user__is_active=True
                ),
                alive=lambda: Profile.objects.all(),
                describe=lambda profile: f"Profile #{profile.pk}",
                template="accounts/moderation/profile.html",
                related=("user",),
            )
        )
