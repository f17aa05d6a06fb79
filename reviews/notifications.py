"""Notifications: every write and read of them goes through here.

Other features tell a member something happened with `notify()`; the community's own
events (likes, comments, follows, copies) call it from their services, inside the
write's transaction, and moderators' decisions reach it through the moderation app's
signals (connected in ReviewsConfig.ready()). Nothing is sent for a member's own
actions, between two members when either blocks the other, or of a kind the recipient
switched off.

Grouping: a burst of one kind on one target is one unread row whose count goes up in
the database (UPDATE ... count + 1, or INSERT under a unique "open group" key, retried
when a concurrent event won the insert), so no event is lost. Reading a group closes
it; the next event opens a new one that counts only what came after, as GitHub does.

The unread count in the navigation is cached per member under a version key that every
change moves (counted at login, then again only after a change): a page costs at most
one query for it, and none while nothing changed.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from leonsite.accounts.models import Profile
from leonsite.lib import caching, moderated

from .models import (
    Block,
    Comment,
    DigestSent,
    Notification,
    NotificationSettings,
    QuoteCollection,
    Review,
)
from .moderation import signals
from .notification_kinds import RULES, Kind, Switch, sentence

User = get_user_model()
logger = logging.getLogger(__name__)

_COUNT_KEY = "notifications:unread:{}:{}"
_GROUP_RETRIES = 5
UNSUBSCRIBE_SALT = "reviews.notifications.unsubscribe"


def _pk(member: Any) -> int | None:
    if member is None or isinstance(member, int):
        return member
    pk: int | None = member.pk
    return pk


# Settings -------------------------------------------------------------------------------


def settings_for(user: Any) -> NotificationSettings:
    """The member's choices; an unsaved default (everything on, no e-mail) if none."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found if found is not None else NotificationSettings(user_id=user.pk)


def settings_update(
    *, user: Any, enabled: list[str], digest: bool, language: str
) -> NotificationSettings:
    muted = sorted(str(switch) for switch in Switch if switch not in enabled)
    chosen, _ = NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"muted": muted, "digest": digest, "language": language}
    )
    return chosen


def _wanted_kinds(chosen: NotificationSettings) -> list[str]:
    return [str(kind) for kind, rule in RULES.items() if rule.switch not in chosen.muted]


def _wants(recipient_id: int, kind: str) -> bool:
    muted = (
        NotificationSettings.objects.filter(user_id=recipient_id)
        .values_list("muted", flat=True)
        .first()
    )
    return RULES[kind].switch not in (muted or [])


# The unread count -----------------------------------------------------------------------


def _namespace(user_id: int) -> str:
    """Each member's own cache version (leonsite.lib.caching) for their unread count."""
    return f"notifications:{user_id}"


def _changed(*user_ids: int) -> None:
    """Move the members' versions now and once the write commits (caching.bump): a page
    that counted the old rows in between cached its number under a version then gone."""
    for user_id in user_ids:
        caching.bump(_namespace(user_id))


def unread_count(user: Any) -> int:
    """How many unread notifications the member has: from the cache, else one query."""
    key = _COUNT_KEY.format(user.pk, caching.version(_namespace(user.pk)))
    value = cache.get(key)
    if value is None:
        value = Notification.objects.filter(recipient_id=user.pk).unread().count()
        cache.set(key, value, 3600)
    return int(value)


# Writes ---------------------------------------------------------------------------------


def _target_fields(target: Any) -> dict[str, Any]:
    if isinstance(target, Review):
        return {"review": target}
    if isinstance(target, QuoteCollection):
        return {"collection": target}
    if isinstance(target, Comment):
        return {"comment": target, "review_id": target.review_id}
    if target is not None and not isinstance(target, User):
        kind = moderated.kind_of(target)
        return {"item_kind": kind.name}
    return {}


def _group_key(kind: str, target: Any) -> str:
    if not RULES[kind].groups:
        return ""
    if isinstance(target, Comment):
        return f"{kind}:review:{target.review_id}"
    if isinstance(target, Review):
        return f"{kind}:review:{target.pk}"
    if isinstance(target, QuoteCollection):
        return f"{kind}:collection:{target.pk}"
    return str(kind)


