"""What can be moderated: the hidden state every moderated model carries, and the
registry of moderated kinds.

Each app registers the kinds it owns from its AppConfig.ready() (the community its
reviews, comments and collections; accounts the profiles). The moderation app knows
them only through `kinds()`, `kind_named()` and `kind_of()`: it never imports the apps
whose posts it moderates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Moderatable(models.Model):
    """The hidden state of a post, set and cleared only by the moderation services,
    through save() (so the cache and the search index follow). The text itself is never
    touched, so a restore gives back exactly what was written."""

    class HiddenCause(models.TextChoices):
        MODERATOR = "moderator", _("Hidden by a moderator")
        REPORTS = "reports", _("Hidden after several reports, until a moderator looks")
        HELD = "held", _("Held for review before it is published")

    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)
    hidden_cause = models.CharField(
        _("why hidden"), max_length=10, choices=HiddenCause.choices, blank=True, editable=False
    )
    hidden_reason = models.TextField(
        _("reason given"),
        blank=True,
        editable=False,
        help_text=_("What the author reads about the decision."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )

    HIDDEN_FIELDS = ("hidden_at", "hidden_cause", "hidden_reason", "hidden_by")

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return bool(self.hidden_cause == self.HiddenCause.HELD)


@dataclass(frozen=True)
class ModeratedKind:
    """One kind of moderated item and everything moderation needs to know about it."""

    name: str  # in URLs (/report/review/7/) and anchors
    label: str | Promise  # for people: "review", "quote collection" (lazy: translated)
    model: type[Moderatable]
    author_field: str  # the member who wrote it: "author", "owner", "user"
    # Reads: what a member may report (a forged id of anything else is a 404), and what
    # moderators list (everything not deleted by its author, hidden or not).
    reportable: Callable[[Any], QuerySet[Any]]
    alive: Callable[[], QuerySet[Any]]
    describe: Callable[[Any], str]  # a text snapshot kept in the moderation log
    template: str  # the item in full, in the queue
    line_template: str = ""  # one line in a member's record ("" leaves it out)
    related: tuple[str, ...] = ()  # select_related for moderators' pages
    url_for: Callable[[int], str] | None = None  # a link from the log, by id alone
    # Writes that belong to the owning app: counters that follow a hide (-1) or a
    # restore (+1), and marking the item as a spoiler (True if it changed).
    visibility_changed: Callable[[Any, int], None] | None = None
    mark_spoiler: Callable[[Any], bool] | None = None

    def author_of(self, item: Any) -> Any:
        return getattr(item, self.author_field)

    def author_id_of(self, item: Any) -> int:
        return int(getattr(item, f"{self.author_field}_id"))


_kinds: dict[str, ModeratedKind] = {}


def register(kind: ModeratedKind) -> None:
    _kinds[kind.name] = kind


def kinds() -> list[ModeratedKind]:
    return list(_kinds.values())


def kind_named(name: str) -> ModeratedKind | None:
    return _kinds.get(name)


def kind_of(item: models.Model | type[models.Model]) -> ModeratedKind:
    model = item if isinstance(item, type) else type(item)
    for kind in _kinds.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a moderated kind.")
