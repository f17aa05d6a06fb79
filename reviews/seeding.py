"""Generated community data at scale, for trying the site and for benchmarks.

Every generated account is clearly fake (usernames start with `demo-`, addresses end in
`.invalid`). Rows are streamed into the database in dependency order with their counters
computed up front, so like, comment and item counts and the rating statistics are exact.
"""

import math
import random
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Case, Max, Model, When
from django.utils import timezone
from tqdm import tqdm

from films import search
from films.models import Film, Quote, SearchEntry
from leonsite.accounts.models import Profile
from leonsite.lib.db import (
    analyze,
    bulk_load,
    foreign_keys_checked_at_end,
    indexes_built_at_end,
    lift_statement_timeout,
)

from .markup import render_markdown
from .models import (
    Activity,
    CollectionItem,
    CollectionLike,
    Comment,
    DiaryEntry,
    Follow,
    Notification,
    QuoteCollection,
    Review,
    ReviewLike,
)
from .notification_kinds import Kind
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


DIARY_NOTES = [
    "Late show, nearly empty room.",
    "Watched with my sister; she had never seen it.",
    "Extended cut this time.",
    "Still the best use of a potted plant in cinema.",
    "Rainy Sunday rewatch.",
]  # fmt: skip
DIARY_TAGS = ["", "", "", "rewatch-club", "cinema", "extended-cut", "with-friends"]

# The member whose pages the benchmark reads signed in follows this many members and has
# this many notifications; everyone else gets the community's averages.
SHOWCASE_FOLLOWS = 50
SHOWCASE_NOTIFICATIONS = 100
# Notifications newer than this are left unread (the rest were read when they came).
UNREAD_DAYS = 10


@dataclass
class SeedReport:
    users: int = 0
    reviews: int = 0
    comments: int = 0
    review_likes: int = 0
    collections: int = 0
    collection_items: int = 0
    collection_likes: int = 0
    follows: int = 0
    diary_entries: int = 0
    activities: int = 0
    notifications: int = 0


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


def _progress(total: int | None, label: str) -> tqdm:
    # A bar on a terminal; nothing when the output goes to a file or a test.
    return tqdm(total=total, desc=label, unit=" rows", unit_scale=True, disable=None, leave=False)


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _db_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _when(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, tz=UTC)