def _add_to_group(
    *, recipient_id: int, actor_id: int | None, kind: str, key: str, fields: dict[str, Any]
) -> None:
    now = timezone.now()
    for _attempt in range(_GROUP_RETRIES):
        with transaction.atomic():
            grown = (
                Notification.objects.filter(recipient_id=recipient_id, group_key=key)
                .unread()
                .update(
                    # The same member again (a like taken back and given again) adds nothing.
                    count=Case(When(actor_id=actor_id, then=F("count")), default=F("count") + 1),
                    actor_id=actor_id,
                    updated_at=now,
                    emailed_at=None,
                    **fields,
                )
            )
            if grown:
                return
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        recipient_id=recipient_id,
                        actor_id=actor_id,
                        kind=kind,
                        group_key=key,
                        created_at=now,
                        updated_at=now,
                        **fields,
                    )
                return
            except IntegrityError:
                continue  # a concurrent event opened the group first: add to it
    raise IntegrityError(f"notification group {key} for {recipient_id}: too much contention")


def notify(
    *,
    recipient: Any,
    actor: Any,
    kind: str,
    target: Any = None,
    reason: str = "",
    until: datetime | None = None,
) -> bool:
    """Tell `recipient` that `actor` (None for the site's moderators) did `kind` to
    `target` (a review, comment, collection, member or other moderated post). True if a
    notification was made or grown; False when the rules say nothing is sent."""
    if kind not in RULES:
        raise ValueError(f"Unknown notification kind {kind!r}")
    recipient_id, actor_id = _pk(recipient), _pk(actor)
    if recipient_id is None or recipient_id == actor_id:
        return False
    active = (
        recipient.is_active
        if isinstance(recipient, User)
        else User.objects.filter(pk=recipient_id, is_active=True).exists()
    )
    if not active:  # a deleted account (its public posts stay) is told nothing
        return False
    if actor_id is not None and Block.objects.between(actor_id, recipient_id).exists():
        return False
    if not _wants(recipient_id, kind):
        return False
    fields = _target_fields(target)
    if reason:
        fields["reason"] = reason
    if until is not None:
        fields["until"] = until
    key = _group_key(kind, target)
    with transaction.atomic():
        if key:
            _add_to_group(
                recipient_id=recipient_id, actor_id=actor_id, kind=kind, key=key, fields=fields
            )
        else:
            Notification.objects.create(
                recipient_id=recipient_id, actor_id=actor_id, kind=kind, **fields
            )
        _changed(recipient_id)
    return True


def mark_read(*, user: Any, pk: int) -> bool:
    """Mark one of the member's notifications read; Notification.DoesNotExist if it is
    not theirs. False if it was already read."""
    notification = Notification.objects.get(recipient_id=user.pk, pk=pk)
    if not notification.is_unread:
        return False
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    _changed(user.pk)
    return True


def mark_all_read(*, user: Any) -> int:
    marked = (
        Notification.objects.filter(recipient_id=user.pk).unread().update(read_at=timezone.now())
    )
    if marked:
        _changed(user.pk)
    return marked


# Moderators' decisions (the moderation app's signals) -----------------------------------

_DECIDED = {"hide": Kind.HIDDEN, "restore": Kind.RESTORED, "spoiler": Kind.SPOILER}
_RESTRICTED = {"silence": Kind.SILENCED, "suspend": Kind.SUSPENDED}


def post_decided(
    sender: Any, *, item: Any, author: Any, action: str, reason: str, **_: Any
) -> None:
    kind = _DECIDED.get(action)
    if kind is not None:
        notify(recipient=author, actor=None, kind=kind, target=item, reason=reason)


def member_restricted(
    sender: Any, *, member: Any, action: str, until: datetime, reason: str, **_: Any
) -> None:
    kind = _RESTRICTED.get(action)
    if kind is not None:
        notify(recipient=member, actor=None, kind=kind, reason=reason, until=until)


def count_at_login(sender: Any, *, user: Any, **_: Any) -> None:
    unread_count(user)  # the pages that follow read it from the cache


def connect() -> None:
    user_logged_in.connect(count_at_login, dispatch_uid="notifications-count-at-login")
    signals.post_decided.connect(post_decided, dispatch_uid="notifications-post-decided")
    signals.member_restricted.connect(
        member_restricted, dispatch_uid="notifications-member-restricted"
    )


