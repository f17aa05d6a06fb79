"""schema.org JSON-LD for the community: Review, and a film's AggregateRating."""

from films.seo import absolute
from leonsite.accounts.templatetags.members import member_name
from leonsite.lib.spoilers import spoiler_free_text


def aggregate_rating(request, film, stats) -> dict | None:
    """A Movie node carrying only its AggregateRating, merged by URL with the page's Movie."""
    if stats.average is None:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(request, film.get_absolute_url()),
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": stats.average,
            "ratingCount": stats.count,
            "bestRating": 5,
            "worstRating": 0.5,
        },
    }


def review(request, review) -> dict:
    film = review.film
    data = {
        "@context": "https://schema.org",
        "@type": "Review",
        "url": absolute(request, review.get_absolute_url()),
        "datePublished": review.created_at.date().isoformat(),
        "author": {"@type": "Person", "name": member_name(review.author)},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.stars,
            "bestRating": 5,
            "worstRating": 0.5,
        },
        "itemReviewed": {
            "@type": "Movie",
            "name": film.title,
            "url": absolute(request, film.get_absolute_url()),
            "dateCreated": str(film.year),
        },
    }
    if review.open_title:
        data["name"] = review.open_title
    if review.body and not review.is_spoiler:  # a flagged review's body stays out
        data["reviewBody"] = spoiler_free_text(review.body_html)[:500]
    return data
