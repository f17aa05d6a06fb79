"""The community: profiles, reviews and ratings, comments, likes and quote collections,
and their moderation: reports, removal reasons, watched words and the moderation log.

`reviews` imports `films`, never the reverse. Counters (likes, rating statistics) are
written only by reviews/services.py and reviews/moderation.py, with F() expressions inside
the transaction that writes the row they count.

Nothing a moderator removes is destroyed: reviews, comments, collections and profiles
carry a hidden state (`Moderatable`) next to their untouched text.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from films.models import Film, Quote

from .markup import render_markdown

REVIEW_BODY_MAX = 20_000
COMMENT_BODY_MAX = 5_000
BIO_MAX = 1_000
DELETED_USER_LABEL = "a deleted user"
REPORT_DETAILS_MAX = 1_000
MODERATION_REASON_MAX = 1_000


class Moderatable(models.Model):
    """Hidden state of a post: set and cleared only by reviews/moderation.py, through
    save() (so signals such as the search index follow). The text itself is never
    touched, so a restore gives back exactly what was written."""

    class HiddenCause(models.TextChoices):
        MODERATOR = "moderator", "Hidden by a moderator"
        REPORTS = "reports", "Hidden after several reports, until a moderator looks"
        HELD = "held", "Held for review before it is published"

    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_cause = models.CharField(
        max_length=10, choices=HiddenCause.choices, blank=True, editable=False
    )
    hidden_reason = models.TextField(
        blank=True, editable=False, help_text="What the author reads about the decision."
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )

    HIDDEN_FIELDS = ("hidden_at", "hidden_cause", "hidden_reason", "hidden_by")

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return self.hidden_cause == self.HiddenCause.HELD


def avatar_upload_to(instance, filename):
    # The service re-encodes every avatar to WebP; the uploaded name is never used.
    return f"avatars/{uuid.uuid4().hex}.webp"


class Profile(Moderatable):
    """A member's public face, and the account restrictions moderators set on it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="profile", on_delete=models.CASCADE
    )
    display_name = models.CharField(max_length=60, blank=True)
    bio = models.TextField(blank=True, validators=[MaxLengthValidator(BIO_MAX)])
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the member deleted their account."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Restrictions lift by themselves: they hold while the date is in the future.
    silenced_until = models.DateTimeField(null=True, blank=True, editable=False)
    silence_reason = models.TextField(blank=True, editable=False)
    suspended_until = models.DateTimeField(null=True, blank=True, editable=False)
    suspension_reason = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["user__username"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:profile", kwargs={"username": self.user.username})

    @property
    def name(self):
        if self.deleted_at:
            return DELETED_USER_LABEL
        if self.is_hidden:
            return self.user.username  # a hidden display name is not shown either
        return self.display_name or self.user.username

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def author(self):
        return self.user


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees, counts and finds: not deleted, not hidden, not held."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def alive(self):
        """Not deleted by its author: hidden ones included (for the author and moderators)."""
        return self.filter(deleted_at__isnull=True)

    def for_film(self, film):
        return self.visible().filter(film=film)

    def with_people(self):
        return self.select_related("author__profile", "film")


def rating_validators():
    return [MinValueValidator(1), MaxValueValidator(10)]


class Review(Moderatable):
    """A member's rating of a film, in half stars stored as 1–10, with an optional text."""

    RATING_CHOICES = [(n, f"{n / 2:g} star{'s' if n != 2 else ''}") for n in range(1, 11)]

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.CASCADE
    )
    film = models.ForeignKey(Film, related_name="reviews", on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(
        choices=RATING_CHOICES, validators=rating_validators()
    )
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(REVIEW_BODY_MAX)],
        help_text="Markdown. Wrap a spoiler in ||double bars||.",
    )
    body_html = models.TextField(blank=True, editable=False)
    is_spoiler = models.BooleanField(
        "contains spoilers", default=False, help_text="Hide the whole text until a reader asks."
    )
    like_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=["film", "-created_at"], name="reviews_review_film_new"),
            models.Index(fields=["film", "-like_count"], name="reviews_review_film_liked"),
            models.Index(fields=["film", "rating"], name="reviews_review_film_rating"),
            models.Index(fields=["author", "-created_at"], name="reviews_review_author_new"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "film"],
                condition=Q(deleted_at__isnull=True),
                name="reviews_review_one_per_author_film",
                violation_error_message="You have already reviewed this film.",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=10),
                name="reviews_review_rating_1_10",
                violation_error_message="A rating goes from half a star to five stars.",
            ),
        ]

    def __str__(self):
        return f"{self.stars_display}★ {self.film.title} by {self.author.username}"

    def save(self, *args, **kwargs):
        # Derived from this row only: the sanitised HTML of its own body.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reviews:review-detail", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"review-{self.pk}"

    @property
    def stars(self) -> float:
        return self.rating / 2

    @property
    def stars_display(self) -> str:
        return f"{self.rating / 2:g}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class FilmRatingStats(models.Model):
    """Exact running totals of a film's visible reviews, kept by the review services."""

    film = models.OneToOneField(
        Film, primary_key=True, related_name="rating_stats", on_delete=models.CASCADE
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Sum of ratings (1–10 each).")
    b1 = models.PositiveIntegerField(default=0)
    b2 = models.PositiveIntegerField(default=0)
    b3 = models.PositiveIntegerField(default=0)
    b4 = models.PositiveIntegerField(default=0)
    b5 = models.PositiveIntegerField(default=0)
    b6 = models.PositiveIntegerField(default=0)
    b7 = models.PositiveIntegerField(default=0)
    b8 = models.PositiveIntegerField(default=0)
    b9 = models.PositiveIntegerField(default=0)
    b10 = models.PositiveIntegerField(default=0)

    MIN_FOR_AVERAGE = 5

    class Meta:
        verbose_name = "film rating statistics"
        verbose_name_plural = "film rating statistics"

    def __str__(self):
        return f"{self.film_id}: {self.count} ratings"

    @property
    def buckets(self) -> list[int]:
        return [getattr(self, f"b{n}") for n in range(1, 11)]

    @property
    def average(self) -> float | None:
        """Average in stars (0.5–5), or None below MIN_FOR_AVERAGE ratings."""
        if self.count < self.MIN_FOR_AVERAGE:
            return None
        return round(self.total / self.count / 2, 2)


class CommentQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def visible(self):
        return self.alive().filter(hidden_at__isnull=True)


class Comment(Moderatable):
    review = models.ForeignKey(Review, related_name="comments", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="comments", on_delete=models.CASCADE
    )
    body = models.TextField(validators=[MaxLengthValidator(COMMENT_BODY_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["review", "created_at"], name="reviews_comment_review")]

    def __str__(self):
        return f"Comment by {self.author.username} on review #{self.review_id}"

    def get_absolute_url(self):
        return self.review.get_absolute_url() + f"#comment-{self.pk}"


class ReviewLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="review_likes", on_delete=models.CASCADE
    )
    review = models.ForeignKey(Review, related_name="likes", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "review"], name="reviews_reviewlike_unique")
        ]

    def __str__(self):
        return f"{self.user_id} likes review {self.review_id}"


class CollectionQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def public(self):
        return self.alive().filter(
            visibility=QuoteCollection.Visibility.PUBLIC, hidden_at__isnull=True
        )

    def visible_to(self, user):
        """Collections this user may open: anything neither private nor hidden, and all
        their own (a hidden one shows its owner why)."""
        mine = Q(owner=user) if user.is_authenticated else Q(pk__in=[])
        shared = ~Q(visibility=QuoteCollection.Visibility.PRIVATE) & Q(hidden_at__isnull=True)
        return self.alive().filter(shared | mine)


class QuoteCollection(Moderatable):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: listed for everyone"
        UNLISTED = "unlisted", "Unlisted: anyone with the link"
        PRIVATE = "private", "Private: only me"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="collections", on_delete=models.CASCADE
    )
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, related_name="copies", on_delete=models.SET_NULL
    )
    like_count = models.PositiveIntegerField(default=0, editable=False)
    item_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CollectionQuerySet.as_manager()

    MAX_ITEMS = 500

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["visibility", "-like_count"], name="reviews_coll_popular"),
            models.Index(fields=["visibility", "-created_at"], name="reviews_coll_newest"),
            models.Index(fields=["owner", "-created_at"], name="reviews_coll_owner"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:collection-detail", kwargs={"pk": self.pk})

    @property
    def visibility_label(self) -> str:
        return self.visibility.capitalize()

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    @property
    def author(self):
        return self.owner


class CollectionItem(models.Model):
    collection = models.ForeignKey(QuoteCollection, related_name="items", on_delete=models.CASCADE)
    quote = models.ForeignKey(Quote, related_name="collection_items", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["collection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "position"], name="reviews_collectionitem_unique_position"
            ),
            models.UniqueConstraint(
                fields=["collection", "quote"],
                name="reviews_collectionitem_unique_quote",
                violation_error_message="This quote is already in the collection.",
            ),
        ]

    def __str__(self):
        return f"#{self.position} in {self.collection_id}: quote {self.quote_id}"

    def get_absolute_url(self):
        return self.collection.get_absolute_url() + f"#item-{self.pk}"


class CollectionLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="collection_likes", on_delete=models.CASCADE
    )
    collection = models.ForeignKey(QuoteCollection, related_name="likes", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collection"], name="reviews_collectionlike_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} likes collection {self.collection_id}"