# Reads: what a notification says and where it leads ------------------------------------


def for_member(user: Any) -> QuerySet[Notification]:
    """The member's notifications, newest activity first, ready to be shown."""
    return Notification.objects.filter(recipient_id=user.pk).for_page()


@dataclass(frozen=True)
class Entry:
    notification: Notification
    text: str
    url: str
    reason: str

    @property
    def is_unread(self) -> bool:
        return self.notification.is_unread


def _actor_name(notification: Notification) -> str:
    actor = notification.actor
    if actor is None:
        return gettext("a deleted user")
    return Profile.objects.for_user(actor).name


def _film_of(notification: Notification) -> str:
    comment = notification.comment
    review = comment.review if comment is not None else notification.review
    return review.film.title if review is not None else ""


_YOUR_ITEM = {
    "diary-entry": lambda: gettext("your diary entry"),
    "profile": lambda: gettext("your profile"),
    "correction": lambda: gettext("your suggested correction"),
}


def _your_item(notification: Notification) -> str:
    if notification.comment is not None:
        return gettext("your comment on a review of %(film)s") % {"film": _film_of(notification)}
    if notification.review is not None:
        return gettext("your review of %(film)s") % {"film": _film_of(notification)}
    if notification.collection is not None:
        return gettext("your collection “%(title)s”") % {"title": notification.collection.title}
    found = _YOUR_ITEM.get(notification.item_kind)
    return found() if found is not None else gettext("your post")


def _item(notification: Notification) -> str:
    kind = notification.kind
    if kind in (Kind.SILENCED, Kind.SUSPENDED):
        when = notification.until or notification.created_at
        return gettext("%(when)s UTC") % {"when": date_format(when, "j M Y, H:i")}
    if RULES[kind].switch == Switch.MODERATION:
        return _your_item(notification)
    if kind == Kind.MENTION:
        if notification.comment is not None:
            return gettext("a comment on a review of %(film)s") % {"film": _film_of(notification)}
        return gettext("a review of %(film)s") % {"film": _film_of(notification)}
    if notification.collection is not None:
        return f"“{notification.collection.title}”"
    return _film_of(notification)


def _shown_to(item: Review | Comment, recipient_id: int) -> bool:
    """Not deleted, and public or the recipient's own (an author sees why it is hidden)."""
    return item.deleted_at is None and (not item.is_hidden or item.author_id == recipient_id)


def _url(notification: Notification) -> str:
    """Where the notification leads, or "" when its target is gone or not the
    recipient's to see (a deleted post, a comment hidden since)."""
    recipient_id = notification.recipient_id
    comment, review, collection = (
        notification.comment,
        notification.review,
        notification.collection,
    )
    if comment is not None:
        review = comment.review
        if _shown_to(comment, recipient_id) and _shown_to(review, recipient_id):
            return _review_url(review) + f"#comment-{comment.pk}"
    if review is not None:
        return _review_url(review) if _shown_to(review, recipient_id) else ""
    if collection is not None:
        if collection.deleted_at is not None:
            return ""
        return str(reverse("reviews:collection-detail", kwargs={"pk": collection.pk}))
    if notification.kind == Kind.FOLLOW:
        actor = notification.actor
        if notification.count == 1 and actor is not None and actor.is_active:
            return str(reverse("accounts:profile", kwargs={"username": actor.username}))
        return str(
            reverse(
                "reviews:member-followers",
                kwargs={"username": notification.recipient.username},
            )
        )
    return ""


def _review_url(review: Review) -> str:
    return str(reverse("reviews:review-detail", kwargs={"pk": review.pk}))


def entries(notifications: Any, *, recipient: Any = None) -> list[Entry]:
    """Each notification's sentence, link and reason in the active language. Spoiler
    safe: names and titles only, never a post's text. `recipient`, when the caller
    knows whose they are, is not read again for each."""
    found = []
    for notification in notifications:
        if recipient is not None and notification.recipient_id == recipient.pk:
            notification.recipient = recipient
        text = sentence(
            notification.kind,
            actor=_actor_name(notification),
            count=notification.count,
            item=_item(notification),
        )
        found.append(Entry(notification, text, _url(notification), notification.reason))
    return found


