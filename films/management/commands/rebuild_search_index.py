from django.core.management.base import BaseCommand
from django.db import transaction

from films import search
from leonsite.lib.db import analyze, lift_statement_timeout


class Command(BaseCommand):
    help = "Rebuild the site search index from the database."

    def handle(self, *args, **options):
        with transaction.atomic():
            lift_statement_timeout()
            counts = search.rebuild()
        analyze()
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {detail}."))
