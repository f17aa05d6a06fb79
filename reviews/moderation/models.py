"""Moderation: reports, removal reasons, watched words and the permanent log.

What is moderated (reviews, comments, collections, profiles) is known only through the
registry in leonsite.lib.moderated; reports and log entries point at items through a
generic reference, so this app imports none of the apps it moderates.
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from leonsite.lib.text import fold

REPORT_DETAILS_MAX = 1_000
MODERATION_REASON_MAX = 1_000


class RemovalReason(models.Model):
    """A ready-made reason moderators pick from (edited in the admin); its message is
    copied into the decision, so editing a template never rewrites history."""

    title = models.CharField(max_length=80, unique=True)
    message = models.TextField(
        validators=[MaxLengthValidator(MODERATION_REASON_MAX)],
        help_text="What the author reads, e.g. “Your review reveals the ending: …”.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered in the queue.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


def fold_watched_word(word: str) -> str:
    """A watched word as it is matched: folded like the posts it is looked for in, with
    its `*` wildcards kept."""
    return "*".join(fold(part) for part in word.split("*")).strip()


class WatchedWord(models.Model):
    """A word or phrase that blocks, holds or reports the posts containing it.

    Matched on folded text (case, accents and punctuation ignored) on word boundaries
    (see watchwords.py); `*` stands for any letters, so `spam*` also catches “spammer”.
    """

    class Action(models.TextChoices):
        BLOCK = "block", "Block the post"
        HOLD = "hold", "Hold the post for review"
        REPORT = "report", "Publish it and report it to moderators"

    word = models.CharField(
        max_length=100, help_text="A word or phrase; * matches any letters (spam*)."
    )
    normalized = models.CharField(max_length=100, unique=True, editable=False)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["normalized"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["block", "hold", "report"]),
                name="moderation_watchedword_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.get_action_display().lower()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived from this row only: the folded form the matcher uses.
        self.normalized = fold_watched_word(self.word)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.normalized = fold_watched_word(self.word)
        if not self.normalized.replace("*", "").strip():
            raise ValidationError({"word": "Enter a word or phrase, not only wildcards."})
        duplicate = WatchedWord.objects.filter(normalized=self.normalized).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"word": "This word is already watched."})


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=Report.Status.OPEN)

    def for_item(self, item: models.Model) -> "ReportQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Report(models.Model):
    """A member's (or the watched words') report of a moderated item. One per member
    per item; enough open ones from members hide the item until a moderator looks."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        HARASSMENT = "harassment", "Harassment or a personal attack"
        SPOILERS = "spoilers", "Unmarked spoilers"
        MINOR = "minor", "Sexualises a minor character"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"
        WATCHED_WORD = "watched", "Contains a watched word"

    MEMBER_REASONS = [c for c in Reason.choices if c[0] != "watched"]

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld: a moderator acted"
        DISMISSED = "dismissed", "Dismissed"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="reports_against",
        on_delete=models.CASCADE,
        help_text="The author of the reported item.",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="reports_made",
        on_delete=models.CASCADE,
        help_text="Empty for automatic reports (watched words).",
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(blank=True, validators=[MaxLengthValidator(REPORT_DETAILS_MAX)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "content_type", "object_id"], name="moderation_report_open_item"
            ),
            models.Index(fields=["subject", "-created_at"], name="moderation_report_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                name="moderation_report_once_per_member",
                violation_error_message="You have already reported this.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "upheld", "dismissed"]),
                name="moderation_report_status_valid",
            ),
        ]
        permissions = [
            ("moderate", "Can hide, restore and dismiss reported content"),
            ("sanction_member", "Can silence and suspend members"),
        ]

    def __str__(self) -> str:
        who = self.reporter.username if self.reporter else "watched words"
        item = f"{self.content_type.model} #{self.object_id}"
        return f"{self.get_reason_display()} report by {who} on {item}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:queue") + f"#item-{self.content_type.model}-{self.object_id}"


class ModerationLogError(Exception):
    """The moderation log is append-only."""


class ModerationActionQuerySet(models.QuerySet["ModerationAction"]):
    def update(self, **kwargs: Any) -> int:
        raise ModerationLogError("The moderation log is append-only: entries never change.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ModerationLogError("The moderation log is append-only: entries are never deleted.")


class ModerationAction(models.Model):
    """One entry of the permanent moderation log: who did what to which item, and why.

    Append-only: save() refuses updates, delete() and the queryset's update()/delete()
    refuse too, and the admin shows it read-only. The item is a generic reference plus
    a text snapshot, so the entry outlives whatever happens to the item.
    """

    class Kind(models.TextChoices):
        REPORT = "report", "Reported"
        AUTO_REPORT = "auto_report", "Reported automatically (watched word)"
        AUTO_HIDE = "auto_hide", "Hidden automatically after reports"
        HOLD = "hold", "Held for review (watched word)"
        HIDE = "hide", "Hidden"
        RESTORE = "restore", "Restored"
        DISMISS = "dismiss", "Reports dismissed"
        SPOILER = "spoiler", "Marked as containing spoilers"
        SILENCE = "silence", "Silenced"
        UNSILENCE = "unsilence", "Silence lifted"
        SUSPEND = "suspend", "Suspended"
        UNSUSPEND = "unsuspend", "Suspension lifted"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        on_delete=models.PROTECT,
        help_text="Empty for the system (automatic hides, holds and reports).",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="moderation_history",
        on_delete=models.PROTECT,
        help_text="The member the action concerns (the item's author).",
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="moderation_action_new"),
            models.Index(fields=["subject", "-created_at"], name="moderation_action_subject"),
            models.Index(fields=["content_type", "object_id"], name="moderation_action_item"),
        ]

    def __str__(self) -> str:
        who = self.actor.username if self.actor else "system"
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {who}: {self.get_kind_display()} {self.target_label}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update"):
            raise ModerationLogError("The moderation log is append-only: entries never change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("moderation:log") + f"#entry-{self.pk}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ModerationLogError("The moderation log is append-only: entries are never deleted.")
