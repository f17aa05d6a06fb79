"""Profiles move here from the community app, without losing a row: the state moves
(SeparateDatabaseAndState), the content type is relabelled (so permissions, groups,
reports and the admin's history keep pointing at it), then the table is renamed."""

import django.core.validators
import django.db.models.deletion
import leonsite.accounts.models
from django.conf import settings
from django.db import migrations, models


def _give_way(apps, schema_editor, app_label, model):
    """Drop an empty twin content type: `migrate` makes one for the other side after an
    earlier reversal. Its permissions go with it; a row still pointing at it makes the
    database refuse, and the migration rolls back."""
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType")
    twin = content_types.objects.using(db).filter(app_label=app_label, model=model).first()
    if twin is None:
        return
    apps.get_model("auth", "Permission").objects.using(db).filter(content_type=twin).delete()
    table = schema_editor.quote_name(content_types._meta.db_table)
    schema_editor.execute(f"DELETE FROM {table} WHERE id = %s", [twin.pk])


def _relabel(apps, schema_editor, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in ["profile"]:
        if content_types.filter(app_label=source, model=model).exists():
            _give_way(apps, schema_editor, target, model)
            content_types.filter(app_label=source, model=model).update(app_label=target)


def to_accounts(apps, schema_editor):
    _relabel(apps, schema_editor, "reviews", "accounts")


def to_reviews(apps, schema_editor):
    _relabel(apps, schema_editor, "accounts", "reviews")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("hidden_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        (
                            "hidden_cause",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("moderator", "Hidden by a moderator"),
                                    (
                                        "reports",
                                        "Hidden after several reports, until a moderator looks",
                                    ),
                                    ("held", "Held for review before it is published"),
                                ],
                                editable=False,
                                max_length=10,
                            ),
                        ),
                        (
                            "hidden_reason",
                            models.TextField(
                                blank=True,
                                editable=False,
                                help_text="What the author reads about the decision.",
                            ),
                        ),
                        ("display_name", models.CharField(blank=True, max_length=60)),
                        (
                            "bio",
                            models.TextField(
                                blank=True,
                                validators=[django.core.validators.MaxLengthValidator(1000)],
                            ),
                        ),
                        (
                            "avatar",
                            models.ImageField(
                                blank=True, upload_to=leonsite.accounts.models.avatar_upload_to
                            ),
                        ),
                        (
                            "deleted_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Set when the member deleted their account.",
                                null=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "silenced_until",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        ("silence_reason", models.TextField(blank=True, editable=False)),
                        (
                            "suspended_until",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        ("suspension_reason", models.TextField(blank=True, editable=False)),
                        (
                            "hidden_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["user__username"],
                        "db_table": "reviews_profile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_accounts, to_reviews),
        migrations.AlterModelTable(name="profile", table=None),
    ]
