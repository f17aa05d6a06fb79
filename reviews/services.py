"""Every community write, with its rules; the site's views and the admin both call these.

Keyword-only arguments; `full_clean()` before saving; one transaction per write. Counters
(rating statistics, likes, comments, items) move with F() expressions inside the same
transaction as the row they count, so concurrent writes never lose an update. Counters
count what the public sees: hidden and held posts stay out.

Every text a member publishes goes through leonsite.lib.screening.publishing(): a
blocked word refuses the write, a held one saves the post hidden until a moderator
looks, a reported one publishes it and files an automatic report. Every queryset write
here moves the community's cache version (models.WatchedQuerySet).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from films.models import Film, Quote
from leonsite.lib import screening

from . import follows, notifications
from .markup import render_markdown
from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    QuoteCollection,
    Review,
    ReviewLike,
)
from .notification_kinds import Kind

DUPLICATE_REVIEW = _("You have already reviewed this film.")


class DuplicateReview(ValidationError):
    def __init__(self, existing: Review | None):
        super().__init__(DUPLICATE_REVIEW, code="duplicate_review")
        self.existing = existing


# Rating statistics ----------------------------------------------------------------------


def _stats_change(film_id: int, *, count: int, total: int, buckets: dict[int, int]) -> None:
    # The row may not exist yet: create it race-free, then move it with F() expressions
    # (the UPDATE takes the row lock, so concurrent changes add up exactly).
    FilmRatingStats.objects.bulk_create([FilmRatingStats(film_id=film_id)], ignore_conflicts=True)
    changes: dict[str, Any] = {"count": F("count") + count, "total": F("total") + total}
    for rating, delta in buckets.items():
        if delta:
            changes[f"b{rating}"] = F(f"b{rating}") + delta
    FilmRatingStats.objects.filter(film_id=film_id).update(**changes)


def _review_counts(review: Review, delta: int) -> None:
    """The review enters (+1) or leaves (-1) its film's statistics."""
    _stats_change(
        review.film_id, count=delta, total=delta * review.rating, buckets={review.rating: delta}
    )


def stats_recompute(*, film: Film) -> FilmRatingStats:
    """Rebuild a film's statistics from its visible reviews (repair and invariant checks)."""
    with transaction.atomic():
        FilmRatingStats.objects.bulk_create([FilmRatingStats(film=film)], ignore_conflicts=True)
        stats = FilmRatingStats.objects.select_for_update().get(film=film)
        ratings = list(Review.objects.for_film(film).values_list("rating", flat=True))
        stats.count = len(ratings)
        stats.total = sum(ratings)
        for n in range(1, 11):
            setattr(stats, f"b{n}", ratings.count(n))
        stats.save()
    return stats


def visibility_changed(item: Model, delta: int) -> None:
    """A moderator hid (-1) or restored (+1) a post: move what counts it."""
    if isinstance(item, Review) and item.deleted_at is None:
        _review_counts(item, delta)
    elif isinstance(item, Comment) and item.deleted_at is None:
        Review.objects.filter(pk=item.review_id).update(comment_count=F("comment_count") + delta)


# Reviews --------------------------------------------------------------------------------


def review_create(
    *,
    author: Any,
    film: Film,
    rating: int,
    title: str = "",
    body: str = "",
    is_spoiler: bool = False,
) -> Review:
    review = Review(
        author=author, film=film, rating=rating, title=title, body=body, is_spoiler=is_spoiler
    )
    # Rendered before the transaction opens: the write lock is never held while it runs.
    review.body_html = render_markdown(body)
    with screening.publishing(review, title, body):
        try:
            review.full_clean()
        except ValidationError as err:
            if str(DUPLICATE_REVIEW) in err.messages:
                raise DuplicateReview(_existing_review(author, film)) from err
            raise
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError as err:
            # Lost a race with a second submission of the same review.
            raise DuplicateReview(_existing_review(author, film)) from err
        if not review.is_hidden:
            _review_counts(review, +1)
    return review


def _existing_review(author: Any, film: Film) -> Review | None:
    return Review.objects.alive().filter(film=film, author=author).first()


def review_update(
    *, review: Review, rating: int, title: str, body: str, is_spoiler: bool
) -> Review:
    """Edit a review. Members edit only visible ones (their views check); the admin may
    edit a hidden one, which stays out of the statistics until it is restored."""
    rendered = render_markdown(body) if body != review.body else None  # before the lock
    with transaction.atomic():
        locked = Review.objects.alive().select_for_update().get(pk=review.pk)
        old_rating = locked.rating
        with screening.publishing(locked, title, body):
            if body != locked.body:
                locked.body_html = rendered if rendered is not None else render_markdown(body)
            locked.rating = rating
            locked.title = title
            locked.body = body
            locked.is_spoiler = is_spoiler
            locked.full_clean()
            locked.save()
            if locked.rating != old_rating and not locked.is_hidden:
                _stats_change(
                    locked.film_id,
                    count=0,
                    total=locked.rating - old_rating,
                    buckets={old_rating: -1, locked.rating: 1},
                )
    return locked