# Moderation -----------------------------------------------------------------------------


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

    def __str__(self):
        return self.title


class WatchedWord(models.Model):
    """A word or phrase that blocks, holds or reports the posts containing it.

    Matched case- and accent-insensitively on word boundaries (see watchwords.py);
    `*` stands for any letters, so `spam*` also catches “spammer”.
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
                name="reviews_watchedword_action_valid",
            )
        ]

    def __str__(self):
        return f"{self.word} ({self.get_action_display().lower()})"

    def save(self, *args, **kwargs):
        from .watchwords import normalize

        self.normalized = normalize(self.word).strip()
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        from .watchwords import normalize

        self.normalized = normalize(self.word).strip()
        if not self.normalized.replace("*", "").strip():
            raise ValidationError({"word": "Enter a word or phrase, not only wildcards."})
        duplicate = WatchedWord.objects.filter(normalized=self.normalized).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"word": "This word is already watched."})


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)

    def for_item(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Report(models.Model):
    """A member's (or the watched words') report of a review, comment, collection or
    profile. One per member per item; three open ones from members hide the item."""

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
                fields=["status", "content_type", "object_id"], name="reviews_report_open_item"
            ),
            models.Index(fields=["subject", "-created_at"], name="reviews_report_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                name="reviews_report_once_per_member",
                violation_error_message="You have already reported this.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "upheld", "dismissed"]),
                name="reviews_report_status_valid",
            ),
        ]
        permissions = [
            ("moderate", "Can hide, restore and dismiss reported content"),
            ("sanction_member", "Can silence and suspend members"),
        ]

    def __str__(self):
        who = self.reporter.username if self.reporter_id else "watched words"
        item = f"{self.content_type.model} #{self.object_id}"
        return f"{self.get_reason_display()} report by {who} on {item}"

    def get_absolute_url(self):
        return (
            reverse("reviews:moderation-queue")
            + f"#item-{self.content_type.model}-{self.object_id}"
        )


class ModerationLogError(Exception):
    """The moderation log is append-only."""


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ModerationLogError("The moderation log is append-only: entries never change.")

    def delete(self):
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
            models.Index(fields=["-created_at", "-id"], name="reviews_modaction_new"),
            models.Index(fields=["subject", "-created_at"], name="reviews_modaction_subject"),
            models.Index(fields=["content_type", "object_id"], name="reviews_modaction_item"),
        ]

    def __str__(self):
        who = self.actor.username if self.actor_id else "system"
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {who}: {self.get_kind_display()} {self.target_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update"):
            raise ModerationLogError("The moderation log is append-only: entries never change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reviews:moderation-log") + f"#entry-{self.pk}"

    def delete(self, *args, **kwargs):
        raise ModerationLogError("The moderation log is append-only: entries are never deleted.")
