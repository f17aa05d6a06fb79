"""The catalogue's writes made on the site (the admin writes through its own forms,
with their history): how far a member has watched a film, and fans' corrections (a
suggestion, and the curator's decision on it)."""

from typing import Any

import reversion
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leonsite.lib import screening

from . import corrections
from .models import Correction, Film, Scene, WatchProgress


def progress_set(*, user: Any, film: Film, scene: Scene | None, seen_all: bool) -> WatchProgress:
    """Watched up to `scene`, or all of it (`seen_all`), or nothing (neither)."""
    if scene is not None and scene.film_id != film.pk:
        raise ValueError("That scene belongs to another film.")
    with transaction.atomic():
        progress, _ = WatchProgress.objects.update_or_create(
            user=user, film=film, defaults={"scene": scene, "seen_all": seen_all}
        )
    return progress


# Fans' corrections -------------------------------------------------------------------------


class AlreadyDecided(ValidationError):
    """The suggestion was accepted or rejected already: it is decided once."""


class StaleCorrection(ValidationError):
    """The fact changed since the suggestion was made: the curator confirms or refuses."""


def correction_create(
    *, member: Any, kind: str, obj: Any, field: str, proposed: str, source_url: str
) -> Correction:
    """A member's suggestion: the fact named by `field` of `obj` should read `proposed`
    (validated by the field itself), as `source_url` shows. Screened like every text a
    member writes: refused, held for the moderators, or published and reported."""
    correctable = corrections.kind_named(kind)
    if correctable is None or not isinstance(obj, correctable.model):
        raise ValidationError(_("That cannot be corrected here."), code="kind")
    fact = correctable.fact(obj, field)
    try:
        value = fact.parse(proposed)
    except ValidationError as err:
        raise ValidationError({"proposed_value": err.messages}) from err
    proposed_text = corrections.as_text(fact.model_field, value)
    if proposed_text == fact.current:
        raise ValidationError(
            {"proposed_value": _("That is what it already says.")}, code="unchanged"
        )
    correction = Correction(
        kind=kind,
        object_id=obj.pk,
        field=fact.key,
        field_label=fact.label[:60],
        object_label=str(obj)[:200],
        current_value=fact.current,
        proposed_value=proposed_text,
        source_url=source_url.strip(),
        member=member,
    )
    with screening.publishing(correction, proposed_text, correction.source_url):
        correction.full_clean()
        correction.save()
    return correction


def _lock_pending(correction: Correction) -> Correction:
    locked: Correction = (
        Correction.objects.select_for_update().select_related("member").get(pk=correction.pk)
    )
    if not locked.is_pending:
        raise AlreadyDecided(
            _("This suggestion was already %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="decided",
        )
    return locked


def correction_target(
    correction: Correction, *, lock: bool = False
) -> tuple[Any, corrections.Fact]:
    """The object a suggestion names and the fact it corrects (a ValidationError when
    either is gone: a deleted person, a deleted quote line). `lock` holds the object's
    row until the transaction ends, so two suggestions for it are applied one at a time
    and the second sees the first's change."""
    correctable = corrections.kind_named(correction.kind)
    if correctable is None:
        raise ValidationError(_("That kind can no longer be corrected."), code="kind")
    try:
        objects = correctable.objects()
        obj = (objects.select_for_update(of=("self",)) if lock else objects).get(
            pk=correction.object_id
        )
    except ObjectDoesNotExist as err:
        raise ValidationError(_("What it corrects no longer exists."), code="gone") from err
    return obj, correctable.fact(obj, correction.field)


def correction_is_stale(correction: Correction) -> bool:
    """The fact no longer says what it said when the suggestion was made."""
    try:
        _obj, fact = correction_target(correction)
    except (ValidationError, ObjectDoesNotExist):
        return True
    return fact.current != correction.current_value


def correction_accept(
    *, correction: Correction, curator: Any, confirm_stale: bool = False
) -> Correction:
    """Apply the suggestion as a curator's edit would be: validated with full_clean and
    saved in a django-reversion revision by the curator that credits the member, so it
    shows in the object's history and can be reverted there. A suggestion whose fact
    changed since it was made is refused unless the curator confirms it."""
    with transaction.atomic():
        locked = _lock_pending(correction)
        if locked.is_hidden:
            raise ValidationError(
                _("Moderators are holding this suggestion: it cannot be applied now."),
                code="hidden",
            )
        obj, fact = correction_target(locked, lock=True)
        if fact.current != locked.current_value and not confirm_stale:
            raise StaleCorrection(
                _(
                    "The %(field)s changed since this suggestion was made: it now reads "
                    "“%(now)s”. Confirm to apply the suggestion anyway."
                )
                % {"field": fact.label.lower(), "now": fact.current},
                code="stale",
            )
        row = fact.row
        setattr(row, fact.attname, fact.parse(locked.proposed_value))
        with reversion.create_revision():
            row.full_clean()
            row.save()
            if row is not obj:
                reversion.add_to_revision(obj)
            reversion.set_user(curator)
            reversion.set_comment(
                _("Correction #%(pk)s from %(member)s accepted: source %(url)s")
                % {
                    "pk": locked.pk,
                    "member": locked.member.get_username(),
                    "url": locked.source_url,
                }
            )
        locked.status = Correction.Status.ACCEPTED
        locked.decided_by = curator
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def correction_reject(*, correction: Correction, curator: Any, reason: str) -> Correction:
    """Refuse the suggestion, saying why (the member reads it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the suggestion is rejected.")}, code="reason")
    with transaction.atomic():
        locked = _lock_pending(correction)
        locked.status = Correction.Status.REJECTED
        locked.reason = reason
        locked.decided_by = curator
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return locked
