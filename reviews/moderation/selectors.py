"""Reads for the moderators' pages and the report form, each a fixed number of queries.

Items are found through the registry of moderated kinds (leonsite.lib.moderated);
a missing or forbidden one raises the model's DoesNotExist, which views turn into 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Max, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from leonsite.lib import moderated
from leonsite.lib.moderated import ModeratedKind

from .models import ModerationAction, RemovalReason, Report

User = get_user_model()

QUEUE_HISTORY = 3
MEMBER_HISTORY = 10


class UnknownKind(ObjectDoesNotExist):
    """No moderated kind goes by this name: as missing as an unknown item."""


def _kind(name: str) -> ModeratedKind:
    kind = moderated.kind_named(name)
    if kind is None:
        raise UnknownKind(name)
    return kind


def reportable(kind_name: str, pk: int, user: Any) -> Any:
    """An item this member may report: what they can see, and nothing hidden or deleted
    (a forged id of a private or hidden item is missing like any unknown one)."""
    kind = _kind(kind_name)
    related = [kind.author_field, *kind.related]
    return kind.reportable(user).select_related(*related).get(pk=pk)


def moderation_item(kind_name: str, pk: int) -> Any:
    """Any item for a moderator, hidden or not."""
    kind = _kind(kind_name)
    return kind.model._default_manager.select_related(kind.author_field, *kind.related).get(pk=pk)


def report_of(user: Any, item: Any) -> Report | None:
    if not user.is_authenticated:
        return None
    return Report.objects.for_item(item).filter(reporter=user).first()


def removal_reasons() -> list[RemovalReason]:
    return list(RemovalReason.objects.filter(is_active=True))


def queue_groups() -> QuerySet[Report, dict[str, Any]]:
    """Open reports, one row per item: the most reported first, then the oldest."""
    return (
        Report.objects.open()
        .values("content_type", "object_id")
        .annotate(count=Count("id"), first=Min("created_at"), last=Max("created_at"))
        .order_by("-count", "first", "object_id")
    )


@dataclass
class Posts:
    kind: ModeratedKind
    items: list[Any]


@dataclass
class History:
    posts: list[Posts] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    actions: list[ModerationAction] = field(default_factory=list)
    report_count: int = 0
    upheld_count: int = 0

    @property
    def has_posts(self) -> bool:
        return any(group.items for group in self.posts)


@dataclass
class QueueEntry:
    kind: ModeratedKind
    object_id: int
    item: Any
    reports: list[Report]
    count: int
    history: History
    form: Any = None

    @property
    def author(self) -> Any:
        return self.kind.author_of(self.item) if self.item is not None else None

    @property
    def anchor(self) -> str:
        return f"item-{self.kind.name}-{self.object_id}"


def _latest_per(queryset: QuerySet[Any], partition: str, limit: int) -> QuerySet[Any]:
    ranked: QuerySet[Any] = queryset.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F(partition)],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    )
    return ranked.filter(rank__lte=limit).order_by("-created_at", "-pk")


def histories(author_ids: set[int], *, limit: int = QUEUE_HISTORY) -> dict[int, History]:
    """Each author's recent posts of every kind listed in a record, earlier reports
    against them and the actions taken about them: one query per such kind, plus three,
    however many authors."""
    result = {pk: History() for pk in author_ids}
    if not author_ids:
        return result
    for kind in moderated.kinds():
        if not kind.line_template:
            continue
        for history in result.values():
            history.posts.append(Posts(kind, []))
        author_id = f"{kind.author_field}_id"
        posts = kind.alive().filter(**{f"{author_id}__in": author_ids})
        for post in _latest_per(posts.select_related(*kind.related), author_id, limit):
            result[getattr(post, author_id)].posts[-1].items.append(post)
    earlier = _latest_per(
        Report.objects.filter(subject_id__in=author_ids)
        .exclude(status=Report.Status.OPEN)
        .select_related("reporter__profile", "content_type"),
        "subject_id",
        limit,
    )
    for report in earlier:
        result[report.subject_id].reports.append(report)
    totals = (
        Report.objects.filter(subject_id__in=author_ids)
        .values("subject_id")
        .annotate(total=Count("id"), upheld=Count("id", filter=Q(status=Report.Status.UPHELD)))
    )
    for row in totals:
        result[row["subject_id"]].report_count = row["total"]
        result[row["subject_id"]].upheld_count = row["upheld"]
    actions = _latest_per(
        ModerationAction.objects.filter(subject_id__in=author_ids)
        .exclude(kind=ModerationAction.Kind.REPORT)
        .select_related("actor__profile"),
        "subject_id",
        limit,
    )
    for action in actions:
        result[action.subject_id].actions.append(action)
    return result


def _items_by_key(groups: list[dict[str, Any]]) -> dict[tuple[int, int], Any]:
    """The groups' items, one query per kind on the page."""
    ids_by_type: dict[int, list[int]] = defaultdict(list)
    for group in groups:
        ids_by_type[group["content_type"]].append(group["object_id"])
    items = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()  # cached per process
        kind = moderated.kind_of(model)  # type: ignore[arg-type]
        queryset = kind.model._default_manager.filter(pk__in=ids)
        for obj in queryset.select_related(f"{kind.author_field}__profile", *kind.related):
            items[(type_id, obj.pk)] = obj
    return items


def queue_entries(groups: Any) -> list[QueueEntry]:
    """The items of one queue page, their open reports and their authors' histories, in
    a fixed number of queries (one per kind of item on the page, plus the histories')."""
    groups = list(groups)
    if not groups:
        return []
    items = _items_by_key(groups)
    wanted = Q(pk__in=[])
    for group in groups:
        wanted |= Q(content_type_id=group["content_type"], object_id=group["object_id"])
    reports: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for report in (
        Report.objects.open()
        .filter(wanted)
        .select_related("reporter__profile")
        .order_by("created_at", "pk")
    ):
        reports[(report.content_type_id, report.object_id)].append(report)
    kinds = {
        group["content_type"]: moderated.kind_of(
            ContentType.objects.get_for_id(group["content_type"]).model_class()  # type: ignore[arg-type]
        )
        for group in groups
    }
    author_ids = {kinds[key[0]].author_id_of(item) for key, item in items.items()}
    history = histories(author_ids)
    entries = []
    for group in groups:
        key = (group["content_type"], group["object_id"])
        kind = kinds[group["content_type"]]
        item = items.get(key)
        entries.append(
            QueueEntry(
                kind=kind,
                object_id=group["object_id"],
                item=item,
                reports=reports[key],
                count=group["count"],
                history=history[kind.author_id_of(item)] if item is not None else History(),
            )
        )
    return entries


def moderation_log() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "actor__profile", "subject__profile", "content_type"
    ).order_by("-created_at", "-pk")


def member_for_moderation(username: str) -> Any:
    return User.objects.select_related("profile").get(username=username)


def reports_made_by(user: Any, limit: int = MEMBER_HISTORY) -> list[Report]:
    return list(
        Report.objects.filter(reporter=user)
        .select_related("subject__profile", "content_type")
        .order_by("-created_at", "-pk")[:limit]
    )


def target_url(entry: ModerationAction) -> str:
    """A link to the logged item, when its kind has one; no query (content types are
    cached per process)."""
    if entry.content_type_id is None or entry.object_id is None:
        return ""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    try:
        kind = moderated.kind_of(model)  # type: ignore[arg-type]
    except LookupError:
        return ""
    return kind.url_for(entry.object_id) if kind.url_for is not None else ""
