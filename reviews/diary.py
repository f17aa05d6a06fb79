"""A member's film life, written: the rating from the film header, the diary of
viewings, the watchlist and who may see them. The site's views and the admin call these.

**One rating per member and film, and it is the review's.** A review already is "a
member's rating of a film with an optional text" (models.Review): rating from the film
header writes that same row through the review services (`rate`), creating a review with
no text when there is none, changing only the rating of one that has text. The film's
statistics, the reviews list and the header therefore can never disagree. A diary entry
keeps the rating given *that* viewing, as Letterboxd does: the history of how the member
saw the film then. Logging a viewing with a rating also makes it the film's rating, again
through `rate`: there is one write path for the current rating, and one place it is read.

Diary notes and tags are member text: screened by leonsite.lib.screening.publishing()
like reviews, and reportable (reviews/moderated.py). Nothing cached shows a diary or a
watchlist (the film header's personal part is outside every cached fragment and page, and
their own pages are never cached), so their writes move no cache version. A rating moves
the community's through the review services, as any review does; so does a visibility
change (FilmLifeSettings is watched), since a visitor's cached profile links to the diary
and the watchlist only when they are public.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from films.models import Film
from leonsite.lib import screening

from . import activity, selectors, services
from .models import DiaryEntry, FilmLifeSettings, FilmLifeVisibility, Review, WatchlistItem

TAGS_MAX = 10
TAG_MAX = 30
latest_possible_day = selectors.latest_possible_day


def normalise_tags(raw: str) -> str:
    """ "Rewatch, Cinema ,cinema" → "rewatch,cinema": lower case, no repeats, stored as one
    comma-separated string. Refuses too many or too long tags."""
    tags: list[str] = []
    for part in raw.split(","):
        tag = " ".join(part.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValidationError(
            ngettext("Use at most %(max)d tag.", "Use at most %(max)d tags.", TAGS_MAX)
            % {"max": TAGS_MAX},
            code="too_many_tags",
        )
    long = [tag for tag in tags if len(tag) > TAG_MAX]
    if long:
        raise ValidationError(
            _("Keep each tag under %(max)d characters.") % {"max": TAG_MAX}, code="long_tag"
        )
    return ",".join(tags)


def check_watched_on(watched_on: date, film: Film) -> None:
    if watched_on > latest_possible_day():
        raise ValidationError(_("The date watched can't be in the future."), code="future_date")
    if film.year and watched_on.year < film.year - 1:
        raise ValidationError(
            _("The date watched can't be before the film was made."), code="too_early"
        )


# The rating: the member's review's --------------------------------------------------------


def rate(*, user: Any, film: Film, rating: int, announce: bool = True) -> Review:
    """Set the member's rating of the film: their review's, created without text if they
    have none. A review a moderator hid keeps its rating until they decide. A new rating
    enters the followers' feeds unless `announce` is False (a logged viewing shows it)."""
    if not isinstance(rating, int) or not 1 <= rating <= 10:
        raise ValidationError(
            _("Choose a rating, from half a star to five stars."), code="bad_rating"
        )
    own = Review.objects.alive().filter(author=user, film=film).first()
    if own is None:
        try:
            return services.review_create(author=user, film=film, rating=rating, announce=announce)
        except services.DuplicateReview as err:  # a second click won the race
            own = err.existing
            if own is None:
                raise
    if own.is_hidden:
        raise ValidationError(
            _("A moderator has hidden your review: its rating can't change until they decide."),
            code="review_hidden",
        )
    if own.rating == rating:
        return own
    return services.review_update(
        review=own, rating=rating, title=own.title, body=own.body, is_spoiler=own.is_spoiler
    )


def clear_rating(*, user: Any, film: Film) -> bool:
    """Take the rating back: only a review without text goes (one with text is deleted
    from its own page, as ever). True if a rating was removed."""
    own = Review.objects.alive().filter(author=user, film=film).first()
    if own is None:
        return False
    if own.title or own.body:
        raise ValidationError(
            _("Your rating belongs to your review: delete the review to remove it."),
            code="review_has_text",
        )
    services.review_delete(review=own)
    return True


# The diary --------------------------------------------------------------------------------


def _own_review(user: Any, film: Film) -> Review | None:
    return Review.objects.visible().filter(author=user, film=film).first()


