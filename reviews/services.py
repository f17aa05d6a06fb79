"""Every community write, with its rules.

Keyword-only arguments; `full_clean()` before saving; one transaction per write. Counters
(rating statistics, likes, comments, items) move with F() expressions inside the same
transaction as the row they count, so concurrent writes never lose an update. Counters
count what the public sees: hidden and held posts (reviews/moderation.py) stay out.

Every text a member publishes passes the watched words first (`_screen`): a blocked word
refuses the write, a held one saves the post hidden until a moderator looks, a reported
one publishes it and files an automatic report.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from films.models import Film, Quote

from . import moderation, watchwords
from .counters import rating_stats_change as _stats_change
from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    FilmRatingStats,
    Profile,
    QuoteCollection,
    Review,
    ReviewLike,
)

User = get_user_model()

DUPLICATE_REVIEW = "You have already reviewed this film."


class DuplicateReview(ValidationError):
    def __init__(self, existing: Review | None):
        super().__init__(DUPLICATE_REVIEW, code="duplicate_review")
        self.existing = existing


def _screen(*texts: str) -> watchwords.Match | None:
    """The watched word in these texts; a blocked one refuses the write."""
    match = watchwords.screen(*texts)
    if match is not None and match.blocks:
        raise ValidationError(moderation.blocked_message(match), code="watched_word")
    return match


# Accounts and profiles ------------------------------------------------------------------


def user_create(*, username: str, email: str, password: str) -> User:
    """A new member with their (empty) profile. The caller has validated the password."""
    with transaction.atomic():
        user = User(username=username, email=email)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as err:
            # A concurrent sign-up took the name or address (see the e-mail index).
            raise ValidationError(
                "That username or e-mail address is already in use.", code="taken"
            ) from err
        Profile.objects.create(user=user)
    return user


def profile_for(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(
    *,
    user,
    display_name: str,
    bio: str,
    avatar: ContentFile | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Update the profile; `avatar` is an already re-encoded file (see images.py)."""
    match = _screen(display_name, bio)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile_for(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        profile.display_name = display_name.strip()
        profile.bio = bio.strip()
        profile.full_clean(exclude=["avatar"])
        if avatar is not None:
            profile.avatar.save(avatar.name, avatar, save=False)
        elif remove_avatar:
            profile.avatar = ""
        profile.save()
        moderation.after_screening(item=profile, match=match)
        new_avatar = profile.avatar.name if profile.avatar else ""
        if old_avatar and old_avatar != new_avatar:
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_avatar), robust=True)
    return profile


