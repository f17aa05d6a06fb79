"""Every page type of the site, each with a URL built from test data.

The accessibility, HTML-validity and screenshot gates all walk this one list: a new page
type is covered by adding one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from films.models import Character, Person, Quote

LEON = "leon-the-professional"


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[], str]
    status: int = 200
    # Who can see it: "anyone" pages are checked signed out and signed in.
    audience: str = "anyone"


PAGE_TYPES = [
    PageType("home", lambda: "/"),
    PageType("film-list", lambda: "/films/"),
    PageType("film", lambda: f"/films/{LEON}/"),
    PageType("cast", lambda: f"/films/{LEON}/cast/"),
    PageType("soundtrack", lambda: f"/films/{LEON}/soundtrack/"),
    PageType("quotes", lambda: f"/films/{LEON}/quotes/"),
    PageType("trivia", lambda: f"/films/{LEON}/trivia/"),
    PageType("scenes", lambda: f"/films/{LEON}/scenes/"),
    PageType("character", lambda: Character.objects.get(slug="mathilda").get_absolute_url()),
    PageType("person", lambda: Person.objects.get(slug="eric-serra").get_absolute_url()),
    PageType("quote", lambda: Quote.objects.get(key="bring-me-everyone").get_absolute_url()),
    PageType("search", lambda: "/search/?q=mathilda"),
    PageType("not-found", lambda: "/films/no-such-film/", status=404),
    # The community (reviews app); sample rows come from community_sample().
    PageType("reviews", lambda: f"/films/{LEON}/reviews/"),
    PageType("review", lambda: community_sample()["review"].get_absolute_url()),
    PageType("collections", lambda: "/collections/"),
    PageType("collection", lambda: community_sample()["collection"].get_absolute_url()),
    PageType("profile", lambda: f"/u/{community_sample()['author'].username}/"),
    PageType("login", lambda: "/accounts/login/", audience="anonymous"),
    PageType("signup", lambda: "/accounts/signup/", audience="anonymous"),
    PageType("review-form", lambda: f"/films/{LEON}/reviews/new/", audience="member"),
    PageType("collection-form", lambda: "/collections/new/", audience="member"),
    PageType("settings", lambda: "/accounts/settings/", audience="member"),
]


def community_sample() -> dict:
    """A review (with a comment) and a public collection by one member, made once per
    test database, for the community page types."""
    from django.contrib.auth import get_user_model

    from films.models import Film
    from reviews import services
    from reviews.models import QuoteCollection, Review

    author, created = get_user_model().objects.get_or_create(
        username="sample-author", defaults={"email": "sample-author@example.com"}
    )
    profile = services.profile_for(author)
    if created:
        profile.display_name = "Sample Author"
        profile.bio = "Waters the plant every morning."
        profile.save()
    film = Film.objects.get(slug=LEON)
    review = Review.objects.for_film(film).filter(author=author).first()
    if review is None:
        review = services.review_create(
            author=author,
            film=film,
            rating=9,
            title="Quiet, sad and tender",
            body="The plant says it all. *Milk*, and ||a spoiler about the ending||.",
        )
        services.comment_create(author=author, review=review, body="Replying to myself.")
    collection = QuoteCollection.objects.filter(owner=author).first()
    if collection is None:
        collection = services.collection_create(
            owner=author, title="Lines I repeat", description="The ones that stay."
        )
        for quote in Quote.objects.filter(film=film).order_by("pk")[:3]:
            services.collection_add_quote(collection=collection, quote=quote, note="Every time.")
    return {"author": author, "review": review, "collection": collection}


def page_type(name: str) -> PageType:
    return next(p for p in PAGE_TYPES if p.name == name)
