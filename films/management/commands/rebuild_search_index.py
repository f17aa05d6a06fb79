from django.core.management.base import BaseCommand

from films import search


class Command(BaseCommand):
    help = "Rebuild the site search index from the database."

    def handle(self, *args, **options):
        counts = search.rebuild()
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {detail}."))
