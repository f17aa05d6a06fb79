"""Moderation's writes: screening, reports, the queue's decisions, restrictions, the log.

Every decision runs in one transaction: it locks the item's row (select_for_update),
changes its hidden state through save() (so the cache and the search index follow),
lets the owning app move the counters the item counts in (the registry's
`visibility_changed`), and appends to the moderation log. An interruption anywhere
leaves nothing half-done. Hidden content is never rewritten: restoring gives back
exactly what the author wrote.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leonsite.accounts import services as accounts
from leonsite.accounts.models import Profile
from leonsite.lib import moderated
from leonsite.lib.moderated import Moderatable, ModeratedKind

from . import labels, signals, watchwords
from .models import ModerationAction, Report
from .watchwords import Match

logger = logging.getLogger("leonsite.security")

MAX_RESTRICTION = timedelta(days=3650)
# Stored in English (what the author reads is translated as it is shown: the
# moderation templatetags' system_reason).
AUTO_HIDE_MESSAGE = gettext_noop(
    "Hidden automatically after reports from several members, until a moderator looks at it."
)
ALREADY_REPORTED = gettext_lazy("You have already reported this.")
_AUTOMATIC = {Moderatable.HiddenCause.REPORTS, Moderatable.HiddenCause.HELD}


def auto_hide_threshold() -> int:
    return int(getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3))


def trusted_reporters() -> Q:
    """Whose reports count towards hiding an item before a moderator looks: members of
    some standing (MODERATION_TRUSTED_AFTER_DAYS old), or with a report a moderator
    upheld. Anyone's report still reaches the queue; fresh accounts alone cannot hide."""
    days = int(getattr(settings, "MODERATION_TRUSTED_AFTER_DAYS", 7))
    standing = Q(reporter__date_joined__lte=timezone.now() - timedelta(days=days))
    upheld = Q(reporter__reports_made__status=Report.Status.UPHELD)
    return standing | upheld


def is_moderator(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("moderation.moderate"))


def describe(item: Any) -> str:
    """A short text snapshot of the item, kept in the log whatever becomes of it."""
    return Truncator(moderated.kind_of(item).describe(item)).chars(200)


# The log ----------------------------------------------------------------------------------


def log(
    *,
    kind: str,
    actor: Any,
    subject: Any,
    item: Any = None,
    reason: str = "",
    until: datetime | None = None,
    ip: str | None = None,
) -> ModerationAction:
    """Append one entry to the moderation log (and to the security log)."""
    entry = ModerationAction(
        kind=kind,
        actor=actor,
        subject=subject,
        content_type=ContentType.objects.get_for_model(item) if item is not None else None,
        object_id=item.pk if item is not None else None,
        target_label=describe(item) if item is not None else "",
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


def _lock(item: Any) -> Any:
    kind = moderated.kind_of(item)
    related = [kind.author_field, *kind.related]
    # Only the item's row, and not as a key change: a notification or a like that refers
    # to it (or to its author) may still be written meanwhile, never deadlocked.
    manager = kind.model._default_manager
    return (
        manager.select_for_update(of=("self",), no_key=True)
        .select_related(*related)
        .get(pk=item.pk)
    )


def _counts_follow(item: Any, delta: int) -> None:
    """The item enters (+1) or leaves (-1) what the public sees: its app moves what
    counts it."""
    follow = moderated.kind_of(item).visibility_changed
    if follow is not None:
        follow(item, delta)


def _set_hidden(item: Any, *, cause: str, reason: str, by: Any) -> None:
    was_visible = not item.is_hidden
    item.hidden_at = item.hidden_at or timezone.now()
    item.hidden_cause = cause
    item.hidden_reason = reason
    item.hidden_by = by
    item.save(update_fields=list(Moderatable.HIDDEN_FIELDS))
    if was_visible:
        _counts_follow(item, -1)


def _clear_hidden(item: Any) -> None:
    was_hidden = item.is_hidden
    item.hidden_at = None
    item.hidden_cause = ""
    item.hidden_reason = ""
    item.hidden_by = None
    item.save(update_fields=list(Moderatable.HIDDEN_FIELDS))
    if was_hidden:
        _counts_follow(item, +1)


def _resolve_reports(item: Any, *, status: str, by: Any) -> int:
    return (
        Report.objects.for_item(item)
        .open()
        .update(status=status, resolved_at=timezone.now(), resolved_by=by)
    )


def _system_report(item: Any, *, details: str) -> None:
    """An automatic report (watched word), once per item while one is open."""
    reports = Report.objects.for_item(item).open().filter(reporter__isnull=True)
    if not reports.exists():
        Report.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            subject=moderated.kind_of(item).author_of(item),
            reporter=None,
            reason=Report.Reason.WATCHED_WORD,
            details=details,
        )


