"""Generated community data at scale, for trying the site and for benchmarks.

Every generated account is clearly fake (usernames start with `demo-`, addresses end in
`.invalid`). Rows are streamed into the database in dependency order with their counters
computed up front, so like, comment and item counts and the rating statistics are exact.
"""

import math
import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from films import search
from films.models import Film, Quote, SearchEntry
from leonsite.accounts.models import Profile
from leonsite.lib.db import analyze, bulk_load, lift_statement_timeout

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


def _likers(rng: random.Random, count: int, members: int, exclude: int) -> list[int]:
    """`count` distinct member numbers below `members`, never `exclude` (the author)."""
    chosen = rng.sample(range(members), min(count + 1, members))
    return [m for m in chosen if m != exclude][:count]


def _progress(total: int, label: str) -> tqdm:
    # A bar on a terminal; nothing when the output goes to a file or a test.
    return tqdm(total=total, desc=label, unit=" rows", unit_scale=True, disable=None, leave=False)


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _db_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _Seeder:
    """The stages of a seeding run, in dependency order. Rows stream into the database
    (COPY on PostgreSQL) with ids assigned here, so nothing is read back and memory stays
    flat at any size; what a later stage needs of a row is kept in compact arrays."""

    def __init__(self, rng: random.Random, log: Callable[[str], None]) -> None:
        self.rng = rng
        self.log = log
        self.now = timezone.now()
        self.report = SeedReport()
        self.first_user = 0
        self.members_count = 0

    def _past(self, days: int = 900) -> datetime:
        return self.now - timedelta(minutes=self.rng.randint(0, days * 24 * 60))

    def _user(self, member: int) -> int:
        return self.first_user + member

    def clear(self) -> None:
        """Remove earlier demo data: the bulk tables with plain statements (the ORM would
        load every row to cascade), then the demo accounts through the ORM."""
        # Table names only are formatted in; the one value is a parameter.
        demo_users = f"SELECT id FROM {_db_table(User)} WHERE username LIKE %s"  # noqa: S608
        demo_reviews = f"SELECT id FROM {_db_table(Review)} WHERE author_id IN ({demo_users})"  # noqa: S608
        demo_collections = (
            f"SELECT id FROM {_db_table(QuoteCollection)} WHERE owner_id IN ({demo_users})"  # noqa: S608, E501
        )
        like = PREFIX + "%"
        statements = [
            (ReviewLike, f"review_id IN ({demo_reviews}) OR user_id IN ({demo_users})", 2),
            (Comment, f"review_id IN ({demo_reviews}) OR author_id IN ({demo_users})", 2),
            (SearchEntry, f"kind = 'review' AND object_id IN ({demo_reviews})", 1),
            (Review, f"author_id IN ({demo_users})", 1),
            (
                CollectionLike,
                f"collection_id IN ({demo_collections}) OR user_id IN ({demo_users})",
                2,
            ),
            (CollectionItem, f"collection_id IN ({demo_collections})", 1),
        ]
        with connection.cursor() as cursor:
            for model, where, n in statements:
                cursor.execute(f"DELETE FROM {_db_table(model)} WHERE {where}", [like] * n)  # noqa: S608
            cursor.execute(
                f"UPDATE {_db_table(QuoteCollection)} SET copied_from_id = NULL "  # noqa: S608
                f"WHERE copied_from_id IN ({demo_collections})",
                [like],
            )
            cursor.execute(
                f"DELETE FROM {_db_table(QuoteCollection)} WHERE owner_id IN ({demo_users})",  # noqa: S608
                [like],
            )
        User.objects.filter(username__startswith=PREFIX).delete()

    def members(self, count: int) -> None:
        rng = self.rng
        self.log(f"Creating {count:,} members…")
        password = make_password(DEMO_PASSWORD)
        self.first_user = _next_id(User)
        self.members_count = count
        with _progress(count * 2, "members") as bar:
            bar.update(
                bulk_load(
                    User,
                    ["id", "username", "email", "password", "date_joined"],
                    (
                        (
                            self._user(i),
                            f"{PREFIX}fan-{i:06d}",
                            f"{PREFIX}fan-{i:06d}@example.invalid",
                            password,
                            self.now - timedelta(days=rng.randint(0, 900)),
                        )
                        for i in range(count)
                    ),
                )
            )
            bar.update(
                bulk_load(
                    Profile,
                    ["user_id", "display_name"],
                    (
                        (
                            self._user(i),
                            f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i % 1000:03d}",
                        )
                        for i in range(count)
                    ),
                )
            )
        self.report.users = count

    def reviews(self, count: int, films: list[int], likes: int) -> None:
        """Léon carries most reviews (each member reviews a film at most once); likes
        follow a long tail averaging `likes / count` per review."""
        rng = self.rng
        self.log(f"Creating {count:,} reviews…")
        members = self.members_count
        weights = [6] + [1] * (len(films) - 1)
        quotas = [min(members, count * w // sum(weights)) for w in weights]
        for i in range(len(quotas)):  # what rounding and the caps left over
            quotas[i] += min(members - quotas[i], count - sum(quotas))
        first = _next_id(Review)
        authors = array("I")
        like_counts = array("I")
        comment_counts = array("B")
        # A Pareto tail (alpha 1.6, mean 1/0.6 above 1) scaled to the wanted average.
        scale = (likes / count) * 0.6 if count else 0
        cap = min(500, members - 1)
        rendered: dict[str, str] = {}

        def rows():
            for film, quota in zip(films, quotas, strict=True):
                for member in rng.sample(range(members), quota):
                    body = _body(rng)
                    if body not in rendered:
                        rendered[body] = render_markdown(body)
                    n_likes = min(cap, int((rng.paretovariate(1.6) - 1) * scale + rng.random()))
                    n_comments = rng.choices((0, 1, 2, 3), (80, 12, 5, 3))[0]
                    authors.append(member)
                    like_counts.append(n_likes)
                    comment_counts.append(n_comments)
                    yield (
                        first + len(authors) - 1,
                        self._user(member),
                        film,
                        rng.choices(range(1, 11), RATING_WEIGHTS)[0],
                        rng.choice(["", "", rng.choice(OPENINGS)[:60]]),
                        body,
                        rendered[body],
                        rng.random() < 0.05,
                        n_likes,
                        n_comments,
                        self._past(),
                    )
                    bar.update()

        columns = [
            "id", "author_id", "film_id", "rating", "title", "body", "body_html", "is_spoiler",
            "like_count", "comment_count", "created_at",
        ]  # fmt: skip
        with _progress(sum(quotas), "reviews") as bar:
            self.report.reviews = bulk_load(Review, columns, rows())

        self.log("Creating likes and comments…")

        def like_rows(bar: tqdm):
            for i, n in enumerate(like_counts):
                bar.update(n)  # a statement: update() returns whether the bar was redrawn
                for member in _likers(rng, n, members, authors[i]):
                    yield (first + i, self._user(member), self.now)

        def comment_rows(bar: tqdm):
            for i, n in enumerate(comment_counts):
                bar.update(n)
                for _ in range(n):
                    author = self._user(rng.randrange(members))
                    yield (first + i, author, rng.choice(COMMENTS), self._past())

        with _progress(sum(like_counts), "review likes") as bar:
            self.report.review_likes = bulk_load(
                ReviewLike, ["review_id", "user_id", "created_at"], like_rows(bar)
            )
        with _progress(sum(comment_counts), "comments") as bar:
            self.report.comments = bulk_load(
                Comment, ["review_id", "author_id", "body", "created_at"], comment_rows(bar)
            )
        for film in Film.objects.all():
            stats_recompute(film=film)

    def collections(self, count: int, quotes: list[int]) -> None:
        rng = self.rng
        self.log(f"Creating {count:,} quote collections…")
        if not quotes:
            count = 0
        members = self.members_count
        first = _next_id(QuoteCollection)
        owners = array("I")
        like_counts = array("H")
        chosen: list[list[int]] = []

        def rows(bar: tqdm):
            for _ in range(count):
                bar.update()
                size = min(len(quotes), rng.randint(3, 12))
                owner = rng.randrange(members)
                n_likes = min(int(rng.paretovariate(1.4)) - 1, 300, members - 1)
                owners.append(owner)
                like_counts.append(n_likes)
                chosen.append(rng.sample(quotes, size))
                yield (
                    first + len(owners) - 1,
                    self._user(owner),
                    rng.choice(COLLECTION_TITLES),
                    rng.choice(["", rng.choice(MIDDLES)]),
                    rng.choices(["public", "unlisted", "private"], [85, 5, 10])[0],
                    n_likes,
                    size,
                    self._past(),
                )

        columns = [
            "id", "owner_id", "title", "description", "visibility", "like_count", "item_count",
            "created_at",
        ]  # fmt: skip
        with _progress(count, "collections") as bar:
            self.report.collections = bulk_load(QuoteCollection, columns, rows(bar))
        self.report.collection_items = bulk_load(
            CollectionItem,
            ["collection_id", "quote_id", "position"],
            (
                (first + i, quote, position)
                for i, picked in enumerate(chosen)
                for position, quote in enumerate(picked, start=1)
            ),
        )
        self.report.collection_likes = bulk_load(
            CollectionLike,
            ["collection_id", "user_id"],
            (
                (first + i, self._user(member))
                for i, n in enumerate(like_counts)
                for member in _likers(rng, n, members, owners[i])
            ),
        )


def seed_community(
    *,
    users: int = 10_000,
    reviews: int = 100_000,
    collections: int = 5_000,
    likes: int | None = None,
    seed: int = 1994,
    log: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Generate the community; returns what was created. Replaces earlier demo data.

    `likes` (of reviews) defaults to two per review. Each table written moves its cache
    namespace, so cached pages show the new community at once."""
    films = list(Film.objects.order_by("pk").values_list("pk", flat=True))
    quotes = list(Quote.objects.order_by("pk").values_list("pk", flat=True))
    if not films:
        raise ValueError("Load the catalogue first (manage.py load_catalogue).")
    seeder = _Seeder(random.Random(seed), log)
    with transaction.atomic():
        lift_statement_timeout()
        seeder.clear()
        # One review per member per film: enough members must exist to carry the reviews.
        seeder.members(max(users, math.ceil(reviews / len(films))))
        seeder.reviews(reviews, films, 2 * reviews if likes is None else likes)
        seeder.collections(collections, quotes)
        log("Indexing reviews for search…")
        search.reindex("review")
    log("Gathering the planner's statistics…")
    analyze()
    return seeder.report
