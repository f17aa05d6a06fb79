"""The community: reviews and ratings, comments, likes and quote collections.

`reviews` imports `films`, never the reverse. Counters (likes, comments, items, rating
statistics) are written only by reviews/services.py, with F() expressions inside the
transaction that writes the row they count; every queryset here is a WatchedQuerySet,
so even a bulk write moves the community's cache version.

Nothing a moderator removes is destroyed: reviews, comments and collections carry a
hidden state (`Moderatable`) next to their untouched text.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from films.models import Film, Quote
from leonsite.lib.caching import WatchedQuerySet
from leonsite.lib.moderated import Moderatable

from .notification_kinds import Kind as NotificationKind
from .stars import stars, stars_lazy

REVIEW_BODY_MAX = 20_000
COMMENT_BODY_MAX = 5_000
COLLECTION_DESCRIPTION_MAX = 2_000
ITEM_NOTE_MAX = 500


class ReviewQuerySet(WatchedQuerySet["Review"]):
    def visible(self) -> "ReviewQuerySet":
        """What the public sees, counts and finds: not deleted, not hidden, not held."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def alive(self) -> "ReviewQuerySet":
        """Not deleted by its author: hidden ones included (for the author and moderators)."""
        return self.filter(deleted_at__isnull=True)

    def for_film(self, film: Film) -> "ReviewQuerySet":
        return self.visible().filter(film=film)

    def with_people(self) -> "ReviewQuerySet":
        return self.select_related("author__profile", "film")


def rating_validators() -> list[MinValueValidator | MaxValueValidator]:
    return [MinValueValidator(1), MaxValueValidator(10)]


class Review(Moderatable):
    """A member's rating of a film, in half stars stored as 1–10, with an optional text."""

    RATING_CHOICES = [(n, stars_lazy(n)) for n in range(1, 11)]

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="reviews",
        on_delete=models.CASCADE,
        verbose_name=_("author"),
    )
    film = models.ForeignKey(
        Film, related_name="reviews", on_delete=models.CASCADE, verbose_name=_("film")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=RATING_CHOICES, validators=rating_validators()
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    body = models.TextField(
        _("text"),
        blank=True,
        validators=[MaxLengthValidator(REVIEW_BODY_MAX)],
        help_text=_("Markdown. Wrap a spoiler in ||double bars||."),
    )
    # The body rendered by the services, outside the write's transaction, only when the
    # body changes (reviews/markup.py).
    body_html = models.TextField(blank=True, editable=False)
    is_spoiler = models.BooleanField(
        _("contains spoilers"),
        default=False,
        help_text=_("Hide the whole text until a reader asks."),
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    # A default rather than auto_now_add: generated data (seeding) sets its own dates.
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            # One per order of a film's reviews (selectors.REVIEW_SORTS), ties and all: a
            # page of a million reviews' "highest" sorted the top rating's tens of
            # thousands of rows on every cold read (90 ms) with the rating alone.
            models.Index(fields=["film", "-created_at", "-id"], name="reviews_review_film_newest"),
            models.Index(
                fields=["film", "-like_count", "-created_at", "-id"],
                name="reviews_review_film_likes",
            ),
            models.Index(
                fields=["film", "-rating", "-created_at", "-id"], name="reviews_review_film_highest"
            ),
            models.Index(
                fields=["film", "rating", "-created_at", "-id"], name="reviews_review_film_lowest"
            ),
            models.Index(fields=["author", "-created_at"], name="reviews_review_author_new"),
            # The latest reviews of every film (the home page): without it, a million
            # reviews were sorted on each cold read (1.6 s).
            models.Index(fields=["-created_at", "-id"], name="reviews_review_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "film"],
                condition=Q(deleted_at__isnull=True),
                name="reviews_review_one_per_author_film",
                violation_error_message=_("You have already reviewed this film."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=10),
                name="reviews_review_rating_1_10",
                violation_error_message=_("A rating goes from half a star to five stars."),
            ),
        ]

    def __str__(self):
        return f"{stars(self.rating, 'short')} {self.film.title} by {self.author.username}"

    def get_absolute_url(self):
        return reverse("reviews:review-detail", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"review-{self.pk}"

    @property
    def open_title(self) -> str:
        """The title outside the review's guard: a review flagged as a spoiler keeps its
        title behind the guard with the rest (a title can give the ending away)."""
        return "" if self.is_spoiler else self.title

    @property
    def stars(self) -> float:
        return self.rating / 2

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class FilmRatingStats(models.Model):
    """Exact running totals of a film's visible reviews, kept by the review services."""

    film = models.OneToOneField(
        Film, primary_key=True, related_name="rating_stats", on_delete=models.CASCADE
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text=_("Sum of ratings (1–10 each)."))
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

    objects = WatchedQuerySet.as_manager()

    class Meta:
        verbose_name = _("film rating statistics")
        verbose_name_plural = _("film rating statistics")

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


class CommentQuerySet(WatchedQuerySet["Comment"]):
    def alive(self) -> "CommentQuerySet":
        return self.filter(deleted_at__isnull=True)

    def visible(self) -> "CommentQuerySet":
        return self.alive().filter(hidden_at__isnull=True)


class Comment(Moderatable):
    """A comment on a review, or a reply to one: threads are one level deep, so a reply's
    parent is always a top-level comment of the same review (the services attach a reply
    to a reply to the thread's top)."""

    review = models.ForeignKey(
        Review, related_name="comments", on_delete=models.CASCADE, verbose_name=_("review")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="replies",
        on_delete=models.CASCADE,
        editable=False,
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="comments",
        on_delete=models.CASCADE,
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), validators=[MaxLengthValidator(COMMENT_BODY_MAX)])
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["review", "created_at"], name="reviews_comment_review")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="reviews_comment_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"Comment by {self.author.username} on review #{self.review_id}"

    def clean(self):
        # A check constraint cannot look at another row: the parent's review and depth are
        # checked here, which every write (reviews/services.py) runs through full_clean.
        parent = self.parent
        if parent is not None and (parent.review_id != self.review_id or parent.parent_id):
            raise ValidationError(
                {"parent": _("A reply answers a comment on the same review.")}, code="bad_parent"
            )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_absolute_url(self):
        return self.review.get_absolute_url() + f"#comment-{self.pk}"


class ReviewLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="review_likes", on_delete=models.CASCADE
    )
    review = models.ForeignKey(Review, related_name="likes", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "review"], name="reviews_reviewlike_unique")
        ]

    def __str__(self):
        return f"{self.user_id} likes review {self.review_id}"


class CollectionQuerySet(WatchedQuerySet["QuoteCollection"]):
    def alive(self) -> "CollectionQuerySet":
        return self.filter(deleted_at__isnull=True)

    def public(self) -> "CollectionQuerySet":
        return self.alive().filter(
            visibility=QuoteCollection.Visibility.PUBLIC, hidden_at__isnull=True
        )

    def visible_to(self, user: Any) -> "CollectionQuerySet":
        """Collections this user may open: anything neither private nor hidden, and all
        their own (a hidden one shows its owner why)."""
        mine = Q(owner=user) if user.is_authenticated else Q(pk__in=[])
        shared = ~Q(visibility=QuoteCollection.Visibility.PRIVATE) & Q(hidden_at__isnull=True)
        return self.alive().filter(shared | mine)


class QuoteCollection(Moderatable):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed for everyone")
        UNLISTED = "unlisted", _("Unlisted: anyone with the link")
        PRIVATE = "private", _("Private: only me")

    # The short badge beside a collection's title.
    VISIBILITY_BADGES = {
        "public": pgettext_lazy("collection visibility", "Public"),
        "unlisted": pgettext_lazy("collection visibility", "Unlisted"),
        "private": pgettext_lazy("collection visibility", "Private"),
    }

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="collections",
        on_delete=models.CASCADE,
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(COLLECTION_DESCRIPTION_MAX)]
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="copies",
        on_delete=models.SET_NULL,
        verbose_name=_("copied from"),
    )
    like_count = models.PositiveIntegerField(_("likes"), default=0, editable=False)
    item_count = models.PositiveIntegerField(_("quotes"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = CollectionQuerySet.as_manager()

    MAX_ITEMS = 500

    class Meta:
        verbose_name = _("quote collection")
        verbose_name_plural = _("quote collections")
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
        return str(self.VISIBILITY_BADGES.get(self.visibility, self.visibility))

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def author(self):
        return self.owner


class CollectionItem(models.Model):
    collection = models.ForeignKey(
        QuoteCollection,
        related_name="items",
        on_delete=models.CASCADE,
        verbose_name=_("collection"),
    )
    quote = models.ForeignKey(
        Quote, related_name="collection_items", on_delete=models.CASCADE, verbose_name=_("quote")
    )
    position = models.PositiveIntegerField(_("position"))
    note = models.CharField(_("note"), max_length=ITEM_NOTE_MAX, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        ordering = ["collection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "position"], name="reviews_collectionitem_unique_position"
            ),
            models.UniqueConstraint(
                fields=["collection", "quote"],
                name="reviews_collectionitem_unique_quote",
                violation_error_message=_("This quote is already in the collection."),
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

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collection"], name="reviews_collectionlike_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} likes collection {self.collection_id}"


# Follows and blocks between members (reviews/follows.py reads and writes them) ----------


class Follow(models.Model):
    """`follower` follows `followed`. Never oneself, never twice; a block removes it."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="following_links", on_delete=models.CASCADE
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="follower_links", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="reviews_follow_unique"),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed")), name="reviews_follow_not_self"
            ),
        ]
        # Both directions: whom a member follows, and who follows a member, newest first.
        indexes = [
            models.Index(fields=["follower", "-created_at"], name="reviews_follow_follower"),
            models.Index(fields=["followed", "-created_at"], name="reviews_follow_followed"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows {self.followed_id}"


class BlockQuerySet(WatchedQuerySet["Block"]):
    def between(self, a: int, b: int) -> "BlockQuerySet":
        """The blocks between two members (by id), in either direction."""
        return self.filter(Q(blocker_id=a, blocked_id=b) | Q(blocker_id=b, blocked_id=a))


class Block(models.Model):
    """`blocker` blocks `blocked`: no follow either way, no like or comment on the
    blocker's posts. Never oneself, never twice."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="blocks_given", on_delete=models.CASCADE
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="blocks_received", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="reviews_block_unique"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="reviews_block_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["blocker", "-created_at"], name="reviews_block_blocker"),
            models.Index(fields=["blocked", "blocker"], name="reviews_block_blocked"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


# A member's film life: the diary of viewings, the watchlist and who may see them -------

DIARY_NOTE_MAX = 500
DIARY_TAGS_MAX = 300  # the tags as stored: lower-cased, comma-separated


class FilmLifeVisibility(models.TextChoices):
    """Who sees a member's diary, watchlist or activity (reviews/selectors.py: may_see)."""

    PUBLIC = "public", _("Public: anyone")
    FOLLOWERS = "followers", _("Followers: members who follow you")
    PRIVATE = "private", _("Private: only you")


class FilmLifeSettings(models.Model):
    """Who may see a member's diary, watchlist and activity; no row means all public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        related_name="film_life_settings",
        on_delete=models.CASCADE,
    )
    diary_visibility = models.CharField(
        _("Who sees your diary"),
        max_length=10,
        choices=FilmLifeVisibility.choices,
        default=FilmLifeVisibility.PUBLIC,
    )
    watchlist_visibility = models.CharField(
        _("Who sees your watchlist"),
        max_length=10,
        choices=FilmLifeVisibility.choices,
        default=FilmLifeVisibility.PUBLIC,
    )
    activity_visibility = models.CharField(
        _("Who sees your activity in their feed"),
        max_length=10,
        choices=FilmLifeVisibility.choices,
        default=FilmLifeVisibility.PUBLIC,
        help_text=_("Your reviews, viewings, new collections and likes, as they happen."),
    )

    objects = WatchedQuerySet.as_manager()

    def __str__(self):
        return (
            f"{self.user_id}: diary {self.diary_visibility}, watchlist "
            f"{self.watchlist_visibility}, activity {self.activity_visibility}"
        )


class DiaryEntryQuerySet(WatchedQuerySet["DiaryEntry"]):
    def visible(self) -> "DiaryEntryQuerySet":
        return self.filter(hidden_at__isnull=True)


class DiaryEntry(Moderatable):
    """One viewing of a film. Its rating is the rating given that time (the diary's
    history); the member's rating of the film is their review's (reviews/diary.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="diary_entries", on_delete=models.CASCADE
    )
    film = models.ForeignKey(Film, related_name="diary_entries", on_delete=models.CASCADE)
    watched_on = models.DateField(_("Date watched"))
    rewatch = models.BooleanField(_("I had seen it before"), default=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=Review.RATING_CHOICES, validators=rating_validators()
    )
    liked = models.BooleanField(_("Liked"), default=False)
    tags = models.CharField(_("Tags"), max_length=DIARY_TAGS_MAX, blank=True)
    note = models.TextField(_("Note"), blank=True, validators=[MaxLengthValidator(DIARY_NOTE_MAX)])
    review = models.ForeignKey(
        Review, null=True, blank=True, related_name="diary_entries", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-watched_on", "-pk"]
        verbose_name_plural = "diary entries"
        indexes = [
            models.Index(fields=["user", "-watched_on", "-id"], name="reviews_diary_user_date"),
            models.Index(fields=["user", "film", "-watched_on"], name="reviews_diary_user_film"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=10)),
                name="reviews_diaryentry_rating_1_10",
            ),
        ]

    def __str__(self):
        return f"{self.film_id} watched by {self.user_id} on {self.watched_on}"

    @property
    def author(self):
        return self.user

    def get_absolute_url(self):
        return (
            reverse("reviews:member-diary", kwargs={"username": self.user.username})
            + f"#{self.anchor}"
        )

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"


class WatchlistItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="watchlist", on_delete=models.CASCADE
    )
    film = models.ForeignKey(Film, related_name="watchlisted", on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-added_at", "-pk"]
        indexes = [models.Index(fields=["user", "-added_at", "-id"], name="reviews_watchlist_user")]
        constraints = [
            models.UniqueConstraint(fields=["user", "film"], name="reviews_watchlist_unique")
        ]

    def __str__(self):
        return f"{self.film_id} on {self.user_id}'s watchlist"


# What members did, for their followers' feeds (reviews/activity.py) ---------------------


class Activity(models.Model):
    """One thing a member did, pointing at what they did it to. Written once per action,
    whoever follows the member (the feed reads the rows of the members a reader follows);
    whether the target is still shown (hidden, deleted, private) is read with it, never
    copied here."""

    class Verb(models.TextChoices):
        REVIEWED = "reviewed", _("reviewed or rated a film")
        LOGGED = "logged", _("logged a viewing")
        COLLECTED = "collected", _("started a quote collection")
        LIKED_REVIEW = "liked_review", _("liked a review")
        LIKED_COLLECTION = "liked_collection", _("liked a quote collection")

    # The composite index below leads with the actor: no index of its own.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="activities",
        on_delete=models.CASCADE,
        db_index=False,
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    review = models.ForeignKey(
        Review, null=True, blank=True, related_name="activities", on_delete=models.CASCADE
    )
    collection = models.ForeignKey(
        QuoteCollection,
        null=True,
        blank=True,
        related_name="activities",
        on_delete=models.CASCADE,
    )
    diary_entry = models.ForeignKey(
        DiaryEntry, null=True, blank=True, related_name="activities", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at", "-id"], name="reviews_activity_actor_new"),
            # A feed walks the newest rows in order and stops at a page's worth.
            models.Index(fields=["-created_at", "-id"], name="reviews_activity_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        verb__in=["reviewed", "liked_review"],
                        review__isnull=False,
                        collection__isnull=True,
                        diary_entry__isnull=True,
                    )
                    | Q(
                        verb__in=["collected", "liked_collection"],
                        review__isnull=True,
                        collection__isnull=False,
                        diary_entry__isnull=True,
                    )
                    | Q(
                        verb="logged",
                        review__isnull=True,
                        collection__isnull=True,
                        diary_entry__isnull=False,
                    )
                ),
                name="reviews_activity_target_fits_verb",
            ),
            # Once per review, per collection, per viewing; a like once per member and item.
            models.UniqueConstraint(
                fields=["verb", "review"],
                condition=Q(verb="reviewed"),
                name="reviews_activity_one_per_review",
            ),
            models.UniqueConstraint(
                fields=["verb", "collection"],
                condition=Q(verb="collected"),
                name="reviews_activity_one_per_collection",
            ),
            models.UniqueConstraint(
                fields=["actor", "verb", "review"],
                condition=Q(verb="liked_review"),
                name="reviews_activity_one_like_per_review",
            ),
            models.UniqueConstraint(
                fields=["actor", "verb", "collection"],
                condition=Q(verb="liked_collection"),
                name="reviews_activity_one_like_per_collection",
            ),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.verb} at {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    @property
    def target(self) -> Any:
        return self.review or self.collection or self.diary_entry

    @property
    def dom_prefix(self) -> str:
        """Prefixes the ids of the target's markup: a feed may show one review twice."""
        return f"activity-{self.pk}-"


class LetterboxdFilm(models.Model):
    """A Letterboxd address a member's import matched to a film (reviews/letterboxd.py):
    their next import matches it by address, and their export gives it back. Each
    member's own: a crafted file can then only ever mislead its own author."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="letterboxd_films", on_delete=models.CASCADE
    )
    uri = models.URLField(_("Letterboxd URI"), max_length=200)
    film = models.ForeignKey(Film, related_name="letterboxd_uris", on_delete=models.CASCADE)
    # The film's own page (ratings, watchlist, likes), not one of its diary entries': only
    # those are given back in an export.
    is_film_page = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "uri"]
        constraints = [
            models.UniqueConstraint(fields=["user", "uri"], name="reviews_letterboxd_user_uri")
        ]

    def __str__(self):
        return f"{self.uri} → {self.film_id} for {self.user_id}"


# Notifications (reviews/notifications.py writes and reads them) -----------------------


class NotificationQuerySet(WatchedQuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_page(self) -> "NotificationQuerySet":
        """Everything a list of notifications shows, in one query, whatever their number
        (but the recipient: a list is one member's, who is known)."""
        return self.select_related(
            "actor__profile", "review__film", "collection", "comment__review__film"
        )


class Notification(models.Model):
    """Something that happened to a member's posts or account.

    A burst of the same kind on the same target is one row while it is unread: `actor`
    is the latest member, `count` how many events it holds. `group_key` names that
    burst; the database keeps one unread row per (recipient, group_key), so concurrent
    events add up on it (notifications.notify). Once read, the next event opens a new
    row: the member is told only about what is new since they looked.

    Private to the recipient and in no cached page: a plain queryset, not a watched one
    (the unread count has its own per-member version, reviews/notifications.py).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="notifications", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="notifications_caused",
        on_delete=models.SET_NULL,
    )
    count = models.PositiveIntegerField(default=1)
    # What it is about: at most one of these (explicit keys: one joined query per page).
    review = models.ForeignKey(
        Review, null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    collection = models.ForeignKey(
        QuoteCollection, null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    # A moderated item with no key above (a profile, a diary entry...): its kind's name.
    item_kind = models.CharField(max_length=30, blank=True)
    # Moderators' reason, or the date a restriction ends.
    reason = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)
    group_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at", "-id"], name="reviews_notif_page"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="reviews_notif_unread",
            ),
        ]
        constraints = [
            # One open (unread) burst per target: concurrent events meet on this row.
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
                name="reviews_notif_one_open_group",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="reviews_notif_count_1"),
        ]

    def __str__(self):
        return f"{self.kind} ×{self.count} for {self.recipient_id}"

    def get_absolute_url(self):
        return reverse("reviews:notification-list")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(models.Model):
    """Which notifications a member gets (no row: all of them, no e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        related_name="notification_settings",
        on_delete=models.CASCADE,
    )
    # Switches (notification_kinds.Switch) the member turned off.
    muted = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(
        _("E-mail me a daily digest"),
        default=False,
        help_text=_("Once a day, the unread notifications of the kinds chosen above."),
    )
    # The digest's language: the one the member used when they chose it.
    language = models.CharField(max_length=10, blank=True)

    objects = WatchedQuerySet.as_manager()

    def __str__(self):
        return f"{self.user_id}: muted {self.muted}, digest {self.digest}"


class DigestSent(models.Model):
    """One daily digest per member and day, written before it is sent: a second run, or
    one running at the same time, finds the row and sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="digests_sent", on_delete=models.CASCADE
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reviews_digest_once_a_day")
        ]

    def __str__(self):
        return f"digest for {self.user_id} on {self.day}"
