"""In-process timings: every page type served through Django's full stack (middleware,
views, templates) by the test client, against the database in DATABASE_URL.

Run by bench/run.py in its own process, with the environment it sets; writes JSON.
"""

import argparse
import json
import os
import statistics
import time


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client, url: str, rounds: int, before=None) -> dict:
    times = []
    for _ in range(rounds):
        if before is not None:
            before()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


def measure(client, url: str, rounds: int, warmup: int, member: bool) -> dict:
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    result = {"url": url, "queries": len(cold), "queries_warm": len(warm)}
    if rounds:
        for _ in range(warmup):
            client.get(url)
        result |= timed(client, url, rounds)
        if member:  # the page rendered, as on a member's first read of it
            first = timed(client, url, rounds, before=caches["member-pages"].clear)
            result |= {f"first_read_{name}": value for name, value in first.items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--only", default="", help="Measure page types whose name has this.")
    parser.add_argument("--member", action="store_true", help="Signed in, as a member.")
    parser.add_argument(
        "--session", action="store_true", help="Print a signed-in session cookie and stop."
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leonsite.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.pages import (
        MEMBERS_ONLY,
        SEARCH_EXPECTATIONS,
        SIGNED_IN,
        bench_member,
        bench_member_counts,
        bench_urls,
    )
    from films import search

    client = Client(HTTP_HOST="127.0.0.1")
    if args.session:
        from django.conf import settings

        client.force_login(bench_member())
        client.get(bench_urls()["film"])  # a browser has its CSRF cookie from the first form
        print(
            "; ".join(
                f"{name}={client.cookies[name].value}"
                for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
            )
        )
        return
    urls = bench_urls()
    if args.member:
        client.force_login(bench_member())
        urls = {name: url for name, url in urls.items() if name in SIGNED_IN}
    else:
        urls = {name: url for name, url in urls.items() if name not in MEMBERS_ONLY}
    results = {
        name: measure(client, url, args.rounds, args.warmup, args.member)
        for name, url in urls.items()
        if args.only in name
    }
    ranking = {}
    for query, kind, title in SEARCH_EXPECTATIONS:
        found = search.search(query).groups.get(kind) or [None]
        ranking[query] = {"wanted": title, "first": found[0] and found[0].title}
    with open(args.out, "w") as out:
        json.dump(
            {
                "vendor": connection.vendor,
                "pages": results,
                "ranking": ranking,
                "member": bench_member_counts(),
            },
            out,
            indent=2,
        )


if __name__ == "__main__":
    main()
