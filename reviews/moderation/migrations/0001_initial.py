"""The moderation tables move here from the community app, without losing a row.

Their state moves (SeparateDatabaseAndState); their content types are relabelled, so
reports, log entries, permissions and the groups holding them keep pointing at them;
then the tables, indexes and constraints take this app's names, and watched words are
folded the way posts now are.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["removalreason", "watchedword", "moderationaction", "report"]


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
    for model in MOVED:
        if content_types.filter(app_label=source, model=model).exists():
            _give_way(apps, schema_editor, target, model)
            content_types.filter(app_label=source, model=model).update(app_label=target)


def to_moderation(apps, schema_editor):
    _relabel(apps, schema_editor, "reviews", "moderation")


def to_reviews(apps, schema_editor):
    _relabel(apps, schema_editor, "moderation", "reviews")


def _fold(text):
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped.casefold().replace("_", " ")))


def refold_watched_words(apps, schema_editor):
    """Watched words are matched on folded text now (punctuation and spacing ignored)."""
    words = apps.get_model("moderation", "WatchedWord").objects.using(
        schema_editor.connection.alias
    )
    taken = set(words.values_list("normalized", flat=True))
    for word in words.order_by("pk"):
        folded = "*".join(_fold(part) for part in word.word.split("*")).strip()
        if folded and folded != word.normalized and folded not in taken:
            taken.discard(word.normalized)
            taken.add(folded)
            word.normalized = folded
            word.save(update_fields=["normalized"])


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
                    name="RemovalReason",
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
                        ("title", models.CharField(max_length=80, unique=True)),
                        (
                            "message",
                            models.TextField(
                                help_text="What the author reads, e.g. “Your review reveals the ending: …”.",
                                validators=[django.core.validators.MaxLengthValidator(1000)],
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(default=True, help_text="Offered in the queue."),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "reviews_removalreason",
                        "ordering": ["position", "title"],
                    },
                ),
                migrations.CreateModel(
                    name="WatchedWord",
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
                        (
                            "word",
                            models.CharField(
                                help_text="A word or phrase; * matches any letters (spam*).",
                                max_length=100,
                            ),
                        ),
                        (
                            "normalized",
                            models.CharField(editable=False, max_length=100, unique=True),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("block", "Block the post"),
                                    ("hold", "Hold the post for review"),
                                    ("report", "Publish it and report it to moderators"),
                                ],
                                default="hold",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "reviews_watchedword",
                        "ordering": ["normalized"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("action__in", ["block", "hold", "report"])),
                                name="reviews_watchedword_action_valid",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ModerationAction",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("report", "Reported"),
                                    ("auto_report", "Reported automatically (watched word)"),
                                    ("auto_hide", "Hidden automatically after reports"),
                                    ("hold", "Held for review (watched word)"),
                                    ("hide", "Hidden"),
                                    ("restore", "Restored"),
                                    ("dismiss", "Reports dismissed"),
                                    ("spoiler", "Marked as containing spoilers"),
                                    ("silence", "Silenced"),
                                    ("unsilence", "Silence lifted"),
                                    ("suspend", "Suspended"),
                                    ("unsuspend", "Suspension lifted"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("target_label", models.CharField(blank=True, max_length=200)),
                        ("reason", models.TextField(blank=True)),
                        ("until", models.DateTimeField(blank=True, null=True)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty for the system (automatic hides, holds and reports).",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="moderation_actions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "subject",
                            models.ForeignKey(
                                blank=True,
                                help_text="The member the action concerns (the item's author).",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="moderation_history",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_moderationaction",
                        "ordering": ["-created_at", "-pk"],
                        "get_latest_by": "created_at",
                        "indexes": [
                            models.Index(
                                fields=["-created_at", "-id"], name="reviews_modaction_new"
                            ),
                            models.Index(
                                fields=["subject", "-created_at"], name="reviews_modaction_subject"
                            ),
                            models.Index(
                                fields=["content_type", "object_id"], name="reviews_modaction_item"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Report",
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
                        ("object_id", models.PositiveBigIntegerField()),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("spam", "Spam or advertising"),
                                    ("harassment", "Harassment or a personal attack"),
                                    ("spoilers", "Unmarked spoilers"),
                                    ("minor", "Sexualises a minor character"),
                                    ("off_topic", "Off-topic"),
                                    ("other", "Something else"),
                                    ("watched", "Contains a watched word"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "details",
                            models.TextField(
                                blank=True,
                                validators=[django.core.validators.MaxLengthValidator(1000)],
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("upheld", "Upheld: a moderator acted"),
                                    ("dismissed", "Dismissed"),
                                ],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty for automatic reports (watched words).",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports_made",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "resolved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "subject",
                            models.ForeignKey(
                                help_text="The author of the reported item.",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports_against",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_report",
                        "ordering": ["-created_at", "-pk"],
                        "permissions": [
                            ("moderate", "Can hide, restore and dismiss reported content"),
                            ("sanction_member", "Can silence and suspend members"),
                        ],
                        "indexes": [
                            models.Index(
                                fields=["status", "content_type", "object_id"],
                                name="reviews_report_open_item",
                            ),
                            models.Index(
                                fields=["subject", "-created_at"], name="reviews_report_subject"
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("reporter", "content_type", "object_id"),
                                name="reviews_report_once_per_member",
                                violation_error_message="You have already reported this.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("status__in", ["open", "upheld", "dismissed"])),
                                name="reviews_report_status_valid",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_moderation, to_reviews),
        migrations.AlterModelTable(name="removalreason", table=None),
        migrations.AlterModelTable(name="watchedword", table=None),
        migrations.AlterModelTable(name="moderationaction", table=None),
        migrations.AlterModelTable(name="report", table=None),
        migrations.RenameIndex(
            model_name="moderationaction",
            new_name="moderation_action_new",
            old_name="reviews_modaction_new",
        ),
        migrations.RenameIndex(
            model_name="moderationaction",
            new_name="moderation_action_subject",
            old_name="reviews_modaction_subject",
        ),
        migrations.RenameIndex(
            model_name="moderationaction",
            new_name="moderation_action_item",
            old_name="reviews_modaction_item",
        ),
        migrations.RenameIndex(
            model_name="report",
            new_name="moderation_report_open_item",
            old_name="reviews_report_open_item",
        ),
        migrations.RenameIndex(
            model_name="report",
            new_name="moderation_report_subject",
            old_name="reviews_report_subject",
        ),
        migrations.RemoveConstraint(
            model_name="watchedword", name="reviews_watchedword_action_valid"
        ),
        migrations.AddConstraint(
            model_name="watchedword",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", ["block", "hold", "report"])),
                name="moderation_watchedword_action_valid",
            ),
        ),
        migrations.RemoveConstraint(model_name="report", name="reviews_report_once_per_member"),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("reporter", "content_type", "object_id"),
                name="moderation_report_once_per_member",
                violation_error_message="You have already reported this.",
            ),
        ),
        migrations.RemoveConstraint(model_name="report", name="reviews_report_status_valid"),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["open", "upheld", "dismissed"])),
                name="moderation_report_status_valid",
            ),
        ),
        migrations.RunPython(refold_watched_words, migrations.RunPython.noop),
    ]
