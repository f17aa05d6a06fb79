"""The community's moderated kinds, registered with leonsite.lib.moderated: how the
moderation app finds, shows, describes and counts reviews, comments, collections and
fans' suggested corrections of the catalogue.

A description is kept in the permanent log: it names the item, never its author (the
entry's subject does, and forgets them with their account)."""

from django.urls import reverse
from django.utils.text import Truncator

from films.models import Correction
from leonsite.lib import moderated

from . import corrections, selectors, services
from .models import Comment, DiaryEntry, QuoteCollection, Review


def register() -> None:
    moderated.register(
        moderated.ModeratedKind(
            name="review",
            label="review",
            model=Review,
            author_field="author",
            reportable=selectors.reportable_reviews,
            alive=Review.objects.alive,
            describe=lambda r: f"Review #{r.pk} of {r.film.title}",
            template="reviews/moderation/review.html",
            line_template="reviews/moderation/review_line.html",
            related=("film",),
            url_for=lambda pk: reverse("reviews:review-detail", args=[pk]),
            visibility_changed=services.visibility_changed,
            mark_spoiler=services.review_mark_spoiler,
        )
    )
    moderated.register(
        moderated.ModeratedKind(
            name="comment",
            label="comment",
            model=Comment,
            author_field="author",
            reportable=selectors.reportable_comments,
            alive=Comment.objects.alive,
            describe=lambda c: f"Comment #{c.pk} on review #{c.review_id}",
            template="reviews/moderation/comment.html",
            line_template="reviews/moderation/comment_line.html",
            related=("review__film",),
            visibility_changed=services.visibility_changed,
        )
    )
    moderated.register(
        moderated.ModeratedKind(
            name="collection",
            label="collection",
            model=QuoteCollection,
            author_field="owner",
            reportable=selectors.reportable_collections,
            alive=QuoteCollection.objects.alive,
            describe=lambda c: f"Collection #{c.pk} “{Truncator(c.title).chars(60)}”",
            template="reviews/moderation/collection.html",
            line_template="reviews/moderation/collection_line.html",
            url_for=lambda pk: reverse("reviews:collection-detail", args=[pk]),
        )
    )
    moderated.register(
        moderated.ModeratedKind(
            name="correction",
            label="suggested correction",
            model=Correction,
            author_field="member",
            reportable=corrections.reportable_corrections,
            alive=Correction.objects.alive,
            describe=lambda c: f"Correction #{c.pk} of {Truncator(c.object_label).chars(60)}",
            template="reviews/moderation/correction.html",
            line_template="reviews/moderation/correction_line.html",
            url_for=lambda pk: reverse("admin:films_correction_change", args=[pk]),
        )
    )
    # A diary entry's note and tags are member text, reportable where the diary is public.
    moderated.register(
        moderated.ModeratedKind(
            name="diary-entry",
            label="diary entry",
            model=DiaryEntry,
            author_field="user",
            reportable=selectors.reportable_diary_entries,
            alive=DiaryEntry.objects.all,
            describe=lambda e: f"Diary entry #{e.pk} of {e.film.title}",
            template="reviews/moderation/diary_entry.html",
            line_template="reviews/moderation/diary_entry_line.html",
            related=("film", "user"),
        )
    )