class _Seeder:
    """The stages of a seeding run, in dependency order. Rows stream into the database
    (COPY on PostgreSQL) with ids assigned here, so nothing is read back; what a later
    stage needs of a row is kept in compact arrays (about 35 bytes a review, 16 a like,
    comment or viewing: 630 MB at most for a million reviews)."""

    def __init__(self, rng: random.Random, log: Callable[[str], None]) -> None:
        self.rng = rng
        self.log = log
        self.now = timezone.now()
        self.now_ts = self.now.timestamp()
        self.report = SeedReport()
        self.first_user = 0
        self.members_count = 0
        self.showcase = 0  # a member number: the author of the first review
        # Reviews: author, time, rating, whether it has words (a feed item); their likes
        # and comments as (review number, member, time).
        self.first_review = 0
        self.review_authors = array("I")
        self.review_films = array("I")
        self.review_times = array("d")
        self.review_ratings = array("B")
        self.review_words = array("B")
        self.likes = (array("I"), array("I"), array("d"))
        self.first_comment = 0
        self.comments = (array("I"), array("I"), array("d"))
        # Collections: owner and time; their likes as (collection number, member, time).
        self.first_collection = 0
        self.collection_owners = array("I")
        self.collection_times = array("d")
        self.collection_likes = (array("I"), array("I"), array("d"))
        # Followers of each member: how many, the latest one and when.
        self.follower_counts = array("I")
        self.latest_follower = array("I")
        self.latest_follow_time = array("d")
        self.first_entry = 0
        self.entry_users = array("I")
        self.entry_times = array("d")

    def _past_ts(self, days: int = 900) -> float:
        return self.now_ts - self.rng.random() * days * 86400

    def _after(self, stamp: float) -> float:
        """A moment between `stamp` and now, nearer `stamp` (reactions come early)."""
        return stamp + (self.now_ts - stamp) * self.rng.random() ** 2

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
        demo_entries = f"SELECT id FROM {_db_table(DiaryEntry)} WHERE user_id IN ({demo_users})"  # noqa: S608
        like = PREFIX + "%"
        # One statement per condition, never "a IN (...) OR b IN (...)": PostgreSQL runs
        # each IN alone as a hash semi-join, but under OR as a subplan that, once its rows
        # outgrow work_mem, is run again for every row (a re-seed of a million reviews
        # spent over ten minutes on the likes alone).
        statements = [
            (Notification, "recipient_id", demo_users),
            (Notification, "actor_id", demo_users),
            (Notification, "review_id", demo_reviews),
            (Notification, "collection_id", demo_collections),
            (Activity, "actor_id", demo_users),
            (Activity, "review_id", demo_reviews),
            (Activity, "collection_id", demo_collections),
            (Activity, "diary_entry_id", demo_entries),
            (DiaryEntry, "user_id", demo_users),
            (Follow, "follower_id", demo_users),
            (Follow, "followed_id", demo_users),
            (ReviewLike, "review_id", demo_reviews),
            (ReviewLike, "user_id", demo_users),
            (Comment, "review_id", demo_reviews),
            (Comment, "author_id", demo_users),
            (Review, "author_id", demo_users),
            (CollectionLike, "collection_id", demo_collections),
            (CollectionLike, "user_id", demo_users),
            (CollectionItem, "collection_id", demo_collections),
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {_db_table(SearchEntry)} "  # noqa: S608
                f"WHERE kind = 'review' AND object_id IN ({demo_reviews})",
                [like],
            )
            for model, column, ids in statements:
                cursor.execute(
                    f"DELETE FROM {_db_table(model)} WHERE {column} IN ({ids})",  # noqa: S608
                    [like],
                )
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
        first = self.first_review = _next_id(Review)
        authors = self.review_authors
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
                    title = rng.choice(["", "", rng.choice(OPENINGS)[:60]])
                    rating = rng.choices(range(1, 11), RATING_WEIGHTS)[0]
                    n_likes = min(cap, int((rng.paretovariate(1.6) - 1) * scale + rng.random()))
                    n_comments = rng.choices((0, 1, 2, 3), (80, 12, 5, 3))[0]
                    created = self._past_ts()
                    authors.append(member)
                    self.review_films.append(film)
                    self.review_times.append(created)
                    self.review_ratings.append(rating)
                    self.review_words.append(bool(title or body))
                    like_counts.append(n_likes)
                    comment_counts.append(n_comments)
                    yield (
                        first + len(authors) - 1,
                        self._user(member),
                        film,
                        rating,
                        title,
                        body,
                        rendered[body],
                        rng.random() < 0.05,
                        n_likes,
                        n_comments,
                        _when(created),
                    )
                    bar.update()

        columns = [
            "id", "author_id", "film_id", "rating", "title", "body", "body_html", "is_spoiler",
            "like_count", "comment_count", "created_at",
        ]  # fmt: skip
        with _progress(sum(quotas), "reviews") as bar:
            self.report.reviews = bulk_load(Review, columns, rows())
        if authors:
            self.showcase = authors[0]

        self.log("Creating likes and comments…")
        times = self.review_times

        def like_rows(bar: tqdm):
            liked, likers, at = self.likes
            for i, n in enumerate(like_counts):
                bar.update(n)  # a statement: update() returns whether the bar was redrawn
                for member in _likers(rng, n, members, authors[i]):
                    when = self._after(times[i])
                    liked.append(i)
                    likers.append(member)
                    at.append(when)
                    yield (first + i, self._user(member), _when(when))

        self.first_comment = _next_id(Comment)

        def comment_rows(bar: tqdm):
            commented, commenters, at = self.comments
            for i, n in enumerate(comment_counts):
                bar.update(n)
                for _ in range(n):
                    member = rng.randrange(members)
                    when = self._after(times[i])
                    commented.append(i)
                    commenters.append(member)
                    at.append(when)
                    yield (
                        self.first_comment + len(commented) - 1,
                        first + i,
                        self._user(member),
                        rng.choice(COMMENTS),
                        _when(when),
                    )

        with _progress(sum(like_counts), "review likes") as bar:
            self.report.review_likes = bulk_load(
                ReviewLike, ["review_id", "user_id", "created_at"], like_rows(bar)
            )
        with _progress(sum(comment_counts), "comments") as bar:
            self.report.comments = bulk_load(
                Comment,
                ["id", "review_id", "author_id", "body", "created_at"],
                comment_rows(bar),
            )
        for film in Film.objects.all():
            stats_recompute(film=film)

    def collections(self, count: int, quotes: list[int]) -> None:
        rng = self.rng
        self.log(f"Creating {count:,} quote collections…")
        if not quotes:
            count = 0
        members = self.members_count
        first = self.first_collection = _next_id(QuoteCollection)
        owners = self.collection_owners
        like_counts = array("H")
        chosen: list[list[int]] = []

        def rows(bar: tqdm):
            for _ in range(count):
                bar.update()
                size = min(len(quotes), rng.randint(3, 12))
                owner = rng.randrange(members)
                n_likes = min(int(rng.paretovariate(1.4)) - 1, 300, members - 1)
                created = self._past_ts()
                owners.append(owner)
                self.collection_times.append(created)
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
                    _when(created),
                )

        def like_rows():
            liked, likers, at = self.collection_likes
            for i, n in enumerate(like_counts):
                for member in _likers(rng, n, members, owners[i]):
                    when = self._after(self.collection_times[i])
                    liked.append(i)
                    likers.append(member)
                    at.append(when)
                    yield (first + i, self._user(member), _when(when))

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
            CollectionLike, ["collection_id", "user_id", "created_at"], like_rows()
        )

    def follows(self, count: int) -> None:
        """About `count` follows: how many each member follows has a long tail, and the
        members followed lean towards a popular few. The showcase member follows
        SHOWCASE_FOLLOWS."""
        rng = self.rng
        members = self.members_count
        self.log(f"Creating about {count:,} follows…")
        average = count / members if members else 0
        self.follower_counts = array("I", bytes(4 * members))
        self.latest_follower = array("I", bytes(4 * members))
        self.latest_follow_time = array("d", bytes(8 * members))

        def rows(bar: tqdm):
            for member in range(members):
                bar.update()
                wanted = (
                    SHOWCASE_FOLLOWS
                    if member == self.showcase
                    else int(rng.expovariate(1 / average))
                    if average
                    else 0
                )
                wanted = min(wanted, members - 1, 1000)
                followed: set[int] = set()
                if member == self.showcase:  # exactly as many, whoever they are
                    chosen = rng.sample(range(members - 1), wanted)
                    followed = {other + (other >= member) for other in chosen}
                for _ in range(wanted * 3):  # popular members are drawn often: a few tries
                    if len(followed) == wanted:
                        break
                    other = int(members * rng.random() ** 3)
                    if other != member:
                        followed.add(other)
                for other in sorted(followed):
                    when = self._past_ts(600)
                    self.follower_counts[other] += 1
                    if when > self.latest_follow_time[other]:
                        self.latest_follow_time[other] = when
                        self.latest_follower[other] = member
                    yield (self._user(member), self._user(other), _when(when))

        with _progress(members, "follows (members)") as bar:
            self.report.follows = bulk_load(
                Follow, ["follower_id", "followed_id", "created_at"], rows(bar)
            )

    def diary(self, share: float) -> None:
        """Viewings: about `share` per review, each logged with its review, and now and
        then a rewatch logged on its own."""
        rng = self.rng
        self.log("Creating diary entries…")
        first = self.first_entry = _next_id(DiaryEntry)

        def entry(i: int, when: float, *, rewatch: bool, linked: bool):
            self.entry_users.append(self.review_authors[i])
            self.entry_times.append(when)
            note = rng.choice(DIARY_NOTES) if rng.random() < 0.15 else ""
            return (
                first + len(self.entry_users) - 1,
                self._user(self.review_authors[i]),
                self.review_films[i],
                _when(when).date(),
                rewatch,
                self.review_ratings[i] if linked else None,
                rng.random() < 0.3,
                rng.choice(DIARY_TAGS),
                note,
                self.first_review + i if linked else None,
                _when(when),
            )

        def rows(bar: tqdm):
            for i, when in enumerate(self.review_times):
                bar.update()
                if rng.random() < share * 0.8:
                    yield entry(i, when, rewatch=False, linked=True)
                if rng.random() < share * 0.2:
                    yield entry(i, self._after(when), rewatch=True, linked=False)

        columns = [
            "id", "user_id", "film_id", "watched_on", "rewatch", "rating", "liked", "tags",
            "note", "review_id", "created_at",
        ]  # fmt: skip
        with _progress(len(self.review_times), "diary (reviews)") as bar:
            self.report.diary_entries = bulk_load(DiaryEntry, columns, rows(bar))

    def activity(self) -> None:
        """What the services record for each action: a review with words, a viewing, a
        collection, a like."""
        self.log("Creating the activity feed…")
        user = self._user
        verb = Activity.Verb
        # Plain strings: COPY writes values, not enumeration members.
        reviewed, logged, collected = verb.REVIEWED.value, verb.LOGGED.value, verb.COLLECTED.value
        liked_review, liked_collection = verb.LIKED_REVIEW.value, verb.LIKED_COLLECTION.value

        def rows(bar: tqdm):
            for i, member in enumerate(self.review_authors):
                if self.review_words[i]:
                    bar.update()
                    yield (user(member), reviewed, self.first_review + i, None, None,
                           _when(self.review_times[i]))  # fmt: skip
            for i, member in enumerate(self.entry_users):
                bar.update()
                yield (user(member), logged, None, None, self.first_entry + i,
                       _when(self.entry_times[i]))  # fmt: skip
            for i, member in enumerate(self.collection_owners):
                bar.update()
                yield (user(member), collected, None, self.first_collection + i, None,
                       _when(self.collection_times[i]))  # fmt: skip
            for i, member, when in zip(*self.likes, strict=True):
                bar.update()
                yield (user(member), liked_review, self.first_review + i, None, None,
                       _when(when))  # fmt: skip
            for i, member, when in zip(*self.collection_likes, strict=True):
                bar.update()
                yield (user(member), liked_collection, None, self.first_collection + i,
                       None, _when(when))  # fmt: skip

        total = (
            sum(self.review_words) + len(self.entry_users) + len(self.collection_owners)
            + len(self.likes[0]) + len(self.collection_likes[0])
        )  # fmt: skip
        columns = ["actor_id", "verb", "review_id", "collection_id", "diary_entry_id", "created_at"]
        with _progress(total, "activity") as bar:
            self.report.activities = bulk_load(Activity, columns, rows(bar))

    def notifications(self) -> None:
        """What notify() leaves: one row per burst (the likes of a review, the comments
        on it, a member's new followers), read unless it is recent. The showcase member
        gets older, read bursts on their reviews up to SHOWCASE_NOTIFICATIONS."""
        self.log("Creating notifications…")
        rng = self.rng
        user = self._user
        recent = self.now_ts - UNREAD_DAYS * 86400
        showcase_rows = 0
        like_review, comment = Kind.LIKE_REVIEW.value, Kind.COMMENT.value
        like_collection, follow = Kind.LIKE_COLLECTION.value, Kind.FOLLOW.value

        def burst(recipient, kind, actor, count, first_ts, last_ts, *, key, review=None,
                  collection=None, comment=None, unread=True):  # fmt: skip
            nonlocal showcase_rows
            if recipient == self.showcase:
                showcase_rows += 1
            read = None if unread and last_ts > recent else _when(last_ts + 3600)
            return (user(recipient), kind, user(actor), count, review, collection, comment,
                    key, _when(first_ts), _when(last_ts), read)  # fmt: skip

        def grouped(owners, times, reacted, first_id, kind, target):
            """One burst per item from its reactions (which come grouped by item): the
            others' reactions, named by the latest."""
            items, members, at = reacted
            start = 0
            for end in range(1, len(items) + 1):
                if end < len(items) and items[end] == items[start]:
                    continue
                i = items[start]
                # A member's own comment tells no one.
                told = [k for k in range(start, end) if members[k] != owners[i]]
                start = end
                if not told:
                    continue
                latest = max(told, key=lambda k: at[k])
                target_id = first_id + i
                fields = {target: target_id}
                if kind == comment:
                    fields = {"review": target_id, "comment": self.first_comment + latest}
                yield burst(owners[i], kind, members[latest], len(told),
                            min(at[k] for k in told), at[latest],
                            key=f"{kind}:{target}:{target_id}", **fields)  # fmt: skip

        def rows(bar: tqdm):
            reviews = (self.review_authors, self.review_times)
            for row in grouped(*reviews, self.likes, self.first_review, like_review,
                               "review"):  # fmt: skip
                bar.update()
                yield row
            for row in grouped(*reviews, self.comments, self.first_review, comment,
                               "review"):  # fmt: skip
                bar.update()
                yield row
            for row in grouped(self.collection_owners, self.collection_times,
                               self.collection_likes, self.first_collection,
                               like_collection, "collection"):  # fmt: skip
                bar.update()
                yield row
            for member, count in enumerate(self.follower_counts):
                if count:
                    bar.update()
                    last = self.latest_follow_time[member]
                    yield burst(member, follow, self.latest_follower[member], count,
                                last - 86400 * rng.random() * 30, last, key=follow)  # fmt: skip
            # Earlier bursts of likes on the showcase member's older reviews, long read.
            older = recent - 86400
            own = [
                i for i, author in enumerate(self.review_authors)
                if author == self.showcase and self.review_times[i] < older
            ]  # fmt: skip
            for n in range(max(0, SHOWCASE_NOTIFICATIONS - showcase_rows) if own else 0):
                i = own[n % len(own)]
                first_ts = self.review_times[i] + (older - self.review_times[i]) * rng.random()
                last_ts = first_ts + (older - first_ts) * rng.random()
                (liker,) = _likers(rng, 1, self.members_count, self.showcase)
                yield burst(self.showcase, like_review, liker, rng.randint(1, 9), first_ts,
                            last_ts, key=f"{like_review}:review:{self.first_review + i}",
                            review=self.first_review + i, unread=False)  # fmt: skip

        columns = [
            "recipient_id", "kind", "actor_id", "count", "review_id", "collection_id",
            "comment_id", "group_key", "created_at", "updated_at", "read_at",
        ]  # fmt: skip
        with _progress(None, "notifications") as bar:
            self.report.notifications = bulk_load(Notification, columns, rows(bar))


