"""Log entries keep a snapshot of what they are about; until now it ended with the
author's username ("Review #12 of Léon by alice"), which outlived a deleted account.
The snapshot now names the item only (the entry's subject names the member, and forgets
them with their account); older snapshots lose their trailing username."""

import re

from django.db import migrations

_BY_AUTHOR = re.compile(r" by \S+$")
_PROFILE_OF = re.compile(r"^Profile of \S+$")


def forget_names(apps, schema_editor):
    entries = apps.get_model("moderation", "ModerationAction").objects.using(
        schema_editor.connection.alias
    )
    for entry in entries.exclude(target_label="").iterator():
        label = entry.target_label
        if _PROFILE_OF.match(label):
            label = f"Profile #{entry.object_id}"
        else:
            label = _BY_AUTHOR.sub("", label)
        if label != entry.target_label:
            entries.filter(pk=entry.pk).update(target_label=label)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(forget_names, migrations.RunPython.noop)]
