"""Each app's part of a member's data: what their export holds and what deleting their
account erases. Apps register their part from AppConfig.ready(), so accounts never
imports them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DataPart:
    name: str
    # Sections of the JSON export, e.g. {"reviews": [...], "comments": [...]}.
    export: Callable[[Any], dict[str, Any]]
    # Runs inside the deletion's transaction, after the account is anonymised.
    erase: Callable[[Any], None] | None = None


_parts: dict[str, DataPart] = {}


def register(part: DataPart) -> None:
    _parts[part.name] = part


def parts() -> list[DataPart]:
    return list(_parts.values())