# Screening: the watched words, installed as the site's one screener -----------------------


def blocked_message(match: Match) -> str:
    return _(
        "Your post contains “%(word)s”, which is not allowed on this site. Please reword it."
    ) % {"word": match.word}


HELD_REASON = gettext_noop("It contains “%(word)s”, a word our moderators check first.")
WATCHED_WORD_REASON = gettext_noop("Watched word “%(word)s”.")
HELD_DETAILS = gettext_noop("Held: contains the watched word “%(word)s”.")
REPORTED_DETAILS = gettext_noop("Contains the watched word “%(word)s”.")
AUTO_HIDE_REASON = gettext_noop("%(count)s open reports from members.")


def _held_reason(match: Match) -> str:
    return HELD_REASON % {"word": match.word}


class WatchedWordScreener:
    """What leonsite.lib.screening.publishing() asks: refuse, hold or report a text."""

    def screen(self, *texts: str) -> Match | None:
        match = watchwords.screen(*texts)
        if match is not None and match.blocks:
            raise ValidationError(blocked_message(match), code="watched_word")
        return match

    def hold(self, item: Moderatable, verdict: Match) -> None:
        item.hidden_at = timezone.now()
        item.hidden_cause = Moderatable.HiddenCause.HELD
        item.hidden_reason = _held_reason(verdict)
        item.hidden_by = None

    def published(self, item: Moderatable, verdict: Match) -> None:
        author = moderated.kind_of(item).author_of(item)
        reason = WATCHED_WORD_REASON % {"word": verdict.word}
        if verdict.holds:
            if not item.is_hidden:
                _set_hidden(
                    item, cause=Moderatable.HiddenCause.HELD, reason=_held_reason(verdict), by=None
                )
            _system_report(item, details=HELD_DETAILS % {"word": verdict.word})
            log(kind=ModerationAction.Kind.HOLD, actor=None, subject=author, item=item,
                reason=reason)  # fmt: skip
        else:
            _system_report(item, details=REPORTED_DETAILS % {"word": verdict.word})
            log(kind=ModerationAction.Kind.AUTO_REPORT, actor=None, subject=author, item=item,
                reason=reason)  # fmt: skip


# Reports ----------------------------------------------------------------------------------


@dataclass
class ReportOutcome:
    report: Report
    hidden: bool


def report_create(
    *, reporter: Any, item: Any, reason: str, details: str = "", ip: str | None = None
) -> ReportOutcome:
    """File a member's report; the third open one from distinct members hides the item."""
    if reason not in dict(Report.MEMBER_REASONS):
        raise ValidationError(_("Choose a reason for your report."), code="bad_reason")
    kind = moderated.kind_of(item)
    author = kind.author_of(item)
    if author.pk == reporter.pk:
        raise ValidationError(_("You can't report your own post."), code="own_item")
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
        with translation.override("en"):  # the log is kept in English
            summary = str(report.get_reason_display())
        if details:
            summary += f": {Truncator(details).chars(300)}"
        log(kind=ModerationAction.Kind.REPORT, actor=reporter, subject=author, item=locked,
            reason=summary, ip=ip)  # fmt: skip
        hidden = not locked.is_hidden and _hide_if_reported_enough(locked, author)
    return ReportOutcome(report, hidden)


def _hide_if_reported_enough(item: Any, author: Any) -> bool:
    members = (
        Report.objects.for_item(item)
        .open()
        .filter(trusted_reporters())
        .values("reporter")
        .distinct()
        .count()
    )
    if members < auto_hide_threshold():
        return False
    _set_hidden(item, cause=Moderatable.HiddenCause.REPORTS, reason=AUTO_HIDE_MESSAGE, by=None)
    log(kind=ModerationAction.Kind.AUTO_HIDE, actor=None, subject=author, item=item,
        reason=AUTO_HIDE_REASON % {"count": members})  # fmt: skip
    return True


