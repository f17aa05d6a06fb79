"""Profiles and the moderation tables now belong to the accounts and moderation apps
(their migrations move the tables); here the community lets go of their state. Reviews
and comments take their creation time from a default, so generated data can set it."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_moderation"),
        ("accounts", "0001_initial"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="moderationaction",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="moderationaction",
                    name="content_type",
                ),
                migrations.RemoveField(
                    model_name="moderationaction",
                    name="subject",
                ),
                migrations.RemoveField(
                    model_name="profile",
                    name="hidden_by",
                ),
                migrations.RemoveField(
                    model_name="profile",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="RemovalReason",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="content_type",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="reporter",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="resolved_by",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="subject",
                ),
                migrations.DeleteModel(
                    name="WatchedWord",
                ),
                migrations.DeleteModel(
                    name="ModerationAction",
                ),
                migrations.DeleteModel(
                    name="Profile",
                ),
                migrations.DeleteModel(
                    name="Report",
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="comment",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="review",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