# The daily e-mail digest ----------------------------------------------------------------


def unsubscribe_token(user: Any) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def digest_unsubscribe(*, token: str) -> Any:
    """Turn the digest off for the member the signed token names; returns them.
    signing.BadSignature for a token that is not ours."""
    user = member_from_token(token)
    NotificationSettings.objects.filter(user=user).update(digest=False)
    return user


def member_from_token(token: str) -> Any:
    """The member a signed unsubscribe token names; signing.BadSignature if none."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise signing.BadSignature("no such member")
    return user


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url else ""


def _digest_message(user: Any, chosen: NotificationSettings, rows: list[Any]) -> EmailMessage:
    language = chosen.language or settings.LANGUAGE_CODE
    with translation.override(language):
        unsubscribe = _absolute(
            reverse("reviews:digest-unsubscribe", kwargs={"token": unsubscribe_token(user)})
        )
        context = {
            "user": user,
            "site_name": settings.SITE_NAME,
            "base_url": settings.SITE_URL,
            "entries": [(entry, _absolute(entry.url)) for entry in entries(rows, recipient=user)],
            "page_url": _absolute(reverse("reviews:notification-list")),
            "settings_url": _absolute(reverse("reviews:notification-settings")),
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string("reviews/email/digest_subject.txt", context).strip()
        body = render_to_string("reviews/email/digest.txt", context)
    return EmailMessage(
        subject,
        body,
        None,
        [user.email],
        headers={
            "Content-Language": language,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_digest(*, user: Any, day: date) -> int:
    """Mail the member their unread, not yet mailed notifications of the kinds they
    chose; how many it held (0: nothing to send, or already sent today). The day's
    record is written before the mail goes, in the same transaction: a rerun or a run at
    the same time finds it and sends nothing twice; a failing send undoes it."""
    chosen = settings_for(user)
    if not chosen.digest or not user.email or not user.is_active:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = DigestSent.objects.create(user=user, day=day)
        except IntegrityError:
            return 0
        pending = Notification.objects.filter(
            recipient=user, kind__in=_wanted_kinds(chosen), emailed_at__isnull=True
        ).unread()
        ids = list(pending.select_for_update().values_list("pk", flat=True))
        if not ids:
            transaction.set_rollback(True)  # nothing sent: a later run today may send
            return 0
        rows = list(Notification.objects.filter(pk__in=ids).for_page())
        _digest_message(user, chosen, rows).send()
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
        record.count = len(ids)
        record.save(update_fields=["count"])
    return len(ids)


def send_digests(*, day: date | None = None) -> int:
    """Every opted-in member's digest for `day` (today by default); how many were sent."""
    day = day or timezone.localdate()
    members = User.objects.filter(notification_settings__digest=True, is_active=True).exclude(
        Q(email="") | Q(digests_sent__day=day)
    )
    sent = 0
    for user in members.iterator():
        try:
            if send_digest(user=user, day=day):
                sent += 1
        except Exception:  # a refused address: its day is rolled back, the others go on
            logger.exception("digest for member %s not sent", user.pk)
    return sent


# A member's part of the account export and deletion ------------------------------------


def member_export(user: Any) -> dict[str, Any]:
    chosen = settings_for(user)
    rows = Notification.objects.filter(recipient_id=user.pk).order_by("created_at", "pk")
    return {
        "notifications": [
            {
                "kind": row.kind,
                "count": row.count,
                "reason": row.reason,
                "created_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
                "read_at": row.read_at.isoformat() if row.read_at else None,
            }
            for row in rows
        ],
        "notification_settings": {
            "switched_off": list(chosen.muted),
            "daily_digest": chosen.digest,
        },
    }


def member_erase(user: Any) -> None:
    """A deleted account's notifications go; so do the ones only they caused, and the
    others forget them as their latest actor."""
    Notification.objects.filter(recipient_id=user.pk).delete()
    caused = Notification.objects.filter(actor_id=user.pk)
    touched = set(caused.values_list("recipient_id", flat=True))
    caused.filter(count=1).delete()
    caused.update(actor=None)
    NotificationSettings.objects.filter(user_id=user.pk).delete()
    DigestSent.objects.filter(user_id=user.pk).delete()
    _changed(user.pk, *touched)
