"""One call screens and publishes every text a member writes: `publishing()`.

The app that owns a text (a review, a comment, a collection and its notes, a display
name and a bio) saves it inside `publishing(item, *texts)`. The screener the moderation
app installs (`install`) decides: refuse the write (a ValidationError), hold the item
hidden until a moderator looks, or publish it and report it. Without a screener, texts
are published as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db import transaction

if TYPE_CHECKING:
    from .moderated import Moderatable


class Verdict(Protocol):
    @property
    def holds(self) -> bool: ...


V = TypeVar("V", bound=Verdict)


class Screener(Protocol[V]):
    def screen(self, *texts: str) -> V | None:
        """The verdict on the texts; raises ValidationError when they are refused."""

    def hold(self, item: Moderatable, verdict: V) -> None:
        """Mark an item that is not saved yet as held: it is born hidden."""

    def published(self, item: Moderatable, verdict: V) -> None:
        """Inside the write's transaction, once the item is saved: hold it, report it."""


_screener: Screener[Any] | None = None


def install(screener: Screener[Any] | None) -> None:
    global _screener  # noqa: PLW0603 - one screener per process, set at start-up
    _screener = screener


@contextmanager
def publishing(item: Moderatable, *texts: str) -> Iterator[Any]:
    """Screen `texts` (refusing the write when they are blocked), then run the block,
    which saves `item`, in a transaction that also holds or reports it as screened."""
    screener = _screener
    verdict = screener.screen(*texts) if screener is not None else None
    if screener is not None and verdict is not None and verdict.holds and item.pk is None:
        screener.hold(item, verdict)
    with transaction.atomic():
        yield verdict
        if screener is not None and verdict is not None:
            screener.published(item, verdict)


def check(*texts: str) -> None:
    """Refuse blocked texts (a ValidationError) without publishing anything: for forms,
    such as the admin's, that must show the error before their write runs."""
    if _screener is not None:
        _screener.screen(*texts)