def review_delete(*, review: Review) -> None:
    """Soft delete: the text stays in the database, hidden everywhere. An author may
    delete a review a moderator hid; it had already left the statistics."""
    with transaction.atomic():
        locked = Review.objects.alive().select_for_update().filter(pk=review.pk).first()
        if locked is None:
            return  # already deleted: nothing to do twice
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_at"])
        if not locked.is_hidden:
            _review_counts(locked, -1)


def review_mark_spoiler(review: Review) -> bool:
    """A moderator marks the review as a spoiler; False if it already was one."""
    if review.is_spoiler:
        return False
    review.is_spoiler = True
    review.save(update_fields=["is_spoiler"])
    return True


# Likes ----------------------------------------------------------------------------------

# What can be liked: the like's model, the field pointing at the item, and the owner.
_LIKES: dict[type[Review | QuoteCollection], tuple[type[Model], str, str]] = {
    Review: (ReviewLike, "review", "author_id"),
    QuoteCollection: (CollectionLike, "collection", "owner_id"),
}


def like(*, user: Any, item: Review | QuoteCollection) -> bool:
    """Like a review or a collection; True if this added a like, False if it was there."""
    like_model, field, owner = _LIKES[type(item)]
    if getattr(item, owner) == user.pk:
        raise PermissionDenied(
            gettext("You can't like your own review.")
            if field == "review"
            else gettext("You can't like your own collection.")
        )
    if follows.blocked_between(user, getattr(item, owner)):
        raise follows.Refused(follows.cannot_like(item))
    with transaction.atomic():
        try:
            with transaction.atomic():
                like_model._default_manager.create(user=user, **{field: item})
        except IntegrityError:
            return False
        type(item)._default_manager.filter(pk=item.pk).update(like_count=F("like_count") + 1)
        notifications.notify(
            recipient=getattr(item, owner),
            actor=user,
            kind=Kind.LIKE_REVIEW if field == "review" else Kind.LIKE_COLLECTION,
            target=item,
        )
    return True


