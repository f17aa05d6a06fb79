"""Send the day's e-mail digests of notifications (run it once a day: README)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews import notifications


class Command(BaseCommand):
    help = (
        "Mail each member who asked for it their unread notifications not mailed yet. "
        "Safe to run again, or twice at once: a member gets one digest a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="The day to send for (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as err:
                raise CommandError("Write the day as YYYY-MM-DD.") from err
        sent = notifications.send_digests(day=day)
        if options["verbosity"]:
            self.stdout.write(f"{sent} digest(s) sent.")
