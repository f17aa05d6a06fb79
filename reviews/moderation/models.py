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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leonsite.lib.caching import WatchedQuerySet
from leonsite.lib.text import fold

REPORT_DETAILS_MAX = 1_000
MODERATION_REASON_MAX = 1_000


class RemovalReason(models.Model):
    """A ready-made reason moderators pick from (edited in the admin); its message is
    copied into the decision, so editing a template never rewrites history."""

    title = models.CharField(_("title"), max_length=80, unique=True)
    message = models.TextField(
        _("message"),
        validators=[MaxLengthValidator(MODERATION_REASON_MAX)],
        help_text=_("What the author reads, e.g. “Your review reveals the ending: …”."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Offered in the queue."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("removal reason")
        verbose_name_plural = _("removal reasons")
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
        BLOCK = "block", _("Block the post")
        HOLD = "hold", _("Hold the post for review")
        REPORT = "report", _("Publish it and report it to moderators")

    word = models.CharField(
        _("word"), max_length=100, help_text=_("A word or phrase; * matches any letters (spam*).")
    )
    normalized = models.CharField(max_length=100, unique=True, editable=False)
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.HOLD
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
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
            raise ValidationError({"word": _("Enter a word or phrase, not only wildcards.")})
        duplicate = WatchedWord.objects.filter(normalized=self.normalized).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"word": _("This word is already watched.")})


class ReportQuerySet(WatchedQuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=Report.Status.OPEN)

    def for_item(self, item: models.Model) -> "ReportQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Report(models.Model):
    """A member's (or the watched words') report of a moderated item. One per member
    per item; enough open ones from members hide the item until a moderator looks."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        HARASSMENT = "harassment", _("Harassment or a personal attack")
        SPOILERS = "spoilers", _("Unmarked spoilers")
        MINOR = "minor", _("Sexualises a minor character")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")
        WATCHED_WORD = "watched", _("Contains a watched word")

    MEMBER_REASONS = [c for c in Reason.choices if c[0] != "watched"]

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        UPHELD = "upheld", _("Upheld: a moderator acted")
        DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subject"),
        related_name="reports_against",
        on_delete=models.CASCADE,
        help_text=_("The author of the reported item."),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        related_name="reports_made",
        on_delete=models.CASCADE,
        help_text=_("Empty for automatic reports (watched words)."),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    details = models.TextField(
        _("details"), blank=True, validators=[MaxLengthValidator(REPORT_DETAILS_MAX)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
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
        verbose_name = _("report")
        verbose_name_plural = _("reports")
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
                violation_error_message=_("You have already reported this."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "upheld", "dismissed"]),
                name="moderation_report_status_valid",
            ),
        ]
        permissions = [
            ("moderate", _("Can hide, restore and dismiss reported content")),
            ("sanction_member", _("Can silence and suspend members")),
        ]

    def __str__(self) -> str:
        who = self.reporter.username if self.reporter else "watched words"
        item = f"{self.content_type.model} #{self.object_id}"
        return f"{self.get_reason_display()} report by {who} on {item}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:queue") + f"#item-{self.content_type.model}-{self.object_id}"


class ModerationLogError(Exception):
    """The moderation log is append-only."""


class ModerationActionQuerySet(WatchedQuerySet["ModerationAction"]):
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
        REPORT = "report", _("Reported")
        AUTO_REPORT = "auto_report", _("Reported automatically (watched word)")
        AUTO_HIDE = "auto_hide", _("Hidden automatically after reports")
        HOLD = "hold", _("Held for review (watched word)")
        HIDE = "hide", pgettext_lazy("moderation log", "Hidden")
        RESTORE = "restore", pgettext_lazy("moderation log", "Restored")
        DISMISS = "dismiss", _("Reports dismissed")
        SPOILER = "spoiler", _("Marked as containing spoilers")
        SILENCE = "silence", pgettext_lazy("moderation log", "Silenced")
        UNSILENCE = "unsilence", _("Silence lifted")
        SUSPEND = "suspend", pgettext_lazy("moderation log", "Suspended")
        UNSUSPEND = "unsuspend", _("Suspension lifted")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        related_name="moderation_actions",
        on_delete=models.PROTECT,
        help_text=_("Empty for the system (automatic hides, holds and reports)."),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subject"),
        null=True,
        blank=True,
        related_name="moderation_history",
        on_delete=models.PROTECT,
        help_text=_("The member the action concerns (the item's author)."),
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("target label"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
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
