from django.conf import settings
from django.db import migrations, models

from leonsite.lib.text import skeleton


def backfill(apps, schema_editor):
    """Members who joined before confirmation links count as confirmed; their
    usernames' look-alike forms are recorded, the first holder of a form keeping it."""
    profiles = apps.get_model("accounts", "Profile").objects.using(schema_editor.connection.alias)
    taken, batch = set(), []
    for profile in profiles.select_related("user").order_by("pk").iterator(chunk_size=2000):
        profile.email_confirmed_at = profile.created_at
        form = skeleton(profile.user.username) if profile.deleted_at is None else ""
        profile.username_skeleton = form if form not in taken else ""
        taken.add(form)
        batch.append(profile)
        if len(batch) == 2000:
            profiles.bulk_update(batch, ["email_confirmed_at", "username_skeleton"])
            batch = []
    profiles.bulk_update(batch, ["email_confirmed_at", "username_skeleton"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="email_confirmed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Empty until the sign-up link is used.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="username_skeleton",
            field=models.CharField(blank=True, editable=False, max_length=150),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("username_skeleton", ""), _negated=True),
                fields=("username_skeleton",),
                name="accounts_profile_username_lookalike",
                violation_error_message="That username is taken, or looks too much like one.",
            ),
        ),
    ]
