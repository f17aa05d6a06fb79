"""Reviews in the site search: only what the public may see is indexed.

Any save of a review (edit, soft delete, a moderator hiding or restoring it) reindexes
it after commit; `Review.objects.visible()` decides what stays in the index. A review's
entry carries its author's name, so a changed or deleted name reindexes their reviews.
"""

from django.db.models.signals import post_delete, post_save

from films import search
from leonsite.accounts.models import Profile
from leonsite.lib.spoilers import spoiler_free_text, spoiler_parts

from .models import Review
from .stars import stars


def _texts(review) -> tuple[str, str]:
    """The open text and, apart, what only a spoiler says: all of a review flagged as a
    spoiler, and the inline spoilers of the others."""
    if review.is_spoiler:  # its title too (Review.open_title)
        body = f"{spoiler_free_text(review.body_html)} {spoiler_parts(review.body_html)}"
        return "", f"{review.title} {body}"
    return spoiler_free_text(review.body_html), spoiler_parts(review.body_html)


def build_reviews(ids):
    # In id order: the index's newest entries are then the newest reviews, which is what
    # the search takes first from this bulk kind (films/search.py).
    reviews = Review.objects.visible().select_related("author__profile", "film").order_by("pk")
    if ids is not None:
        reviews = reviews.filter(pk__in=ids)
    for review in reviews.iterator(chunk_size=2000):
        rating = stars(review.rating, "short")
        author = Profile.objects.for_user(review.author).name
        title = review.open_title or f"{rating} review of {review.film.title}"
        open_text, spoiler_text = _texts(review)
        yield search.Document(
            "review", review.pk, title, f"{rating} by {author} · {review.film.title}",
            review.get_absolute_url(), f"{open_text} {author}", spoiler_text,
        )  # fmt: skip


def _changed(sender, instance, **kwargs):
    search.schedule("review", instance.pk)


# Saves of a profile that leave its name as it was (restrictions, for instance).
_NAMELESS_FIELDS = {"silenced_until", "silence_reason", "suspended_until", "suspension_reason",
                    "email_confirmed_at", "username_skeleton", "avatar"}  # fmt: skip


def _author_renamed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _NAMELESS_FIELDS:
        return
    reviews = Review.objects.filter(author_id=instance.user_id).values_list("pk", flat=True)
    for pk in reviews.iterator():
        search.schedule("review", pk)


def connect():
    search.register("review", "Reviews", 1, build_reviews, bulk=True)
    post_save.connect(_changed, sender=Review, dispatch_uid="search-save-review")
    post_delete.connect(_changed, sender=Review, dispatch_uid="search-delete-review")
    post_save.connect(_author_renamed, sender=Profile, dispatch_uid="search-review-author")