def account_delete(*, user) -> None:
    """Anonymise the account: posts stay, attributed to "a deleted user".

    The login, e-mail, names, password, bio and avatar go; private and unlisted
    collections (never shared with the community) are removed with their items.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        profile = Profile.objects.select_for_update().get(pk=profile_for(user).pk)
        old_avatar = profile.avatar.name if profile.avatar else ""
        profile.display_name = ""
        profile.bio = ""
        profile.avatar = ""
        profile.deleted_at = timezone.now()
        profile.save()
        user.username = f"deleted-{uuid.uuid4().hex[:16]}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        QuoteCollection.objects.filter(owner=user).exclude(
            visibility=QuoteCollection.Visibility.PUBLIC
        ).delete()
        if old_avatar:
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_avatar), robust=True)


def account_export(*, user) -> dict:
    """Everything the member wrote or chose, as plain data."""
    profile = profile_for(user)

    def when(value):
        return value.isoformat() if value else None

    reviews = Review.objects.filter(author=user).select_related("film").order_by("created_at")
    comments = Comment.objects.filter(author=user).order_by("created_at")
    collections = (
        QuoteCollection.objects.filter(owner=user).prefetch_related("items").order_by("created_at")
    )
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
        },
        "profile": {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "avatar": profile.avatar.url if profile.avatar else None,
        },
        "reviews": [
            {
                "id": r.pk,
                "film": r.film.title,
                "film_slug": r.film.slug,
                "rating_half_stars": r.rating,
                "stars": r.stars,
                "title": r.title,
                "body_markdown": r.body,
                "contains_spoilers": r.is_spoiler,
                "created_at": when(r.created_at),
                "updated_at": when(r.updated_at),
                "deleted_at": when(r.deleted_at),
            }
            for r in reviews
        ],
        "comments": [
            {
                "id": c.pk,
                "review_id": c.review_id,
                "body": c.body,
                "created_at": when(c.created_at),
                "deleted_at": when(c.deleted_at),
            }
            for c in comments
        ],
        "collections": [
            {
                "id": col.pk,
                "title": col.title,
                "description": col.description,
                "visibility": col.visibility,
                "created_at": when(col.created_at),
                "deleted_at": when(col.deleted_at),
                "items": [
                    {"quote_id": item.quote_id, "position": item.position, "note": item.note}
                    for item in col.items.all()
                ],
            }
            for col in collections
        ],
        "liked_reviews": list(
            ReviewLike.objects.filter(user=user).values_list("review_id", flat=True)
        ),
        "liked_collections": list(
            CollectionLike.objects.filter(user=user).values_list("collection_id", flat=True)
        ),
    }


# Reviews and rating statistics ----------------------------------------------------------


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


def review_create(
    *,
    author,
    film: Film,
    rating: int,
    title: str = "",
    body: str = "",
    is_spoiler: bool = False,
) -> Review:
    review = Review(
        author=author, film=film, rating=rating, title=title, body=body, is_spoiler=is_spoiler
    )
    match = _screen(title, body)
    if match is not None and match.holds:
        moderation.hold_fields(review, match)
    with transaction.atomic():
        try:
            review.full_clean()
        except ValidationError as err:
            if DUPLICATE_REVIEW in err.messages:
                raise DuplicateReview(_existing_review(author, film)) from err
            raise
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError as err:
            # Lost a race with a second submission of the same review.
            raise DuplicateReview(_existing_review(author, film)) from err
        if not review.is_hidden:
            _stats_change(film.pk, count=1, total=review.rating, buckets={review.rating: 1})
        moderation.after_screening(item=review, match=match)
    return review


def _existing_review(author, film) -> Review | None:
    return Review.objects.alive().filter(film=film, author=author).first()


def review_update(
    *, review: Review, rating: int, title: str, body: str, is_spoiler: bool
) -> Review:
    """Edit a visible review (a hidden one waits for its moderator: DoesNotExist)."""
    match = _screen(title, body)
    with transaction.atomic():
        locked = Review.objects.visible().select_for_update().get(pk=review.pk)
        old_rating = locked.rating
        locked.rating = rating
        locked.title = title
        locked.body = body
        locked.is_spoiler = is_spoiler
        locked.full_clean()
        locked.save()
        if locked.rating != old_rating:
            _stats_change(
                locked.film_id,
                count=0,
                total=locked.rating - old_rating,
                buckets={old_rating: -1, locked.rating: 1},
            )
        moderation.after_screening(item=locked, match=match)
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
            _stats_change(
                locked.film_id, count=-1, total=-locked.rating, buckets={locked.rating: -1}
            )


def review_like(*, user, review: Review) -> bool:
    """Like a review; True if this added a like, False if it was already there."""
    if review.author_id == user.pk:
        raise PermissionDenied("You can't like your own review.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReviewLike.objects.create(user=user, review=review)
        except IntegrityError:
            return False
        Review.objects.filter(pk=review.pk).update(like_count=F("like_count") + 1)
    return True


def review_unlike(*, user, review: Review) -> bool:
    with transaction.atomic():
        deleted, _ = ReviewLike.objects.filter(user=user, review=review).delete()
        if deleted:
            Review.objects.filter(pk=review.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


# Comments -------------------------------------------------------------------------------


def comment_create(*, author, review: Review, body: str) -> Comment:
    comment = Comment(author=author, review=review, body=body.strip())
    match = _screen(comment.body)
    if match is not None and match.holds:
        moderation.hold_fields(comment, match)
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        if not comment.is_hidden:
            Review.objects.filter(pk=review.pk).update(comment_count=F("comment_count") + 1)
        moderation.after_screening(item=comment, match=match)
    return comment


def comment_update(*, comment: Comment, body: str) -> Comment:
    body = body.strip()
    match = _screen(body)
    with transaction.atomic():
        comment.body = body
        comment.full_clean()
        comment.save(update_fields=["body", "updated_at"])
        moderation.after_screening(item=comment, match=match)
    return comment


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
    *, owner, title: str, description: str = "", visibility: str = "public"
) -> QuoteCollection:
    collection = QuoteCollection(
        owner=owner, title=title.strip(), description=description.strip(), visibility=visibility
    )
    match = _screen(collection.title, collection.description)
    if match is not None and match.holds:
        moderation.hold_fields(collection, match)
    with transaction.atomic():
        collection.full_clean()
        collection.save()
        moderation.after_screening(item=collection, match=match)
    return collection


def collection_update(
    *, collection: QuoteCollection, title: str, description: str, visibility: str
) -> QuoteCollection:
    match = _screen(title, description)
    with transaction.atomic():
        collection.title = title.strip()
        collection.description = description.strip()
        collection.visibility = visibility
        collection.full_clean()
        collection.save(update_fields=["title", "description", "visibility", "updated_at"])
        moderation.after_screening(item=collection, match=match)
    return collection


def collection_delete(*, collection: QuoteCollection) -> None:
    QuoteCollection.objects.filter(pk=collection.pk).update(deleted_at=timezone.now())


def _lock(collection: QuoteCollection) -> QuoteCollection:
    # Serialises every change of one collection's positions.
    return QuoteCollection.objects.alive().select_for_update().get(pk=collection.pk)


@dataclass
class AddResult:
    item: CollectionItem
    created: bool


def collection_add_quote(*, collection: QuoteCollection, quote: Quote, note: str = "") -> AddResult:
    """Append a quote; adding one that is already there keeps the single existing row."""
    with transaction.atomic():
        locked = _lock(collection)
        existing = CollectionItem.objects.filter(collection=locked, quote=quote).first()
        if existing:
            if note.strip() and not existing.note:
                existing.note = note.strip()
                existing.save(update_fields=["note"])
            return AddResult(existing, False)
        if locked.item_count >= QuoteCollection.MAX_ITEMS:
            raise ValidationError(
                f"A collection holds at most {QuoteCollection.MAX_ITEMS} quotes.", code="full"
            )
        last = (
            CollectionItem.objects.filter(collection=locked)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        item = CollectionItem(
            collection=locked, quote=quote, position=(last or 0) + 1, note=note.strip()
        )
        item.full_clean(exclude=["collection", "quote"], validate_constraints=False)
        item.save()
        QuoteCollection.objects.filter(pk=locked.pk).update(
            item_count=F("item_count") + 1, updated_at=timezone.now()
        )
    return AddResult(item, True)


def collection_remove_item(*, collection: QuoteCollection, item_id: int) -> bool:
    with transaction.atomic():
        locked = _lock(collection)
        deleted, _ = CollectionItem.objects.filter(collection=locked, pk=item_id).delete()
        if deleted:
            QuoteCollection.objects.filter(pk=locked.pk).update(
                item_count=F("item_count") - 1, updated_at=timezone.now()
            )
    return bool(deleted)


def collection_move_item(*, collection: QuoteCollection, item_id: int, direction: str) -> bool:
    """Swap an item with its neighbour ("up" or "down"); False when already at that end."""
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down.", code="bad_direction")
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
        QuoteCollection.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return True


def collection_item_note(*, collection: QuoteCollection, item_id: int, note: str) -> None:
    item = CollectionItem.objects.get(collection=collection, pk=item_id)
    item.note = note.strip()
    item.full_clean(exclude=["collection", "quote"], validate_constraints=False)
    item.save(update_fields=["note"])


def collection_copy(*, source: QuoteCollection, owner) -> QuoteCollection:
    """A private copy of `source` (items and notes) for `owner` to make their own."""
    title = f"{source.title} (copy)"
    if len(title) > 120:
        title = source.title[:113] + " (copy)"
    with transaction.atomic():
        copy = QuoteCollection(
            owner=owner,
            title=title,
            description=source.description,
            visibility=QuoteCollection.Visibility.PRIVATE,
            copied_from=source,
        )
        copy.full_clean()
        copy.save()
        items = [
            CollectionItem(collection=copy, quote_id=item.quote_id, position=n, note=item.note)
            for n, item in enumerate(source.items.order_by("position"), start=1)
        ]
        CollectionItem.objects.bulk_create(items)
        QuoteCollection.objects.filter(pk=copy.pk).update(item_count=len(items))
        copy.item_count = len(items)
    return copy


def collection_like(*, user, collection: QuoteCollection) -> bool:
    if collection.owner_id == user.pk:
        raise PermissionDenied("You can't like your own collection.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                CollectionLike.objects.create(user=user, collection=collection)
        except IntegrityError:
            return False
        QuoteCollection.objects.filter(pk=collection.pk).update(like_count=F("like_count") + 1)
    return True


def collection_unlike(*, user, collection: QuoteCollection) -> bool:
    with transaction.atomic():
        deleted, _ = CollectionLike.objects.filter(user=user, collection=collection).delete()
        if deleted:
            QuoteCollection.objects.filter(pk=collection.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)