def entry_create(
    *,
    user: Any,
    film: Film,
    watched_on: date | None = None,
    rewatch: bool = False,
    rating: int | None = None,
    liked: bool = False,
    tags: str = "",
    note: str = "",
    link_review: bool = False,
    rate_film: bool = True,
    announce: bool = True,
) -> DiaryEntry:
    """Log a viewing. A rating given also becomes the film's rating (`rate`) unless
    `rate_film` is False (an import, which never overwrites the member's rating). Unless
    `announce` is False (an import of past viewings), the viewing enters the followers'
    feeds and the film leaves the member's watchlist, now that they have seen it."""
    watched_on = watched_on or timezone.localdate()
    check_watched_on(watched_on, film)
    entry = DiaryEntry(
        user=user,
        film=film,
        watched_on=watched_on,
        rewatch=rewatch,
        rating=rating,
        liked=liked,
        tags=normalise_tags(tags),
        note=note.strip(),
    )
    with screening.publishing(entry, entry.note, entry.tags.replace(",", ", ")):
        entry.full_clean(exclude=["review"])
        if rating is not None and rate_film:
            rate(user=user, film=film, rating=rating, announce=False)
        if link_review:
            entry.review = _own_review(user, film)
        entry.save()
        if announce:
            activity.record(actor=user, verb=activity.Verb.LOGGED, diary_entry=entry)
            # Seen now: off the watchlist (an import of past viewings leaves it alone).
            WatchlistItem.objects.filter(user=user, film=film).delete()
    return entry


HELD_MESSAGE = gettext_lazy("A moderator is holding this entry: it can't be edited now.")


def entry_update(
    *,
    entry: DiaryEntry,
    watched_on: date,
    rewatch: bool,
    rating: int | None,
    liked: bool,
    tags: str,
    note: str,
    link_review: bool,
) -> DiaryEntry:
    """Edit a viewing. A changed rating becomes the film's rating too."""
    check_watched_on(watched_on, entry.film)
    tags = normalise_tags(tags)
    note = note.strip()
    with transaction.atomic():
        # Only the entry's row: locking the film would queue every other member's writes.
        locked = (
            DiaryEntry.objects.select_for_update(of=("self",))
            .select_related("film")
            .get(pk=entry.pk)
        )
        if locked.is_hidden:
            raise ValidationError(HELD_MESSAGE, code="held")
        with screening.publishing(locked, note, tags.replace(",", ", ")):
            rating_changed = rating is not None and rating != locked.rating
            locked.watched_on = watched_on
            locked.rewatch = rewatch
            locked.rating = rating
            locked.liked = liked
            locked.tags = tags
            locked.note = note
            locked.full_clean(exclude=["review"])
            if rating_changed and rating is not None:
                rate(user=locked.user, film=locked.film, rating=rating)
            locked.review = _own_review(locked.user, locked.film) if link_review else None
            locked.save()
    return locked


def entry_delete(*, entry: DiaryEntry) -> None:
    """Delete a viewing for good: it is the member's own record, answered by nobody.
    The film's rating stays (it is the review's)."""
    DiaryEntry.objects.filter(pk=entry.pk).delete()


# The watchlist ----------------------------------------------------------------------------


def watchlist_add(*, user: Any, film: Film) -> bool:
    """True if the film was added, False if it was already there."""
    try:
        with transaction.atomic():
            WatchlistItem.objects.create(user=user, film=film)
    except IntegrityError:
        return False
    return True


def watchlist_remove(*, user: Any, film: Film) -> bool:
    deleted, _rows = WatchlistItem.objects.filter(user=user, film=film).delete()
    return bool(deleted)


# Who sees them ----------------------------------------------------------------------------


def visibility_update(
    *,
    user: Any,
    diary_visibility: str,
    watchlist_visibility: str,
    activity_visibility: str | None = None,
) -> FilmLifeSettings:
    """Who sees the diary, the watchlist and (when given) the member's activity."""
    chosen_values = {
        "diary_visibility": diary_visibility,
        "watchlist_visibility": watchlist_visibility,
    }
    if activity_visibility is not None:
        chosen_values["activity_visibility"] = activity_visibility
    if not set(chosen_values.values()) <= set(FilmLifeVisibility.values):
        raise ValidationError(_("Choose who sees it."), code="bad_visibility")
    chosen, _created = FilmLifeSettings.objects.update_or_create(user=user, defaults=chosen_values)
    return chosen


def member_erase(user: Any) -> None:
    """A deleted account's diary, watchlist and choices go with it: they are the member's
    own record, which nobody else's conversation depends on."""
    DiaryEntry.objects.filter(user=user).delete()
    WatchlistItem.objects.filter(user=user).delete()
    FilmLifeSettings.objects.filter(user=user).delete()
