"""Generated community data at scale, for trying the site and for benchmarks.

Every generated account is clearly fake (usernames start with `demo-`, addresses end in
`.invalid`). Rows are bulk-created in dependency order with their counters computed
up front, so like, comment and item counts and the rating statistics are exact.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from films import search
from films.models import Film, Quote
from leonsite.accounts.models import Profile
from leonsite.lib.db import analyze, lift_statement_timeout

from .markup import render_markdown
from .models import (
    CollectionItem,
    CollectionLike,
    Comment,
    QuoteCollection,
    Review,
    ReviewLike,
)
from .services import stats_recompute

User = get_user_model()
PREFIX = "demo-"
DEMO_PASSWORD = "demo-password-leon"  # noqa: S105 - documented demo accounts, .invalid mail

ADJECTIVES = [
    "Velvet", "Quiet", "Midnight", "Green", "Silent", "Patient", "Lucky", "Brass", "Paper",
    "Rainy", "Little", "Crimson", "Pale", "Restless", "Gentle", "Stray", "Hidden", "Sharp",
]  # fmt: skip
NOUNS = [
    "Otter", "Pigeon", "Fern", "Cleaner", "Hallway", "Teacup", "Sparrow", "Milkglass",
    "Plant", "Subway", "Tramway", "Window", "Satchel", "Overcoat", "Rooftop", "Harmonica",
]  # fmt: skip

# Ratings lean high, as they do for a cult favourite: weights for 1..10 half stars.
RATING_WEIGHTS = [1, 1, 2, 3, 5, 8, 14, 22, 24, 20]

OPENINGS = [
    "I came back to this after years and it hit harder than I remembered.",
    "The plant does more acting than most leads in ninety-minute thrillers.",
    "Reno plays stillness like other actors play anger.",
    "Portman is astonishing here, and the film knows exactly how uneasy that makes us.",
    "Oldman chews the scenery and somehow it is still the right amount.",
    "Serra's score keeps the pulse high even when nobody moves.",
    "A strange, tender, violent fairy tale set in a very real New York.",
    "I admire it more than I love it, and I think that is the point.",
    "The hallway scene alone is worth the ticket.",
    "It has aged in interesting ways; some of it sits badly now.",
]  # fmt: skip
MIDDLES = [
    "The first act is patient, almost quiet, and it earns everything that follows.",
    "Besson frames the apartment like a cage and the city like a maze.",
    "The milk, the plant, the sunglasses: small rituals that tell you who Léon is.",
    "The siege is loud and long, and it is also the most emotional part of the film.",
    "Tony's bank with no paperwork is the saddest joke in the film.",
    "Every time Stansfield swallows a capsule the room seems to tilt.",
    "The relationship is handled with more care than its reputation suggests, though not always enough.",  # noqa: E501
    "The extended cut adds scenes that make the bond clearer, and stranger.",
    "When Shape of My Heart starts over the ending, I always stay for the credits.",
    "The sound design is superb: footsteps, breathing, a door chain sliding back.",
]  # fmt: skip
CLOSINGS = [
    "**Essential.**",
    "Watch it on the biggest screen you can find.",
    "Not perfect, but unforgettable.",
    "||The ending still wrecks me.|| Every single time.",
    "Give it *roots*, as someone once said.",
    "Four viewings in, still finding details.",
]  # fmt: skip
COMMENTS = [
    "Completely agree about the score.",
    "I think you're too hard on the ending.",
    "That hallway shot! Yes.",
    "Have you seen the extended version?",
    "Beautifully put.",
    "Interesting take, I read Tony very differently.",
    "This made me want to rewatch it tonight.",
]  # fmt: skip
COLLECTION_TITLES = [
    "Lines I quote too often", "Léon's rules", "Mathilda's best comebacks",
    "Stansfield at his worst", "For a rainy evening", "Quotes for the plant",
    "The siege, line by line", "Tony's wisdom",
]  # fmt: skip


@dataclass
class SeedReport:
    users: int = 0
    reviews: int = 0
    comments: int = 0
    review_likes: int = 0
    collections: int = 0
    collection_items: int = 0
    collection_likes: int = 0


def _body(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return ""
    if kind < 0.75:
        return " ".join(rng.sample(OPENINGS, rng.randint(1, 2)))
    paragraphs = rng.randint(2, 3) if kind < 0.95 else rng.randint(5, 9)
    parts = [rng.choice(OPENINGS)]
    parts += [" ".join(rng.sample(MIDDLES, rng.randint(1, 3))) for _ in range(paragraphs - 1)]
    parts.append(rng.choice(CLOSINGS))
    return "\n\n".join(parts)


def _likers(rng, count, user_ids, exclude):
    count = min(count, len(user_ids) - 1)
    chosen = set()
    while len(chosen) < count:
        uid = rng.choice(user_ids)
        if uid != exclude:
            chosen.add(uid)
    return chosen


class _Seeder:
    """The stages of a seeding run, in dependency order; each bulk-creates one table
    family with its counters computed up front."""

    def __init__(self, rng: random.Random, log: Callable[[str], None]) -> None:
        self.rng = rng
        self.log = log
        self.now = timezone.now()
        self.report = SeedReport()
        self.user_ids: list[int] = []

    def _past(self, days: int = 900) -> datetime:
        return self.now - timedelta(minutes=self.rng.randint(0, days * 24 * 60))

    def members(self, count: int) -> None:
        rng = self.rng
        User.objects.filter(username__startswith=PREFIX).delete()
        self.log(f"Creating {count:,} members…")
        password = make_password(DEMO_PASSWORD)
        User.objects.bulk_create(
            (
                User(
                    username=f"{PREFIX}fan-{i:06d}",
                    email=f"{PREFIX}fan-{i:06d}@example.invalid",
                    password=password,
                    date_joined=self.now - timedelta(days=rng.randint(0, 900)),
                )
                for i in range(count)
            ),
            batch_size=2000,
        )
        self.user_ids = list(
            User.objects.filter(username__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Profile.objects.bulk_create(
            (
                Profile(
                    user_id=uid,
                    display_name=f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {n % 1000:03d}",
                )
                for n, uid in enumerate(self.user_ids)
            ),
            batch_size=2000,
        )
        self.report.users = len(self.user_ids)

    def reviews(self, count: int, films: list[int]) -> None:
        rng = self.rng
        self.log(f"Creating {count:,} reviews…")
        # Léon carries most reviews; each (member, film) pair at most once.
        weights = [6] + [1] * (len(films) - 1)
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < count:
            pairs.add((rng.choice(self.user_ids), rng.choices(films, weights)[0]))
        rendered: dict[str, str] = {}
        rows, plans = [], []
        for author, film in sorted(pairs):
            body = _body(rng)
            if body not in rendered:
                rendered[body] = render_markdown(body)
            n_likes = min(int(rng.paretovariate(1.6)) - 1, 200)
            n_comments = rng.choices([0, 1, 2, 3], [80, 12, 5, 3])[0]
            rows.append(
                Review(
                    author_id=author,
                    film_id=film,
                    rating=rng.choices(range(1, 11), RATING_WEIGHTS)[0],
                    title=rng.choice(["", "", rng.choice(OPENINGS)[:60]]),
                    body=body,
                    body_html=rendered[body],
                    is_spoiler=rng.random() < 0.05,
                    like_count=n_likes,
                    comment_count=n_comments,
                    created_at=self._past(),
                )
            )
            plans.append((n_likes, n_comments))
        Review.objects.bulk_create(rows, batch_size=2000)
        review_ids = list(
            Review.objects.filter(author_id__in=self.user_ids).order_by("author_id", "film_id")
            .values_list("pk", "author_id")
        )  # fmt: skip
        self.report.reviews = len(review_ids)
        self._likes_and_comments(review_ids, plans)
        for film in Film.objects.all():
            stats_recompute(film=film)

    def _likes_and_comments(
        self, review_ids: list[tuple[int, int]], plans: list[tuple[int, int]]
    ) -> None:
        rng = self.rng
        self.log("Creating likes and comments…")
        like_rows, comment_rows = [], []
        for (review_id, author), (n_likes, n_comments) in zip(review_ids, plans, strict=True):
            for uid in _likers(rng, n_likes, self.user_ids, author):
                like_rows.append(ReviewLike(user_id=uid, review_id=review_id))
            for _ in range(n_comments):
                comment_rows.append(
                    Comment(
                        review_id=review_id,
                        author_id=rng.choice(self.user_ids),
                        body=rng.choice(COMMENTS),
                        created_at=self._past(),
                    )
                )
        ReviewLike.objects.bulk_create(like_rows, batch_size=5000)
        Comment.objects.bulk_create(comment_rows, batch_size=2000)
        self.report.review_likes, self.report.comments = len(like_rows), len(comment_rows)

    def collections(self, count: int, quotes: list[int]) -> None:
        rng = self.rng
        self.log(f"Creating {count:,} quote collections…")
        rows, plans = [], []
        for _ in range(count if quotes else 0):
            size = min(len(quotes), rng.randint(3, 12))
            n_likes = min(int(rng.paretovariate(1.4)) - 1, 300)
            plans.append((rng.sample(quotes, size), n_likes))
            rows.append(
                QuoteCollection(
                    owner_id=rng.choice(self.user_ids),
                    title=rng.choice(COLLECTION_TITLES),
                    description=rng.choice(["", rng.choice(MIDDLES)]),
                    visibility=rng.choices(["public", "unlisted", "private"], [85, 5, 10])[0],
                    like_count=n_likes,
                    item_count=size,
                )
            )
        QuoteCollection.objects.bulk_create(rows, batch_size=2000)
        collection_ids = list(
            QuoteCollection.objects.filter(owner_id__in=self.user_ids)
            .order_by("pk")
            .values_list("pk", "owner_id")
        )
        item_rows, like_rows = [], []
        for (collection_id, owner), (chosen, n_likes) in zip(collection_ids, plans, strict=True):
            item_rows += [
                CollectionItem(collection_id=collection_id, quote_id=quote_id, position=position)
                for position, quote_id in enumerate(chosen, start=1)
            ]
            like_rows += [
                CollectionLike(user_id=uid, collection_id=collection_id)
                for uid in _likers(rng, n_likes, self.user_ids, owner)
            ]
        CollectionItem.objects.bulk_create(item_rows, batch_size=5000)
        CollectionLike.objects.bulk_create(like_rows, batch_size=5000)
        self.report.collections = len(collection_ids)
        self.report.collection_items, self.report.collection_likes = len(item_rows), len(like_rows)


def seed_community(
    *,
    users: int = 10_000,
    reviews: int = 100_000,
    collections: int = 5_000,
    seed: int = 1994,
    log: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Generate the community; returns what was created. Replaces earlier demo data.

    Every bulk write moves the community's cache version (the models' WatchedQuerySet),
    so cached pages show the new community at once."""
    films = list(Film.objects.order_by("pk").values_list("pk", flat=True))
    quotes = list(Quote.objects.order_by("pk").values_list("pk", flat=True))
    if not films:
        raise ValueError("Load the catalogue first (manage.py load_catalogue).")
    seeder = _Seeder(random.Random(seed), log)
    with transaction.atomic():
        lift_statement_timeout()
        # One review per member per film: enough members must exist to carry the reviews.
        seeder.members(max(users, math.ceil(reviews / len(films))))
        seeder.reviews(reviews, films)
        seeder.collections(collections, quotes)
        log("Indexing reviews for search…")
        search.reindex("review")
    log("Gathering the planner's statistics…")
    analyze()
    return seeder.report
