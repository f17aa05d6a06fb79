"""Moderation: reports, the queue's decisions, silences and suspensions, watched words.

Every decision runs in one transaction: it locks the item's row (select_for_update),
changes its hidden state through save() (so the search index follows), moves the
counters the item counts in (rating statistics, comment counts) and appends to the
moderation log. An interruption anywhere leaves nothing half-done. Hidden content is
never rewritten: restoring gives back exactly what the author wrote.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator

from .counters import rating_stats_change
from .models import (
    Comment,
    Moderatable,
    ModerationAction,
    Profile,
    QuoteCollection,
    Report,
    Review,
)
from .watchwords import Match

logger = logging.getLogger("leonsite.security")

KINDS = {"review": Review, "comment": Comment, "collection": QuoteCollection, "profile": Profile}
KIND_OF = {model: kind for kind, model in KINDS.items()}
KIND_LABELS = {"review": "review", "comment": "comment", "collection": "collection",
               "profile": "profile"}  # fmt: skip
ACTIONS = {
    "hide": ModerationAction.Kind.HIDE,
    "restore": ModerationAction.Kind.RESTORE,
    "dismiss": ModerationAction.Kind.DISMISS,
    "spoiler": ModerationAction.Kind.SPOILER,
}
SANCTIONS = {"silence", "suspend", "unsilence", "unsuspend"}
MAX_SANCTION = timedelta(days=3650)

AUTO_HIDE_MESSAGE = (
    "Hidden automatically after reports from several members, until a moderator looks at it."
)
ALREADY_REPORTED = "You have already reported this."


def auto_hide_threshold() -> int:
    return getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3)


def kind_of(item) -> str:
    return KIND_OF[type(item)]


def author_of(item):
    return item.author


def label_of(item) -> str:
    """A short text snapshot of the item, kept in the log whatever becomes of it."""
    kind = kind_of(item)
    author = author_of(item).username
    if kind == "review":
        text = f"Review #{item.pk} of {item.film.title} by {author}"
    elif kind == "comment":
        text = f"Comment #{item.pk} on review #{item.review_id} by {author}"
    elif kind == "collection":
        text = f"Collection #{item.pk} “{Truncator(item.title).chars(60)}” by {author}"
    else:
        text = f"Profile of {author}"
    return Truncator(text).chars(200)


def _now():
    return timezone.now()


# The log ----------------------------------------------------------------------------------


def log(*, kind, actor, subject, item=None, reason="", until=None, ip=None) -> ModerationAction:
    """Append one entry to the moderation log (and to the security log, S15)."""
    entry = ModerationAction(
        kind=kind,
        actor=actor,
        subject=subject,
        content_type=ContentType.objects.get_for_model(item) if item is not None else None,
        object_id=item.pk if item is not None else None,
        target_label=label_of(item) if item is not None else "",
        reason=reason,
        until=until,
        ip_address=ip,
    )
    entry.save()
    logger.info(
        "moderation action=%s actor=%s subject=%s item=%r ip=%s",
        kind,
        getattr(actor, "pk", None),
        getattr(subject, "pk", None),
        entry.target_label,
        ip,
    )
    return entry


# Hidden state -----------------------------------------------------------------------------


def _lock(item):
    return type(item).objects.select_for_update().select_related(*_related(item)).get(pk=item.pk)


def _related(item) -> list[str]:
    return {
        "review": ["author", "film"],
        "comment": ["author"],
        "collection": ["owner"],
        "profile": ["user"],
    }[kind_of(item)]


def _counts_follow(item, delta: int) -> None:
    """The item enters (+1) or leaves (-1) what the public sees: move what counts it."""
    if isinstance(item, Review) and item.deleted_at is None:
        rating_stats_change(
            item.film_id, count=delta, total=delta * item.rating, buckets={item.rating: delta}
        )
    elif isinstance(item, Comment) and item.deleted_at is None:
        Review.objects.filter(pk=item.review_id).update(comment_count=F("comment_count") + delta)


def _set_hidden(item: Moderatable, *, cause: str, reason: str, by) -> None:
    was_visible = not item.is_hidden
    item.hidden_at = item.hidden_at or _now()
    item.hidden_cause = cause
    item.hidden_reason = reason
    item.hidden_by = by
    item.save(update_fields=list(Moderatable.HIDDEN_FIELDS))
    if was_visible:
        _counts_follow(item, -1)


def _clear_hidden(item: Moderatable) -> None:
    was_hidden = item.is_hidden
    item.hidden_at = None
    item.hidden_cause = ""
    item.hidden_reason = ""
    item.hidden_by = None
    item.save(update_fields=list(Moderatable.HIDDEN_FIELDS))
    if was_hidden:
        _counts_follow(item, +1)


def hold_fields(item: Moderatable, match: Match) -> None:
    """Mark a post that is not saved yet as held (it is born hidden: nothing counts it)."""
    item.hidden_at = _now()
    item.hidden_cause = Moderatable.HiddenCause.HELD
    item.hidden_reason = _held_reason(match)
    item.hidden_by = None


def _held_reason(match: Match) -> str:
    return f"It contains “{match.word}”, a word our moderators check first."


def _resolve_reports(item, *, status: str, by) -> int:
    return (
        Report.objects.for_item(item)
        .open()
        .update(status=status, resolved_at=_now(), resolved_by=by)
    )


def _system_report(item, *, details: str) -> None:
    """An automatic report (watched word), once per item while one is open."""
    reports = Report.objects.for_item(item).open().filter(reporter__isnull=True)
    if not reports.exists():
        Report.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            subject=author_of(item),
            reporter=None,
            reason=Report.Reason.WATCHED_WORD,
            details=details,
        )


def after_screening(*, item, match: Match | None) -> None:
    """Inside the writer's transaction, once the item is saved: hold it or report it."""
    if match is None or match.blocks:
        return
    author = author_of(item)
    if match.holds:
        if not item.is_hidden:
            _set_hidden(
                item, cause=Moderatable.HiddenCause.HELD, reason=_held_reason(match), by=None
            )
        _system_report(item, details=f"Held: contains the watched word “{match.word}”.")
        log(kind=ModerationAction.Kind.HOLD, actor=None, subject=author, item=item,
            reason=f"Watched word “{match.word}”.")  # fmt: skip
    else:
        _system_report(item, details=f"Contains the watched word “{match.word}”.")
        log(kind=ModerationAction.Kind.AUTO_REPORT, actor=None, subject=author, item=item,
            reason=f"Watched word “{match.word}”.")  # fmt: skip