def unlike(*, user: Any, item: Review | QuoteCollection) -> bool:
    like_model, field, _ = _LIKES[type(item)]
    with transaction.atomic():
        deleted, _ = like_model._default_manager.filter(user=user, **{field: item}).delete()
        if deleted:
            type(item)._default_manager.filter(pk=item.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


# Comments -------------------------------------------------------------------------------


def comment_create(*, author: Any, review: Review, body: str) -> Comment:
    if follows.blocked_between(author, review.author_id):
        raise ValidationError(follows.cannot_comment(), code="blocked")
    comment = Comment(author=author, review=review, body=body.strip())
    with screening.publishing(comment, comment.body):
        comment.full_clean()
        comment.save()
        if not comment.is_hidden:
            Review.objects.filter(pk=review.pk).update(comment_count=F("comment_count") + 1)
            # A held comment tells no one: it is not published yet.
            notifications.notify(
                recipient=review.author_id, actor=author, kind=Kind.COMMENT, target=comment
            )
    return comment


def comment_update(*, comment: Comment, body: str) -> Comment:
    body = body.strip()
    with transaction.atomic():
        locked = Comment.objects.alive().select_for_update().get(pk=comment.pk)
        with screening.publishing(locked, body):
            locked.body = body
            locked.full_clean()
            locked.save(update_fields=["body", "updated_at"])
    return locked


def comment_delete(*, comment: Comment) -> None:
    with transaction.atomic():
        locked = Comment.objects.alive().select_for_update().filter(pk=comment.pk).first()
        if locked is None:
            return
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_at"])
        if not locked.is_hidden:  # a hidden comment had already left the count
            Review.objects.filter(pk=locked.review_id).update(comment_count=F("comment_count") - 1)


# Quote collections ----------------------------------------------------------------------


def collection_create(
    *, owner: Any, title: str, description: str = "", visibility: str = "public"
) -> QuoteCollection:
    collection = QuoteCollection(
        owner=owner, title=title.strip(), description=description.strip(), visibility=visibility
    )
    with screening.publishing(collection, collection.title, collection.description):
        collection.full_clean()
        collection.save()
    return collection


def _lock(collection: QuoteCollection) -> QuoteCollection:
    # Serialises every change of one collection: its fields, items and positions.
    return QuoteCollection.objects.alive().select_for_update().get(pk=collection.pk)


def collection_update(
    *, collection: QuoteCollection, title: str, description: str, visibility: str
) -> QuoteCollection:
    with transaction.atomic():
        locked = _lock(collection)
        with screening.publishing(locked, title, description):
            locked.title = title.strip()
            locked.description = description.strip()
            locked.visibility = visibility
            locked.full_clean()
            locked.save(update_fields=["title", "description", "visibility", "updated_at"])
    return locked


def collection_delete(*, collection: QuoteCollection) -> None:
    """Soft delete, as for reviews: the collection leaves every page at once."""
    with transaction.atomic():
        locked = QuoteCollection.objects.alive().select_for_update().filter(pk=collection.pk)
        found = locked.first()
        if found is not None:
            found.deleted_at = timezone.now()
            found.save(update_fields=["deleted_at"])


def _touch(collection: QuoteCollection, **changes: Any) -> None:
    QuoteCollection.objects.filter(pk=collection.pk).update(updated_at=timezone.now(), **changes)


@dataclass
class AddResult:
    item: CollectionItem
    created: bool


def collection_add_quote(*, collection: QuoteCollection, quote: Quote, note: str = "") -> AddResult:
    """Append a quote; adding one that is already there keeps the single existing row
    (and gives it the note if it had none). The note is published like any member text."""
    note = note.strip()
    with transaction.atomic():
        locked = _lock(collection)
        with screening.publishing(locked, note):
            existing = CollectionItem.objects.filter(collection=locked, quote=quote).first()
            if existing:
                if note and not existing.note:
                    existing.note = note
                    existing.save(update_fields=["note"])
                return AddResult(existing, False)
            if locked.item_count >= QuoteCollection.MAX_ITEMS:
                raise ValidationError(
                    gettext("A collection holds at most %(max)d quotes.")
                    % {"max": QuoteCollection.MAX_ITEMS},
                    code="full",
                )
            last = (
                CollectionItem.objects.filter(collection=locked)
                .order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            item = CollectionItem(
                collection=locked, quote=quote, position=(last or 0) + 1, note=note
            )
            item.full_clean(exclude=["collection", "quote"], validate_constraints=False)
            item.save()
            _touch(locked, item_count=F("item_count") + 1)
    return AddResult(item, True)


def collection_remove_item(*, collection: QuoteCollection, item_id: int) -> bool:
    with transaction.atomic():
        locked = _lock(collection)
        deleted, _ = CollectionItem.objects.filter(collection=locked, pk=item_id).delete()
        if deleted:
            _touch(locked, item_count=F("item_count") - 1)
    return bool(deleted)


def collection_move_item(*, collection: QuoteCollection, item_id: int, direction: str) -> bool:
    """Swap an item with its neighbour ("up" or "down"); False when already at that end."""
    if direction not in ("up", "down"):
        raise ValidationError(gettext("Move an item up or down."), code="bad_direction")
    with transaction.atomic():
        locked = _lock(collection)
        item = CollectionItem.objects.filter(collection=locked, pk=item_id).first()
        if item is None:
            raise CollectionItem.DoesNotExist
        neighbours = CollectionItem.objects.filter(collection=locked)
        if direction == "up":
            other = neighbours.filter(position__lt=item.position).order_by("-position").first()
        else:
            other = neighbours.filter(position__gt=item.position).order_by("position").first()
        if other is None:
            return False
        mine, theirs = item.position, other.position
        # Positions are unique per collection: park one item on 0 (never a real position).
        CollectionItem.objects.filter(pk=item.pk).update(position=0)
        CollectionItem.objects.filter(pk=other.pk).update(position=mine)
        CollectionItem.objects.filter(pk=item.pk).update(position=theirs)
        _touch(locked)
    return True


def collection_item_note(*, collection: QuoteCollection, item_id: int, note: str) -> None:
    """A note shows with the quote on the public collection: it is published like the
    collection's own text."""
    note = note.strip()
    with transaction.atomic():
        locked = _lock(collection)
        item = CollectionItem.objects.select_for_update().get(collection=locked, pk=item_id)
        with screening.publishing(locked, note):
            item.note = note
            item.full_clean(exclude=["collection", "quote"], validate_constraints=False)
            item.save(update_fields=["note"])
            _touch(locked)


def collection_copy(*, source: QuoteCollection, owner: Any) -> QuoteCollection:
    """A private copy of `source` (items and notes) for `owner` to make their own."""
    title = f"{source.title} (copy)"
    if len(title) > 120:
        title = source.title[:113] + " (copy)"
    items = list(source.items.order_by("position"))
    copy = QuoteCollection(
        owner=owner,
        title=title,
        description=source.description,
        visibility=QuoteCollection.Visibility.PRIVATE,
        copied_from=source,
    )
    with screening.publishing(copy, title, source.description, *(i.note for i in items)):
        copy.full_clean()
        copy.save()
        CollectionItem.objects.bulk_create(
            CollectionItem(collection=copy, quote_id=item.quote_id, position=n, note=item.note)
            for n, item in enumerate(items, start=1)
        )
        QuoteCollection.objects.filter(pk=copy.pk).update(item_count=len(items))
        copy.item_count = len(items)
        notifications.notify(recipient=source.owner_id, actor=owner, kind=Kind.COPY, target=source)
    return copy


# Each member's part of the account export and deletion ----------------------------------


def member_erase(user: Any) -> None:
    """A deleted account's private and unlisted collections, never shared with the
    community, go with it (with their items)."""
    QuoteCollection.objects.filter(owner=user).exclude(
        visibility=QuoteCollection.Visibility.PUBLIC
    ).delete()
