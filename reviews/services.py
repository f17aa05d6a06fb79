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

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from films.models import Film, Quote
from leonsite.lib import ratelimit, screening

from . import activity, follows, mentions, notifications
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
    announce: bool = True,
) -> Review:
    """A new review (or a rating alone); `announce=False` keeps it out of the followers'
    feeds (a viewing logged with it says so already) until it gets words."""
    review = Review(
        author=author, film=film, rating=rating, title=title, body=body, is_spoiler=is_spoiler
    )
    # Rendered before the transaction opens: the write lock is never held while it runs.
    review.body_html = _render(body)
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
                if announce:
                    activity.record(actor=author, verb=activity.Verb.REVIEWED, review=review)
        except IntegrityError as err:
            # Lost a race with a second submission of the same review.
            raise DuplicateReview(_existing_review(author, film)) from err
        if not review.is_hidden:
            _review_counts(review, +1)
    if announce:
        _announce(review)
    return review


def _render(body: str) -> str:
    """A review's body as stored: its mentions of members linked as they stand now."""
    return render_markdown(body, profiles=mentions.profile_links)


def _existing_review(author: Any, film: Film) -> Review | None:
    return Review.objects.alive().filter(film=film, author=author).first()


def review_update(
    *, review: Review, rating: int, title: str, body: str, is_spoiler: bool
) -> Review:
    """Edit a review. Members edit only visible ones (their views check); the admin may
    edit a hidden one, which stays out of the statistics until it is restored."""
    rendered = _render(body) if body != review.body else None  # before the lock
    with transaction.atomic():
        locked = Review.objects.alive().select_for_update().get(pk=review.pk)
        old_rating, old_title, old_body = locked.rating, locked.title, locked.body
        with screening.publishing(locked, title, body):
            if body != locked.body:
                locked.body_html = rendered if rendered is not None else _render(body)
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
            if not (old_title or old_body):
                activity.review_published(locked)
    _announce(locked, previous_text=old_body)
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
        verb = activity.Verb.LIKED_REVIEW if field == "review" else activity.Verb.LIKED_COLLECTION
        activity.record(actor=user, verb=verb, **{field: item})
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
            activity.like_taken_back(actor=user, item=item)
    return bool(deleted)


# Comments -------------------------------------------------------------------------------


def comment_create(
    *, author: Any, review: Review, body: str, parent: Comment | None = None
) -> Comment:
    """A comment on `review`, or with `parent` a reply: a reply to a reply joins the
    thread of the comment at its top. Refused (with the same neutral words as any
    refusal) when a block stands between the writer and the review's author, or the
    author of the comment answered or of the thread's top."""
    root = _thread_root(parent, review) if parent is not None else None
    others = [review.author_id] + ([parent.author_id, root.author_id] if parent and root else [])
    if follows.blocked_with_any(author, others):
        refusal = follows.cannot_reply() if parent is not None else follows.cannot_comment()
        raise ValidationError(refusal, code="blocked")
    comment = Comment(author=author, review=review, parent=root, body=body.strip())
    with screening.publishing(comment, comment.body):
        comment.full_clean()
        comment.save()
        if not comment.is_hidden:
            Review.objects.filter(pk=review.pk).update(comment_count=F("comment_count") + 1)
    _announce(comment)
    return comment


def _thread_root(parent: Comment, review: Review) -> Comment:
    """The top-level comment a reply to `parent` belongs under."""
    current = Comment.objects.select_related("parent").filter(pk=parent.pk).first()
    if current is None or current.review_id != review.pk:
        raise ValidationError(
            gettext("You can only reply to a comment on this review."), code="bad_parent"
        )
    if current.is_deleted or current.is_hidden:  # as it stands now, not as it was read
        raise ValidationError(
            gettext("This comment can't be answered any more."), code="gone_parent"
        )
    return current.parent if current.parent is not None else current


def comment_update(*, comment: Comment, body: str) -> Comment:
    body = body.strip()
    with transaction.atomic():
        locked = Comment.objects.alive().select_for_update().get(pk=comment.pk)
        previous = locked.body
        with screening.publishing(locked, body):
            locked.body = body
            locked.full_clean()
            locked.save(update_fields=["body", "updated_at"])
    _announce(locked, previous_text=previous)
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


# Whom a post tells -----------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """Whom a new or edited post tells: each member once, under one reason."""

    replied_to: list[Any] = field(default_factory=list)  # REPLY
    mentioned: list[Any] = field(default_factory=list)  # MENTION


def reply_recipients(comment: Comment) -> list[Any]:
    """Whom a reply tells: the author of the comment at the thread's top and the review's
    author (both, as GitHub does), each once, never the replier, never an inactive
    account, never across a block (a reply across one is refused anyway)."""
    if comment.parent_id is None or comment.parent is None:
        return []
    people: dict[int, Any] = {}
    for member in (comment.parent.author, comment.review.author):
        if member.pk != comment.author_id and member.is_active:
            people.setdefault(member.pk, member)
    return [m for m in people.values() if not follows.blocked_between(comment.author_id, m)]


def _announce(item: Review | Comment, *, previous_text: str | None = None) -> Announcement:
    """Tell the members a post concerns (notifications.notify), once it is saved:
    `previous_text` is the text before an edit (None for a new post). An edit tells only
    the members it newly mentions; a post held by the screening tells no one. The members
    named past the writer's hourly "mention" limit are not told. Each recipient is told
    once: a reply's recipients, or a commented review's author, are not told again that
    they are mentioned."""
    if item.is_hidden:
        return Announcement()
    is_review = isinstance(item, Review)
    replied_to: list[Any] = []
    if isinstance(item, Comment) and previous_text is None:
        replied_to = reply_recipients(item)
    named = mentions.mentioned_members(
        writer=item.author,
        texts=[item.body],
        previous_texts=[previous_text] if previous_text else [],
        markdown=is_review,
    )
    told = {member.pk for member in replied_to}
    if isinstance(item, Comment) and previous_text is None and item.parent_id is None:
        # A comment on a review tells its author as a comment, not as a mention too.
        notifications.notify(
            recipient=item.review.author_id, actor=item.author, kind=Kind.COMMENT, target=item
        )
        told.add(item.review.author_id)
    named = [member for member in named if member.pk not in told]
    named = named[: ratelimit.allowance(item.author, "mention", len(named))]
    for member in replied_to:
        # The thread's author was answered; the review's author has a new comment to read.
        answered = isinstance(item, Comment) and item.parent and item.parent.author_id == member.pk
        kind = Kind.REPLY if answered else Kind.COMMENT
        notifications.notify(recipient=member, actor=item.author, kind=kind, target=item)
    for member in named:
        notifications.notify(recipient=member, actor=item.author, kind=Kind.MENTION, target=item)
    return Announcement(replied_to=replied_to, mentioned=named)


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
        # In the feeds while (and whenever) the collection is public.
        activity.record(actor=owner, verb=activity.Verb.COLLECTED, collection=collection)
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
        activity.record(actor=owner, verb=activity.Verb.COLLECTED, collection=copy)
        notifications.notify(recipient=source.owner_id, actor=owner, kind=Kind.COPY, target=source)
    return copy


# Each member's part of the account export and deletion ----------------------------------


def member_erase(user: Any) -> None:
    """A deleted account's private and unlisted collections, never shared with the
    community, go with it (with their items)."""
    QuoteCollection.objects.filter(owner=user).exclude(
        visibility=QuoteCollection.Visibility.PUBLIC
    ).delete()
