from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leonsite.lib import groups


class Command(BaseCommand):
    help = (
        "Give an existing member a staff role: staff access to the admin, in the role's "
        "group (curator: the catalogue; moderator: the queue, the log, reasons and words)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", choices=[role.name for role in groups.roles()])
        parser.add_argument("username")

    def handle(self, *args: Any, role: str, username: str, **options: Any) -> None:
        try:
            groups.grant_role(role, username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(
                f"No user named {username!r}. Create one first with createsuperuser or sign-up."
            ) from exc
        group = groups.role(role).group
        self.stdout.write(self.style.SUCCESS(f"{username} is now in the {group} group."))
