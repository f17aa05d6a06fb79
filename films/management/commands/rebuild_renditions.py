"""Remake every catalogue picture's renditions from its stored original: after the widths
or formats change (a Pillow with AVIF, say), or when renditions were lost."""

from django.apps import apps
from django.core.management.base import BaseCommand

from films import pictures


class Command(BaseCommand):
    help = "Remake the renditions of every catalogue picture from its stored original."

    def handle(self, *args, **options):
        count = made = 0
        for kind in pictures.KINDS.values():
            model = apps.get_model(kind.model)
            field = model._meta.get_field(kind.field)
            for instance in model.objects.exclude(**{kind.field: ""}).iterator():
                # Pictures stored before sizes were kept get theirs now (read from the
                # file as the instance loaded), so pages can size them without opening it.
                instance.save(update_fields=[field.width_field, field.height_field])
                made += len(pictures.publish(getattr(instance, kind.field)))
                count += 1
        self.stdout.write(
            f"Rebuilt {count} picture{'s' if count != 1 else ''} ({made} renditions)."
        )
