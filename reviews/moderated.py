"""The community's moderated kinds, registered with leonsite.lib.moderated: how the
moderation app finds, shows, describes and counts reviews, comments, collections and
fans' suggested corrections of the catalogue.

A description is kept in the permanent log: it names the item, never its author (the
entry's subject does, and forgets them with their account)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_noop, pgettext_lazy

from films.models import Correction
from leonsite.lib import moderated

from . import corrections, selectors, services
from .models import Comment, DiaryEntry, QuoteCollection, Review


def register() -> None:
    moderated.register(
        moderated.ModeratedKind(
            name="review",
            label=pgettext_lazy("moderated kind", "review"),
            this_label=pgettext_lazy("a moderated item", "this review"),
            model=Review,
            author_field="author",
            reportable=selectors.reportable_reviews,
            alive=Review.objects.alive,
            describe=moderated.Description(
                gettext_noop("Review #%(pk)s of %(title)s"),
                lambda r: {"pk": r.pk, "title": r.film.title},
            ),
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
            label=pgettext_lazy("moderated kind", "comment"),
            this_label=pgettext_lazy("a moderated item", "this comment"),
            model=Comment,
            author_field="author",
            reportable=selectors.reportable_comments,
            alive=Comment.objects.alive,
            describe=moderated.Description(
                gettext_noop("Comment #%(pk)s on review #%(review)s"),
                lambda c: {"pk": c.pk, "review": c.review_id},
            ),
            template="reviews/moderation/comment.html",
            line_template="reviews/moderation/comment_line.html",
            related=("review__film",),
            visibility_changed=services.visibility_changed,
        )
    )
    moderated.register(
        moderated.ModeratedKind(
            name="collection",
            label=pgettext_lazy("moderated kind", "collection"),
            this_label=pgettext_lazy("a moderated item", "this collection"),
            model=QuoteCollection,
            author_field="owner",
            reportable=selectors.reportable_collections,
            alive=QuoteCollection.objects.alive,
            describe=moderated.Description(
                gettext_noop("Collection #%(pk)s “%(title)s”"),
                lambda c: {"pk": c.pk, "title": Truncator(c.title).chars(60)},
            ),
            template="reviews/moderation/collection.html",
            line_template="reviews/moderation/collection_line.html",
            url_for=lambda pk: reverse("reviews:collection-detail", args=[pk]),
        )
    )
    moderated.register(
        moderated.ModeratedKind(
            name="correction",
            label=pgettext_lazy("moderated kind", "suggested correction"),
            this_label=pgettext_lazy("a moderated item", "this suggested correction"),
            model=Correction,
            author_field="member",
            reportable=corrections.reportable_corrections,
            alive=Correction.objects.alive,
            describe=moderated.Description(
                gettext_noop("Correction #%(pk)s of %(title)s"),
                lambda c: {"pk": c.pk, "title": Truncator(c.object_label).chars(60)},
            ),
            template="reviews/moderation/correction.html",
            line_template="reviews/moderation/correction_line.html",
            url_for=lambda pk: reverse("admin:films_correction_change", args=[pk]),
        )
    )
    # A diary entry's note and tags are member text, reportable where the diary is public.
    moderated.register(
        moderated.ModeratedKind(
            name="diary-entry",
            label=pgettext_lazy("moderated kind", "diary entry"),
            this_label=pgettext_lazy("a moderated item", "this diary entry"),
            model=DiaryEntry,
            author_field="user",
            reportable=selectors.reportable_diary_entries,
            alive=selectors.public_diary_entries,
            describe=moderated.Description(
                gettext_noop("Diary entry #%(pk)s of %(title)s"),
                lambda e: {"pk": e.pk, "title": e.film.title},
            ),
            template="reviews/moderation/diary_entry.html",
            line_template="reviews/moderation/diary_entry_line.html",
            related=("film", "user"),
        )
    )
