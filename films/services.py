"""The catalogue's writes made on the site (the admin writes through its own forms,
with their history): how far a member has watched a film."""

from typing import Any

from django.db import transaction

from .models import Film, Scene, WatchProgress


def progress_set(*, user: Any, film: Film, scene: Scene | None, seen_all: bool) -> WatchProgress:
    """Watched up to `scene`, or all of it (`seen_all`), or nothing (neither)."""
    if scene is not None and scene.film_id != film.pk:
        raise ValueError("That scene belongs to another film.")
    with transaction.atomic():
        progress, _ = WatchProgress.objects.update_or_create(
            user=user, film=film, defaults={"scene": scene, "seen_all": seen_all}
        )
    return progress
