"""Running totals moved with F() expressions, shared by the community and moderation
services (a hidden review leaves the rating statistics; a restored one comes back)."""

from django.db.models import F

from .models import FilmRatingStats


def rating_stats_change(film_id: int, *, count: int, total: int, buckets: dict[int, int]) -> None:
    # The row may not exist yet: create it race-free, then move it with F() expressions
    # (the UPDATE takes the row lock, so concurrent changes add up exactly).
    FilmRatingStats.objects.bulk_create([FilmRatingStats(film_id=film_id)], ignore_conflicts=True)
    changes = {"count": F("count") + count, "total": F("total") + total}
    for rating, delta in buckets.items():
        if delta:
            changes[f"b{rating}"] = F(f"b{rating}") + delta
    FilmRatingStats.objects.filter(film_id=film_id).update(**changes)