def blocked_message(match: Match) -> str:
    return (
        f"Your post contains “{match.word}”, which is not allowed on this site. Please reword it."
    )


# Reports ----------------------------------------------------------------------------------


@dataclass
class ReportOutcome:
    report: Report
    hidden: bool


def report_create(*, reporter, item, reason: str, details: str = "", ip=None) -> ReportOutcome:
    """File a member's report; the third open one from distinct members hides the item."""
    if reason not in dict(Report.MEMBER_REASONS):
        raise ValidationError("Choose a reason for your report.", code="bad_reason")
    author = author_of(item)
    if author.pk == reporter.pk:
        raise ValidationError("You can't report your own post.", code="own_item")
    details = details.strip()
    with transaction.atomic():
        locked = _lock(item)  # serialises the reports of one item: one auto-hide only
        report = Report(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            subject=author,
            reporter=reporter,
            reason=reason,
            details=details,
        )
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as err:  # a double submission won the race
            raise ValidationError(ALREADY_REPORTED, code="duplicate") from err
        summary = report.get_reason_display()
        if details:
            summary += f": {Truncator(details).chars(300)}"
        log(kind=ModerationAction.Kind.REPORT, actor=reporter, subject=author, item=locked,
            reason=summary, ip=ip)  # fmt: skip
        hidden = False
        if not locked.is_hidden:
            members = (
                Report.objects.for_item(locked)
                .open()
                .filter(reporter__isnull=False)
                .values("reporter")
                .distinct()
                .count()
            )
            if members >= auto_hide_threshold():
                _set_hidden(
                    locked, cause=Moderatable.HiddenCause.REPORTS, reason=AUTO_HIDE_MESSAGE, by=None
                )
                log(kind=ModerationAction.Kind.AUTO_HIDE, actor=None, subject=author,
                    item=locked, reason=f"{members} open reports from members.")  # fmt: skip
                hidden = True
    return ReportOutcome(report, hidden)


# Decisions --------------------------------------------------------------------------------


@dataclass
class Decision:
    changed: bool
    message: str


