"""`make bench`: the scale benchmark.

1. Builds (once) a SQLite database with the catalogue and a generated community of
   100,000 reviews, and a small one with 10 reviews; a PostgreSQL one too when a server
   answers (BENCH_POSTGRES_URL, default the local one).
2. Measures every page type in-process: SQL queries (cold cache, at both sizes, and
   warm), median and p95 server time.
3. Serves the site with gunicorn and production settings and loads each page with wrk
   on loopback: requests per second.
4. Writes bench/results/report.md and chart.png, prints the table, checks the targets
   (exit status 1 when one is missed).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/leonsite_bench"
TRIVIAL = "trivial (robots.txt)"

TARGET_MEDIAN_MS, TARGET_P95_MS = 25, 60
TARGET_SEARCH_MEDIAN_MS, TARGET_SEARCH_P95_MS = 30, 80
TARGET_FILM_RPS_RATIO = 0.5


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def environment(database_url: str) -> dict:
    """Production settings, on loopback without TLS."""
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="leonsite.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(DATA / "static"),
        MEDIA_ROOT=str(DATA / "media"),
        LOG_LEVEL="ERROR",
        SECURITY_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)


def ensure_database(label: str, url: str, sizes: dict) -> None:
    """Migrate and load the catalogue every time (both are no-ops when done); seed the
    community only when the stamp says this database does not hold these sizes yet."""
    env = environment(url)
    stamp = DATA / f"{label}.seeded"
    wanted = json.dumps(sizes, sort_keys=True)
    if url.startswith("postgres"):
        create_postgres_database(url)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_catalogue", "--verbosity", "0")
    if stamp.exists() and stamp.read_text() == wanted:
        return
    log(f"seeding the {label} database: {sizes}")
    manage(
        env,
        "seed_community",
        f"--users={sizes['users']}",
        f"--reviews={sizes['reviews']}",
        f"--collections={sizes['collections']}",
    )
    stamp.write_text(wanted)


def create_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def postgres_available(url: str) -> bool:
    try:
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return True
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        log(f"PostgreSQL not reachable at {url} ({exc.__class__.__name__}): skipped")
        return False


def in_process(url: str, out: Path, *, rounds: int, only: str = "") -> dict:
    command = [sys.executable, "-m", "bench.inprocess", "--out", str(out)]
    command += ["--rounds", str(rounds), "--only", only]
    subprocess.run(command, env=environment(url), cwd=ROOT, check=True)
    return json.loads(out.read_text())["pages"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def under_gunicorn(url: str, pages: dict, *, duration: int, workers: int) -> dict:
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is missing: apt-get install wrk")
    port = free_port()
    env = environment(url)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "leonsite.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz")
        rates = {}
        for name, page in pages.items():
            for _ in range(5 * workers):  # every worker's cache warm
                urllib.request.urlopen(base + page["url"], timeout=10).read()
            output = subprocess.run(
                [wrk, "-t1", "-c8", f"-d{duration}s", base + page["url"]],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            match = re.search(r"Requests/sec:\s+([\d.]+)", output)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            if not match or errors:
                raise SystemExit(f"wrk failed on {page['url']}:\n{output}")
            rates[name] = float(match.group(1))
            log(f"gunicorn {name}: {rates[name]:.0f} req/s")
        return rates
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def check_targets(big, small, rates, postgres) -> list[str]:
    missed = []
    for name, page in big.items():
        if page["queries"] != small[name]["queries"]:
            counts = f"{page['queries']} queries at scale, {small[name]['queries']} at 10 reviews"
            missed.append(f"{name}: {counts}")
        if name == TRIVIAL:
            continue
        median, p95 = (TARGET_SEARCH_MEDIAN_MS, TARGET_SEARCH_P95_MS)
        if "search" not in name:
            median, p95 = (TARGET_MEDIAN_MS, TARGET_P95_MS)
        if page["median_ms"] > median or page["p95_ms"] > p95:
            missed.append(
                f"{name}: median {page['median_ms']:.1f} ms (≤ {median}), "
                f"p95 {page['p95_ms']:.1f} ms (≤ {p95})"
            )
    if rates:
        ratio = rates["film"] / rates[TRIVIAL]
        if ratio < TARGET_FILM_RPS_RATIO:
            missed.append(f"film under gunicorn: {ratio:.2f} of the trivial view's req/s")
    for name, page in (postgres or {}).items():
        if page["median_ms"] > TARGET_SEARCH_MEDIAN_MS or page["p95_ms"] > TARGET_SEARCH_P95_MS:
            missed.append(
                f"PostgreSQL {name}: median {page['median_ms']:.1f} ms, p95 {page['p95_ms']:.1f} ms"
            )
    return missed


def report(big, small, rates, postgres, sizes, missed) -> str:
    trivial = big[TRIVIAL]
    lines = [
        "# Leonsite benchmark",
        "",
        f"{sizes['reviews']:,} reviews, {sizes['users']:,} members, "
        f"{sizes['collections']:,} collections, SQLite; {os.cpu_count()} CPU cores. "
        "In-process: Django's test client through the whole stack, production settings, "
        "warm cache. Queries: cold cache (at 10 reviews → at scale), then warm. "
        "Gunicorn: sync workers, wrk with 8 connections on loopback.",
        "",
        "| Page | Queries | Warm | Median ms | p95 ms | × trivial | Req/s | × trivial |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in big.items():
        rate = rates.get(name)
        rate_cells = f"{rate:,.0f} | {rate / rates[TRIVIAL]:.2f}" if rate is not None else "– | –"
        lines.append(
            f"| {name} | {small[name]['queries']} → {page['queries']} | {page['queries_warm']} | "
            f"{page['median_ms']:.1f} | {page['p95_ms']:.1f} | "
            f"{page['median_ms'] / trivial['median_ms']:.1f} | {rate_cells} |"
        )
    if postgres:
        lines += ["", "Search on PostgreSQL (same data):", ""]
        lines += ["| Page | Queries | Median ms | p95 ms |", "|---|---:|---:|---:|"]
        for name, page in postgres.items():
            lines.append(
                f"| {name} | {page['queries']} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} |"
            )
    lines += ["", "## Targets", ""]
    lines += [f"- MISSED: {m}" for m in missed] or ["- All met."]
    return "\n".join(lines) + "\n"


def chart(big, rates, path: Path) -> None:
    """Two bar panels drawn with Pillow: server time in-process, and req/s."""
    from PIL import Image, ImageDraw, ImageFont

    names = list(big)
    row, label_w, bar_w, pad = 26, 210, 360, 16
    panel_w = label_w + bar_w + 80
    height = pad * 3 + row * (len(names) + 2)
    image = Image.new("RGB", (panel_w * 2 + pad, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)

    def panel(x0, title, values, limit, marks, color):
        draw.text((x0 + pad, pad), title, fill="black", font=font)
        scale = bar_w / limit
        top = pad * 2 + row
        for mark, mark_label in marks:
            x = x0 + label_w + mark * scale
            draw.line([(x, top - 6), (x, top + row * len(names))], fill="#c0392b", width=1)
            draw.text((x + 3, top - 20), mark_label, fill="#c0392b", font=font)
        for i, name in enumerate(names):
            y = top + i * row
            draw.text((x0 + pad, y + 4), name, fill="black", font=font)
            value = values.get(name)
            if value is None:
                continue
            length = min(bar_w, value * scale)
            draw.rectangle([x0 + label_w, y + 4, x0 + label_w + length, y + row - 6], fill=color)
            draw.text((x0 + label_w + length + 4, y + 4), f"{value:,.1f}", fill="black", font=font)

    medians = {n: p["median_ms"] for n, p in big.items()}
    panel(0, "Median server time, ms (in-process)", medians, 40, [(25, "25 ms")], "#2c6e91")
    if rates:
        top_rate = max(rates.values()) * 1.1
        half = rates[TRIVIAL] * TARGET_FILM_RPS_RATIO
        marks = [(half, "half of trivial")]
        panel(panel_w + pad, "Requests/s under gunicorn", rates, top_rate, marks, "#3f8f4f")
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--collections", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=100, help="Timed requests per page.")
    parser.add_argument("--duration", type=int, default=4, help="wrk seconds per page.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    parser.add_argument("--no-gunicorn", action="store_true")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = {"users": args.users, "reviews": args.reviews, "collections": args.collections}
    small_sizes = {"users": 10, "reviews": 10, "collections": 5}
    big_url = f"sqlite:///{DATA / 'bench.sqlite3'}"
    small_url = f"sqlite:///{DATA / 'small.sqlite3'}"

    ensure_database("bench", big_url, sizes)
    ensure_database("small", small_url, small_sizes)
    manage(environment(big_url), "collectstatic", "--noinput", "--verbosity", "0")

    log("in-process, 10 reviews (queries)")
    small = in_process(small_url, DATA / "small.json", rounds=0)
    log(f"in-process, {args.reviews:,} reviews")
    big = in_process(big_url, RESULTS / "inprocess.json", rounds=args.rounds)

    postgres = None
    postgres_url = args.postgres or DEFAULT_POSTGRES
    if postgres_available(postgres_url):
        ensure_database("postgres", postgres_url, sizes)
        log("in-process search on PostgreSQL")
        postgres = in_process(
            postgres_url, RESULTS / "postgres.json", rounds=args.rounds, only="search"
        )

    rates = {}
    if not args.no_gunicorn:
        rates = under_gunicorn(big_url, big, duration=args.duration, workers=args.workers)

    missed = check_targets(big, small, rates, postgres)
    text = report(big, small, rates, postgres, sizes, missed)
    (RESULTS / "report.md").write_text(text)
    chart(big, rates, RESULTS / "chart.png")
    print(text)
    log(f"written: {RESULTS / 'report.md'} and {RESULTS / 'chart.png'}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
