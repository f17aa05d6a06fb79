from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from films.loading import DEFAULT_DATA_FILE, CatalogueDataError, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the Léon catalogue from the project's data file. Idempotent: only rows "
        "never loaded before are created; curators' edits and deletions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_DATA_FILE)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"No data file at {file}.")
        try:
            report = load_catalogue(file)
        except CatalogueDataError as exc:
            raise CommandError(str(exc)) from exc
        if report.total_created:
            detail = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Catalogue loaded: created {detail}."))
        else:
            self.stdout.write(f"Catalogue up to date: {report.kept} rows already loaded.")