def decide(*, moderator, item, action: str, reason: str, ip=None) -> Decision:
    """Hide, restore, dismiss the reports on, or mark as spoiler, one item."""
    if action not in ACTIONS:
        raise ValidationError("Unknown moderation action.", code="bad_action")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason: pick one or write it.", code="no_reason")
    automatic = {Moderatable.HiddenCause.REPORTS, Moderatable.HiddenCause.HELD}
    with transaction.atomic():
        locked = _lock(item)
        author = author_of(locked)
        if action == "hide":
            if locked.hidden_cause == Moderatable.HiddenCause.MODERATOR:
                return Decision(False, "A moderator has already hidden this.")
            _set_hidden(
                locked, cause=Moderatable.HiddenCause.MODERATOR, reason=reason, by=moderator
            )
            _resolve_reports(locked, status=Report.Status.UPHELD, by=moderator)
            message = "Hidden. The author sees your reason."
        elif action == "restore":
            if not locked.is_hidden:
                return Decision(False, "This is not hidden: nothing to restore.")
            _clear_hidden(locked)
            _resolve_reports(locked, status=Report.Status.DISMISSED, by=moderator)
            message = "Restored: it is public again."
        elif action == "dismiss":
            closed = _resolve_reports(locked, status=Report.Status.DISMISSED, by=moderator)
            restored = locked.hidden_cause in automatic
            if not closed and not restored:
                return Decision(False, "There are no open reports on this.")
            if restored:
                _clear_hidden(locked)
            message = "Reports dismissed" + (" and the post restored." if restored else ".")
        else:  # spoiler
            if not isinstance(locked, Review):
                raise ValidationError("Only reviews can be marked as spoilers.", code="not_review")
            restored = locked.hidden_cause in automatic
            if (
                locked.is_spoiler
                and not restored
                and not Report.objects.for_item(locked).open().exists()
            ):
                return Decision(False, "This review is already marked as containing spoilers.")
            if not locked.is_spoiler:
                locked.is_spoiler = True
                locked.save(update_fields=["is_spoiler"])
            if restored:
                _clear_hidden(locked)
            _resolve_reports(locked, status=Report.Status.UPHELD, by=moderator)
            message = "Marked as containing spoilers" + (" and restored." if restored else ".")
        log(kind=ACTIONS[action], actor=moderator, subject=author, item=locked, reason=reason,
            ip=ip)  # fmt: skip
    item.refresh_from_db()
    return Decision(True, message)


# Silences and suspensions -----------------------------------------------------------------


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm("reviews.moderate")


def sanction(*, moderator, member, action: str, until=None, reason: str, ip=None) -> Decision:
    """Silence or suspend a member until a date, or lift it early."""
    from .services import profile_for

    if action not in SANCTIONS:
        raise ValidationError("Unknown action.", code="bad_action")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason: the member reads it.", code="no_reason")
    if member.pk == moderator.pk:
        raise ValidationError("You can't restrict your own account.", code="self")
    if member.is_superuser or member.is_staff or member.has_perm("reviews.moderate"):
        raise ValidationError(
            "Staff accounts are restricted in the admin, not here.", code="staff_member"
        )
    now = _now()
    if action in ("silence", "suspend"):
        if until is None or until <= now:
            raise ValidationError("Pick a date in the future.", code="past")
        if until - now > MAX_SANCTION:
            raise ValidationError("Pick a date within ten years.", code="too_far")
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile_for(member).pk)
        if action == "silence":
            profile.silenced_until, profile.silence_reason = until, reason
            fields, kind = ["silenced_until", "silence_reason"], ModerationAction.Kind.SILENCE
            message = f"{member.username} is silenced until {until:%-d %b %Y, %H:%M} UTC."
        elif action == "suspend":
            profile.suspended_until, profile.suspension_reason = until, reason
            fields, kind = ["suspended_until", "suspension_reason"], ModerationAction.Kind.SUSPEND
            message = f"{member.username} is suspended until {until:%-d %b %Y, %H:%M} UTC."
        elif action == "unsilence":
            if not profile.is_silenced:
                return Decision(False, f"{member.username} is not silenced.")
            profile.silenced_until, profile.silence_reason = None, ""
            fields, kind = ["silenced_until", "silence_reason"], ModerationAction.Kind.UNSILENCE
            message = f"{member.username} can post again."
        else:
            if not profile.is_suspended:
                return Decision(False, f"{member.username} is not suspended.")
            profile.suspended_until, profile.suspension_reason = None, ""
            fields = ["suspended_until", "suspension_reason"]
            kind = ModerationAction.Kind.UNSUSPEND
            message = f"{member.username} can log in again."
        profile.save(update_fields=fields)
        log(kind=kind, actor=moderator, subject=member, item=None, reason=reason, until=until,
            ip=ip)  # fmt: skip
    return Decision(True, message)


def restriction_of(user) -> Profile | None:
    """The member's profile when they may not post now (silenced or suspended)."""
    if not user.is_authenticated:
        return None
    try:
        profile = user.profile
    except ObjectDoesNotExist:
        return None
    if profile.is_suspended or profile.is_silenced:
        return profile
    return None


def posting_allowed(view):
    """Refuse every write of a silenced member with a 403 page saying why and until when."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = restriction_of(request.user)
        if profile is not None:
            return render(request, "moderation/silenced.html", {"restriction": profile}, status=403)
        return view(request, *args, **kwargs)

    return wrapper
