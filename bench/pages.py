"""The page types the benchmark measures, with URLs taken from the seeded database.

Models are imported inside the functions: bench/run.py reads the lists here without
setting Django up.
"""

LEON = "leon-the-professional"

# The pages a member reads signed in (measured both ways, but for the members' own).
SIGNED_IN = [
    "film", "reviews list", "review", "profile", "collection", "collections", "search",
    "search, common word", "autocomplete", "activity", "notifications",
]  # fmt: skip
MEMBERS_ONLY = ["activity", "notifications"]

# The pages signed-out visitors get whole from the cache.
PAGE_CACHED = [
    "home", "film list", "film", "cast", "soundtrack", "quotes", "trivia", "scenes",
    "character", "person", "quote", "reviews list", "review", "feed", "collections",
    "collection", "profile",
]  # fmt: skip

# What search must put first, whatever the data's size: (query, kind, title).
SEARCH_EXPECTATIONS = [
    ("mathlda", "character", "Mathilda Lando"),
    ("stansfeld", "character", "Norman Stansfield"),
    ("leon profesional", "film", "Léon: The Professional"),
    ("shape of my hart", "track", "Shape of My Heart"),
    ("natalie portmann", "person", "Natalie Portman"),
    ("Mathilda", "character", "Mathilda Lando"),
    ("Reno", "person", "Jean Reno"),
]


def bench_member():
    """The member the signed-in pages are read as: the author of the film's first review,
    whom the generated community gives 50 follows and 100 notifications."""
    from reviews.models import Review

    return Review.objects.filter(film__slug=LEON).order_by("pk").first().author


def bench_member_counts() -> dict[str, int]:
    from reviews.models import Follow, Notification

    member = bench_member()
    return {
        "follows": Follow.objects.filter(follower=member).count(),
        "notifications": Notification.objects.filter(recipient=member).count(),
    }


def bench_urls() -> dict[str, str]:
    from films.models import Character, Film, Person, Quote
    from reviews.models import QuoteCollection, Review

    leon = Film.objects.get(slug=LEON)
    review = Review.objects.visible().filter(film=leon).order_by("-like_count").first()
    collection = (
        QuoteCollection.objects.filter(visibility="public", deleted_at__isnull=True)
        .order_by("-item_count", "pk")
        .first()
    )
    busiest = (Review.objects.visible().values("author__username").order_by().first() or {}).get(
        "author__username"
    )
    return {
        "trivial (robots.txt)": "/robots.txt",
        "home": "/",
        "film list": "/films/",
        "film": leon.get_absolute_url(),
        "cast": f"/films/{LEON}/cast/",
        "soundtrack": f"/films/{LEON}/soundtrack/",
        "quotes": f"/films/{LEON}/quotes/",
        "trivia": f"/films/{LEON}/trivia/",
        "scenes": f"/films/{LEON}/scenes/",
        "character": Character.objects.get(film=leon, slug="mathilda").get_absolute_url(),
        "person": Person.objects.get(slug="jean-reno").get_absolute_url(),
        "quote": Quote.objects.filter(film=leon).order_by("pk").first().get_absolute_url(),
        "reviews list": f"/films/{LEON}/reviews/",
        "reviews, highest": f"/films/{LEON}/reviews/?sort=highest&page=3",
        "review": review.get_absolute_url(),
        "feed": f"/films/{LEON}/feed/",
        "collections": "/collections/",
        "collection": collection.get_absolute_url() if collection else "/collections/",
        "profile": f"/u/{busiest}/" if busiest else "/",
        "search": "/search/?q=leon+mathilda",
        "search, common word": "/search/?q=film",
        "autocomplete": "/search/suggest/?q=mathi",
        "activity": "/activity/",
        "notifications": "/notifications/",
    }