# Decisions --------------------------------------------------------------------------------


@dataclass
class Decision:
    changed: bool
    message: str


def _hide(kind: ModeratedKind, item: Any, moderator: Any, reason: str) -> Decision:
    if item.hidden_cause == Moderatable.HiddenCause.MODERATOR:
        return Decision(False, _("A moderator has already hidden this."))
    _set_hidden(item, cause=Moderatable.HiddenCause.MODERATOR, reason=reason, by=moderator)
    _resolve_reports(item, status=Report.Status.UPHELD, by=moderator)
    return Decision(True, _("Hidden. The author sees your reason."))


def _restore(kind: ModeratedKind, item: Any, moderator: Any, reason: str) -> Decision:
    if not item.is_hidden:
        return Decision(False, _("This is not hidden: nothing to restore."))
    _clear_hidden(item)
    _resolve_reports(item, status=Report.Status.DISMISSED, by=moderator)
    return Decision(True, _("Restored: it is public again."))


def _dismiss(kind: ModeratedKind, item: Any, moderator: Any, reason: str) -> Decision:
    closed = _resolve_reports(item, status=Report.Status.DISMISSED, by=moderator)
    restored = item.hidden_cause in _AUTOMATIC
    if not closed and not restored:
        return Decision(False, _("There are no open reports on this."))
    if restored:
        _clear_hidden(item)
    return Decision(
        True, _("Reports dismissed and the post restored.") if restored else _("Reports dismissed.")
    )


def _mark_spoiler(kind: ModeratedKind, item: Any, moderator: Any, reason: str) -> Decision:
    if kind.mark_spoiler is None:
        raise ValidationError(
            _("A %(kind)s can’t be marked as a spoiler.") % {"kind": labels.kind_label(kind)},
            code="no_spoiler_flag",
        )
    restored = item.hidden_cause in _AUTOMATIC
    reported = Report.objects.for_item(item).open().exists()
    marked = kind.mark_spoiler(item)
    if not marked and not restored and not reported:
        return Decision(
            False,
            _("This %(kind)s is already marked as containing spoilers.")
            % {"kind": labels.kind_label(kind)},
        )
    if restored:
        _clear_hidden(item)
    _resolve_reports(item, status=Report.Status.UPHELD, by=moderator)
    return Decision(
        True,
        _("Marked as containing spoilers and restored.")
        if restored
        else _("Marked as containing spoilers."),
    )


DecisionHandler = Callable[[ModeratedKind, Any, Any, str], Decision]
DECISIONS: dict[str, tuple[DecisionHandler, str]] = {
    "hide": (_hide, ModerationAction.Kind.HIDE),
    "restore": (_restore, ModerationAction.Kind.RESTORE),
    "dismiss": (_dismiss, ModerationAction.Kind.DISMISS),
    "spoiler": (_mark_spoiler, ModerationAction.Kind.SPOILER),
}


def decisions_for(item: Any) -> list[str]:
    """The decisions that make sense for the item as it stands, in the queue's order."""
    actions = ["restore"] if item.is_hidden else []
    if item.hidden_cause != Moderatable.HiddenCause.MODERATOR:
        actions.append("hide")
    actions.append("dismiss")
    if moderated.kind_of(item).mark_spoiler is not None:
        actions.append("spoiler")
    return actions


def _required_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, code="no_reason")
    return reason


def decide(
    *, moderator: Any, item: Any, action: str, reason: str, ip: str | None = None
) -> Decision:
    """Hide, restore, dismiss the reports on, or mark as spoiler, one item."""
    if action not in DECISIONS:
        raise ValidationError(_("Unknown moderation action."), code="bad_action")
    handler, log_kind = DECISIONS[action]
    reason = _required_reason(reason, _("Give a reason: pick one or write it."))
    kind = moderated.kind_of(item)
    with transaction.atomic():
        locked = _lock(item)
        was_hidden = locked.is_hidden
        decision = handler(kind, locked, moderator, reason)
        if decision.changed:
            log(kind=log_kind, actor=moderator, subject=kind.author_of(locked), item=locked,
                reason=reason, ip=ip)  # fmt: skip
            _tell_author(kind, locked, _outcome(action, was_hidden, locked.is_hidden), reason)
    item.refresh_from_db()
    return decision


