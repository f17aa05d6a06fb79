import time

from django.core.management.base import BaseCommand, CommandError

from reviews.seeding import DEMO_PASSWORD, PREFIX, seed_community


class Command(BaseCommand):
    help = (
        "Fill the database with a generated community (clearly fake demo accounts): "
        "members, reviews, comments, likes, quote collections, follows, diary entries, and "
        "the activity and notifications they make. Replaces earlier demo data. On "
        "PostgreSQL the tables it fills stay locked until it commits: run it on a "
        "database the site is not serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--reviews", type=int, default=100_000)
        parser.add_argument("--collections", type=int, default=5_000)
        parser.add_argument(
            "--likes", type=int, default=None, help="Likes of reviews (default: two per review)."
        )
        parser.add_argument(
            "--follows", type=int, default=None, help="Follows (default: one per review)."
        )
        parser.add_argument(
            "--diary", type=float, default=0.8, help="Diary entries per review (default 0.8)."
        )
        parser.add_argument("--seed", type=int, default=1994, help="Random seed (repeatable).")

    def handle(self, *args, users, reviews, collections, likes, follows, diary, seed, **options):
        if min(users, reviews, collections, likes or 0, follows or 0, diary) < 0:
            raise CommandError("Sizes must not be negative.")
        started = time.perf_counter()
        try:
            report = seed_community(
                users=users,
                reviews=reviews,
                collections=collections,
                likes=likes,
                follows=follows,
                diary=diary,
                seed=seed,
                log=lambda message: self.stdout.write(message),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {elapsed:.1f} s: {report.users:,} members, {report.reviews:,} "
                f"reviews, {report.comments:,} comments, {report.review_likes:,} review likes, "
                f"{report.collections:,} collections ({report.collection_items:,} quotes, "
                f"{report.collection_likes:,} likes), {report.follows:,} follows, "
                f"{report.diary_entries:,} diary entries, {report.activities:,} activity rows, "
                f"{report.notifications:,} notifications. Demo members are {PREFIX}fan-NNNNNN, "
                f"password {DEMO_PASSWORD!r}."
            )
        )
