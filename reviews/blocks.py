"""The community's blocks on other apps' pages, plugged into their slots in apps.py.

Each function gives a block's context. Reads wait in cached properties until the
block's template reaches them, so a block served from its cached fragment runs no
query at all.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property

from . import selectors, seo
from .forms import AddToCollectionForm
from .models import FilmRatingStats, Review
from .stars import stars

BAR_STEP = 5
PROFILE_REVIEWS_PER_PAGE = 20


def histogram(stats: FilmRatingStats) -> list[dict[str, Any]]:
    counts = stats.buckets
    peak = max(counts) or 1
    rows = []
    for rating, count in enumerate(counts, start=1):
        percent = round(count * 100 / peak / BAR_STEP) * BAR_STEP
        if count and not percent:
            percent = BAR_STEP  # a single rating among thousands stays visible
        rows.append(
            {
                "rating": rating,
                "label": stars(rating),
                "count": count,
                "height": percent,
                "share": round(count * 100 / stats.count) if stats.count else 0,
            }
        )
    return rows


class FilmRatings:
    """A film's ratings block: average, histogram, the member's own review, the latest."""

    def __init__(self, request: HttpRequest | None, film: Any, latest: int) -> None:
        self.request = request
        self.film = film
        self.latest_count = latest
        self.user = getattr(request, "user", None)

    @cached_property
    def stats(self) -> FilmRatingStats:
        return selectors.rating_stats(self.film)

    @cached_property
    def bars(self) -> list[dict[str, Any]]:
        return histogram(self.stats)

    @cached_property
    def own_review(self) -> Review | None:
        return selectors.own_review(self.user, self.film) if self.user is not None else None

    @cached_property
    def latest(self) -> list[Review]:
        if not self.latest_count:
            return []
        return selectors.latest_reviews(film=self.film, limit=self.latest_count)

    @cached_property
    def life(self) -> selectors.FilmLife | None:
        """The member's own rating, viewings and watchlist (outside every cached fragment)."""
        if self.user is None or not self.user.is_authenticated:
            return None
        return selectors.film_life(self.user, self.film)

    @cached_property
    def aggregate_jsonld(self) -> dict[str, Any] | None:
        return seo.aggregate_rating(self.request, self.film, self.stats)


def film_ratings(request: HttpRequest | None, film: Any, on_home: bool = False) -> dict[str, Any]:
    """The summary in the film's header: average, histogram, your rating and actions."""
    return {"ratings": FilmRatings(request, film, latest=0)}


def film_latest(request: HttpRequest | None, film: Any, on_home: bool = False) -> dict[str, Any]:
    """The latest reviews beside the catalogue on the film page (not on the home page,
    which lists the latest of all)."""
    return {"ratings": FilmRatings(request, film, latest=0 if on_home else 3)}


class HomeCommunity:
    @cached_property
    def reviews(self) -> list[Review]:
        return selectors.latest_reviews(limit=6)

    @cached_property
    def collections(self) -> list[Any]:
        return selectors.popular_collections(limit=4)


def home_community(request: HttpRequest | None) -> dict[str, Any]:
    return {"community": HomeCommunity()}


def add_to_collection(
    request: HttpRequest | None, quote: Any, standalone: bool = False
) -> dict[str, Any]:
    """A small "add to collection" form for one quote; the member's collections are read
    once per request, however many quotes the page lists."""
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"collection_form": None, "standalone": standalone}
    if not hasattr(request, "_my_collections"):
        request._my_collections = selectors.collections_of(user)  # type: ignore[attr-defined]
    form = AddToCollectionForm(
        initial={"quote": quote.pk, "next": request.get_full_path()},
        collections=request._my_collections,  # type: ignore[attr-defined]
        action=reverse("reviews:collection-add"),
        auto_id=f"q{quote.pk}-%s",
        submit_id=f"q{quote.pk}-add",
    )
    return {"collection_form": form, "standalone": standalone}


def profile_sections(
    request: HttpRequest | None, member: Any, is_me: bool = False
) -> dict[str, Any]:
    number = request.GET.get("page") if request is not None else None
    page = Paginator(
        selectors.reviews_by(member, include_hidden=is_me), PROFILE_REVIEWS_PER_PAGE
    ).get_page(number)
    viewer = getattr(request, "user", None)
    return {
        "page_obj": page,
        "reviews": page.object_list,
        "collections": list(selectors.collections_by(member, viewer)[:12]),
        "liked": selectors.reviews_liked_by(member),
    }


def profile_film_life(
    request: HttpRequest | None, member: Any, is_me: bool = False
) -> dict[str, Any]:
    """Links to the member's diary and watchlist, for those who may open them."""
    viewer = getattr(request, "user", None)
    chosen = selectors.film_life_settings(member)
    return {
        "show_diary": selectors.may_see(viewer, member, chosen.diary_visibility),
        "show_watchlist": selectors.may_see(viewer, member, chosen.watchlist_visibility),
    }