def seed_community(
    *,
    users: int = 10_000,
    reviews: int = 100_000,
    collections: int = 5_000,
    likes: int | None = None,
    follows: int | None = None,
    diary: float = 0.8,
    seed: int = 1994,
    log: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Generate the community; returns what was created. Replaces earlier demo data.

    `likes` (of reviews) defaults to two per review, `follows` to one per review;
    `diary` is the diary entries per review. Activity and notifications follow from
    what was generated, as the services would have written them. Each table written
    moves its cache namespace, so cached pages show the new community at once."""
    # The featured film first: it carries most reviews, and its first review's author is
    # the showcase member.
    films = list(
        Film.objects.order_by(
            Case(When(slug=settings.FEATURED_FILM_SLUG, then=0), default=1), "pk"
        ).values_list("pk", flat=True)
    )
    quotes = list(Quote.objects.order_by("pk").values_list("pk", flat=True))
    if not films:
        raise ValueError("Load the catalogue first (manage.py load_catalogue).")
    started = time.perf_counter()

    def log_timed(message: str) -> None:
        log(f"{time.perf_counter() - started:5.0f} s  {message}")

    seeder = _Seeder(random.Random(seed), log_timed)
    loaded: list[type[Model]] = [
        User, Profile, Review, ReviewLike, Comment, QuoteCollection, CollectionItem,
        CollectionLike, Follow, DiaryEntry, Activity, Notification, SearchEntry,
    ]  # fmt: skip
    with transaction.atomic(), foreign_keys_checked_at_end(loaded):
        lift_statement_timeout()
        seeder.clear()  # through the indexes: it reads the rows it deletes
        with indexes_built_at_end(loaded):
            # One review per member per film: enough members must exist to carry them.
            seeder.members(max(users, math.ceil(reviews / len(films))))
            seeder.reviews(reviews, films, 2 * reviews if likes is None else likes)
            seeder.collections(collections, quotes)
            seeder.follows(reviews if follows is None else follows)
            seeder.diary(diary)
            seeder.activity()
            seeder.notifications()
            log_timed("Indexing reviews for search…")
            search.reindex("review")
            log_timed("Building the tables' indexes…")
        log_timed("Checking the rows' foreign keys…")
    log_timed("Gathering the planner's statistics…")
    analyze()
    return seeder.report
