"""Template tags that put the community on pages the `films` app renders.

`films` never imports `reviews`; its templates load these tags instead.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from ..models import DELETED_USER_LABEL

register = template.Library()

BAR_STEP = 5


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


@register.filter
def member_name(user) -> str:
    """The name a member goes by: display name, else username; "a deleted user" once gone."""
    if user is None:
        return DELETED_USER_LABEL
    profile = _profile(user)
    if profile is not None:
        return profile.name
    return user.username if user.is_active else DELETED_USER_LABEL


@register.filter
def member_url(user) -> str:
    profile = _profile(user)
    if not user.is_active or (profile is not None and profile.deleted_at):
        return ""
    return reverse("reviews:profile", kwargs={"username": user.username})


@register.filter
def member_avatar(user):
    profile = _profile(user)
    if profile is not None and profile.avatar and not profile.deleted_at:
        return profile.avatar.url
    return ""


@register.filter
def stars_text(rating) -> str:
    """3.5 stars, 1 star, half a star."""
    if not rating:
        return ""
    value = int(rating) / 2
    if value == 0.5:
        return "half a star"
    return f"{value:g} star{'' if value == 1 else 's'}"


@register.filter
def stars_glyphs(rating) -> str:
    if not rating:
        return ""
    whole, half = divmod(int(rating), 2)
    return "★" * whole + ("½" if half else "")


def histogram(stats) -> list[dict]:
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
                "label": stars_text(rating),
                "count": count,
                "height": percent,
                "share": round(count * 100 / stats.count) if stats.count else 0,
            }
        )
    return rows


@register.inclusion_tag("includes/rating_summary.html", takes_context=True)
def rating_summary(context, film, latest=3):
    from .. import selectors, seo

    request = context.get("request")
    user = getattr(request, "user", None)
    stats = selectors.rating_stats(film)
    return {
        "film": film,
        "stats": stats,
        "bars": histogram(stats),
        "average": stats.average,
        "own_review": selectors.own_review(user, film) if user is not None else None,
        "latest": selectors.latest_reviews(film=film, limit=latest) if latest else [],
        "aggregate_jsonld": seo.aggregate_rating(request, film, stats),
        "request": request,
        "user": user,
    }


@register.inclusion_tag("includes/latest_reviews.html", takes_context=True)
def latest_reviews(context, limit=6):
    from .. import selectors

    return {"reviews": selectors.latest_reviews(limit=limit), "request": context.get("request")}


@register.inclusion_tag("includes/popular_collections.html", takes_context=True)
def popular_collections(context, limit=4):
    from .. import selectors

    return {
        "collections": selectors.popular_collections(limit=limit),
        "request": context.get("request"),
    }


@register.inclusion_tag("includes/add_to_collection.html", takes_context=True)
def add_to_collection(context, quote, standalone=False):
    """A small "add to collection" form for one quote; the member's collections are read
    once per request, however many quotes the page lists."""
    from .. import selectors
    from ..forms import AddToCollectionForm

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"quote": quote, "form": None, "request": request, "standalone": standalone}
    if not hasattr(request, "_my_collections"):
        request._my_collections = selectors.collections_of(user)
    form = AddToCollectionForm(
        initial={"quote": quote.pk, "next": request.get_full_path()},
        collections=request._my_collections,
        action=reverse("reviews:collection-add"),
        auto_id=f"q{quote.pk}-%s",
        submit_id=f"q{quote.pk}-add",
    )
    return {"quote": quote, "form": form, "request": request}
