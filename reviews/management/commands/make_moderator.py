from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews.groups import MODERATORS, make_moderator


class Command(BaseCommand):
    help = (
        "Make an existing user a moderator: staff access (removal reasons and watched words "
        "in the admin), the queue and the log, in the Moderators group."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            make_moderator(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(
                f"No user named {username!r}. Create one first with createsuperuser or sign-up."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"{username} is now in the {MODERATORS} group."))
