"""Every page type of the site, each with a URL built from test data.

The accessibility, HTML-validity and screenshot gates all walk this one list: a new page
type is covered by adding one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone, translation

from films.models import Character, Person, Quote
from leonsite.accounts.models import Profile

LEON = "leon-the-professional"


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[], str]
    status: int = 200
    # Who can see it: "anyone" pages are checked signed out and signed in as a member;
    # "anonymous", "member" and "moderator" pages only by that visitor.
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
    PageType("profile", lambda: f"/u/{follow_sample()['author'].username}/"),
    PageType("followers", lambda: f"/u/{follow_sample()['author'].username}/followers/"),
    PageType("following", lambda: f"/u/{follow_sample()['author'].username}/following/"),
    PageType("diary", lambda: f"/u/{community_sample()['author'].username}/diary/"),
    PageType("watchlist", lambda: f"/u/{community_sample()['author'].username}/watchlist/"),
    PageType("login", lambda: "/accounts/login/", audience="anonymous"),
    PageType("signup", lambda: "/accounts/signup/", audience="anonymous"),
    PageType("signup-sent", lambda: "/accounts/signup/sent/", audience="anonymous"),
    PageType("confirm", lambda: "/accounts/confirm/MQ/any-token/", audience="anonymous"),
    PageType("review-form", lambda: f"/films/{LEON}/reviews/new/", audience="member"),
    PageType("collection-form", lambda: "/collections/new/", audience="member"),
    PageType("settings", lambda: with_follows("/accounts/settings/"), audience="member"),
    PageType("diary-log", lambda: f"/films/{LEON}/log/", audience="member"),
    PageType("film-life-visibility", lambda: "/diary/visibility/", audience="member"),
    PageType("activity", lambda: with_feed("/activity/"), audience="member"),
    PageType(
        "report-form",
        lambda: f"/report/review/{community_sample()['review'].pk}/",
        audience="member",
    ),
    # Moderation: the queue holds real reports (moderation_sample) when it is checked.
    PageType("moderation-queue", lambda: with_reports("/moderation/"), audience="moderator"),
    PageType("moderation-log", lambda: with_reports("/moderation/log/"), audience="moderator"),
    PageType(
        "moderation-member",
        lambda: f"/moderation/members/{moderation_sample()['troll'].username}/",
        audience="moderator",
    ),
]

AUDIENCES = ("anonymous", "member", "moderator")


def french(page_kind: PageType) -> str:
    """A page type's French address: the English one under /fr/ (README: "Languages").
    The English one is worked out in English whatever a request left active."""
    with translation.override("en"):
        return "/fr" + page_kind.path()


def english(page_kind: PageType) -> str:
    with translation.override("en"):
        return page_kind.path()


def pages_for(who: str) -> list[PageType]:
    """The page types a visitor checks: their own, plus the public ones for members and
    visitors (moderators see the public pages as members do, so only theirs here)."""
    if who == "moderator":
        return [p for p in PAGE_TYPES if p.audience == "moderator"]
    return [p for p in PAGE_TYPES if p.audience in ("anyone", who)]


def make_visitor(who: str):
    """The signed-in user for an audience (None for anonymous), made once per database."""
    from django.contrib.auth import get_user_model

    from tests.factories import make_moderator_role as make_moderator

    if who == "anonymous":
        return None
    username = {"member": "fan", "moderator": "sample-moderator"}[who]
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_password("pw-fan-123456")
        user.save()
    if who == "moderator":
        user = make_moderator(username)
    return user


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
    profile = Profile.objects.for_user(author)
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
    if not author.diary_entries.exists():
        from reviews import diary

        diary.entry_create(
            user=author,
            film=film,
            watched_on=timezone.localdate() - timedelta(days=40),
            rating=9,
            liked=True,
            tags="cinema, with friends",
            note="The plant, again. Still the best ending.",
        )
        diary.entry_create(user=author, film=film, rewatch=True)
        diary.watchlist_add(user=author, film=Film.objects.exclude(pk=film.pk).first() or film)
    return {"author": author, "review": review, "collection": collection}


def moderation_sample() -> dict:
    """Reports for the queue and entries for the log, made once per test database: a
    review three members reported (so it is hidden automatically), a reported comment
    and profile, and a moderator's earlier decision."""
    from django.contrib.auth import get_user_model

    from films.models import Film
    from reviews import services
    from reviews.models import Comment, Review
    from reviews.moderation import services as moderation
    from reviews.moderation.models import Report

    sample = community_sample()
    User = get_user_model()
    troll, created = User.objects.get_or_create(
        username="sample-troll", defaults={"email": "sample-troll@example.com"}
    )
    profile = Profile.objects.for_user(troll)
    if not created:
        return {**sample, "troll": troll}
    profile.display_name = "Loud Larry"
    profile.bio = "Tickets, cheap, every night. Ask me."
    profile.save()
    film = Film.objects.get(slug=LEON)
    review = services.review_create(
        author=troll,
        film=film,
        rating=1,
        title="The ending, told",
        body="Léon dies at the end and *Mathilda* plants the aglaonema at the school.",
    )
    comment = services.comment_create(
        author=troll, review=sample["review"], body="Nobody cares about the plant, honestly."
    )
    rude = services.comment_create(
        author=troll, review=sample["review"], body="Anyone who likes this is an idiot."
    )
    reporters = []
    established = timezone.now() - timedelta(days=60)  # their reports count in full
    for n in range(1, 4):
        reporter, _ = User.objects.get_or_create(
            username=f"sample-reporter-{n}",
            defaults={"email": f"reporter{n}@example.com", "date_joined": established},
        )
        Profile.objects.for_user(reporter)
        reporters.append(reporter)
    details = [
        "Spoils the ending without any warning.",
        "The whole last scene is in the first line.",
        "",
    ]
    for reporter, text in zip(reporters, details, strict=True):
        moderation.report_create(reporter=reporter, item=review, reason="spoilers", details=text)
    moderation.report_create(
        reporter=reporters[0], item=comment, reason="off_topic", details="Not about the film."
    )
    moderation.report_create(
        reporter=reporters[1], item=troll.profile, reason="spam", details="Sells tickets."
    )
    moderation.report_create(reporter=reporters[2], item=rude, reason="harassment")
    moderator = make_visitor("moderator")
    moderation.decide(
        moderator=moderator, item=rude, action="hide", reason="Insults other members."
    )
    assert Review.objects.get(pk=review.pk).is_hidden
    assert Comment.objects.get(pk=rude.pk).is_hidden
    assert Report.objects.open().count() == 5
    return {**sample, "troll": troll}


