from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from films.groups import CURATORS, make_curator


class Command(BaseCommand):
    help = "Make an existing user a curator: staff access to the admin, in the Curators group."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            make_curator(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(
                f"No user named {username!r}. Create one first with createsuperuser or sign-up."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"{username} is now in the {CURATORS} group."))
