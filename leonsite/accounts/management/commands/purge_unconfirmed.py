from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leonsite.accounts import services


class Command(BaseCommand):
    help = (
        "Delete sign-ups whose confirmation link was never used (they could not log in "
        "or post), freeing their usernames and addresses. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Older than this (7).")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        count = services.unconfirmed_purge(older_than=timedelta(days=days))
        self.stdout.write(self.style.SUCCESS(f"{count} unconfirmed sign-ups deleted."))