def follow_sample() -> dict:
    """Members following the sample author, one the author follows back, and one the
    signed-in member ("fan") blocks, made once per test database."""
    from django.contrib.auth import get_user_model

    from reviews import follows

    sample = community_sample()
    author = sample["author"]
    fans = []
    for n, name in enumerate(("Tony", "Malky", "Stansfield"), start=1):
        fan, created = get_user_model().objects.get_or_create(
            username=f"sample-follower-{n}", defaults={"email": f"follower{n}@example.com"}
        )
        profile = Profile.objects.for_user(fan)
        if created:
            profile.display_name = name
            profile.save()
        follows.follow(follower=fan, followed=author)
        fans.append(fan)
    follows.follow(follower=author, followed=fans[0])
    follows.block(blocker=make_visitor("member"), blocked=fans[2])
    return {**sample, "followers": fans}


def with_follows(path: str) -> str:
    follow_sample()
    return path


def with_feed(path: str) -> str:
    """The signed-in member ("fan") follows the sample author: their review, collection
    and viewings fill the feed; the author likes a review, for a like in it too."""
    from reviews import follows, services

    sample = follow_sample()
    follows.follow(follower=make_visitor("member"), followed=sample["author"])
    other = sample["followers"][0]
    review = other.reviews.first()
    if review is None:
        review = services.review_create(
            author=other, film=sample["review"].film, rating=8, title="The milk scenes",
            body="Every glass of milk is a promise.",
        )  # fmt: skip
        services.like(user=sample["author"], item=review)
    return path


def with_reports(path: str) -> str:
    moderation_sample()
    return path


def page_type(name: str) -> PageType:
    return next(p for p in PAGE_TYPES if p.name == name)