def _outcome(action: str, was_hidden: bool, is_hidden: bool) -> str | None:
    """What the author is told a decision did to their post: a dismissal that restored
    an automatically hidden post is a restore; one that changed nothing, nothing."""
    if action == "spoiler":
        return "spoiler"
    if is_hidden and action == "hide":
        return "hide"
    if was_hidden and not is_hidden:
        return "restore"
    return None


def _tell_author(kind: ModeratedKind, item: Any, outcome: str | None, reason: str) -> None:
    if outcome is None:
        return
    author = kind.author_of(item)
    transaction.on_commit(
        lambda: signals.post_decided.send(
            sender=kind.model, item=item, kind=kind.name, author=author, action=outcome,
            reason=reason,
        )
    )  # fmt: skip


# Silences and suspensions -----------------------------------------------------------------


@dataclass(frozen=True)
class RestrictionRule:
    restriction: accounts.Restriction
    lifts: bool
    log_kind: str
    done: str | Promise  # the message once done, formatted with name and until
    idle: str | Promise = ""  # the message when a lift finds nothing to lift


RESTRICTIONS = {
    "silence": RestrictionRule(
        "silence",
        False,
        ModerationAction.Kind.SILENCE,
        gettext_lazy("%(name)s is silenced until %(until)s."),
    ),
    "suspend": RestrictionRule(
        "suspend",
        False,
        ModerationAction.Kind.SUSPEND,
        gettext_lazy("%(name)s is suspended until %(until)s."),
    ),
    "unsilence": RestrictionRule(
        "silence",
        True,
        ModerationAction.Kind.UNSILENCE,
        gettext_lazy("%(name)s can post again."),
        gettext_lazy("%(name)s is not silenced."),
    ),  # fmt: skip
    "unsuspend": RestrictionRule(
        "suspend",
        True,
        ModerationAction.Kind.UNSUSPEND,
        gettext_lazy("%(name)s can log in again."),
        gettext_lazy("%(name)s is not suspended."),
    ),  # fmt: skip
}


def _check_restriction(
    *, moderator: Any, member: Any, rule: RestrictionRule, until: datetime | None
) -> None:
    if member.pk == moderator.pk:
        raise ValidationError(_("You can't restrict your own account."), code="self")
    if member.is_superuser or member.is_staff or is_moderator(member):
        raise ValidationError(
            _("Staff accounts are restricted in the admin, not here."), code="staff_member"
        )
    if rule.lifts:
        return
    now = timezone.now()
    if until is None or until <= now:
        raise ValidationError(_("Pick a date in the future."), code="past")
    if until - now > MAX_RESTRICTION:
        raise ValidationError(_("Pick a date within ten years."), code="too_far")


def _is_active(profile: Profile, restriction: str) -> bool:
    return profile.is_silenced if restriction == "silence" else profile.is_suspended


def sanction(
    *,
    moderator: Any,
    member: Any,
    action: str,
    until: datetime | None = None,
    reason: str,
    ip: str | None = None,
) -> Decision:
    """Silence or suspend a member until a date, or lift it early."""
    rule = RESTRICTIONS.get(action)
    if rule is None:
        raise ValidationError(_("Unknown action."), code="bad_action")
    reason = _required_reason(reason, _("Give a reason: the member reads it."))
    _check_restriction(moderator=moderator, member=member, rule=rule, until=until)
    name = member.username
    with transaction.atomic():
        if rule.lifts and not _is_active(Profile.objects.for_user(member), rule.restriction):
            return Decision(False, str(rule.idle) % {"name": name})
        accounts.restriction_set(
            user=member,
            restriction=rule.restriction,
            until=None if rule.lifts else until,
            reason=reason,
        )
        log(kind=rule.log_kind, actor=moderator, subject=member, item=None, reason=reason,
            until=until, ip=ip)  # fmt: skip
        if not rule.lifts:
            transaction.on_commit(
                lambda: signals.member_restricted.send(
                    sender=Profile, member=member, action=rule.restriction, until=until,
                    reason=reason,
                )
            )  # fmt: skip
    when = _("%(when)s UTC") % {"when": date_format(until, "j M Y, H:i")} if until else ""
    return Decision(True, str(rule.done) % {"name": name, "until": when})
