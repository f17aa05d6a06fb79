"""A review's Markdown is rendered before its write opens a transaction, and only when
the body changes: no write holds the database lock while Markdown renders."""

import time
from contextlib import contextmanager

import pytest
from django.db import connection

from reviews import services
from reviews.markup import render_markdown
from reviews.models import Review
from reviews.moderation import services as moderation
from tests.factories import make_film, make_review
from tests.reviews.test_markup import MAX, PATHOLOGICAL

pytestmark = pytest.mark.django_db
LOCK_BUDGET = 0.5  # seconds from a write's first statement to its last


@contextmanager
def statement_span():
    """The time from the first SQL statement to the last one, in seconds, and when each
    statement ran."""
    stamps = []

    def wrapper(execute, sql, params, many, context):
        stamps.append(time.perf_counter())
        try:
            return execute(sql, params, many, context)
        finally:
            stamps.append(time.perf_counter())

    span = {}
    with connection.execute_wrapper(wrapper):
        yield span
    span["seconds"] = stamps[-1] - stamps[0] if stamps else 0.0
    span["from"], span["to"] = (stamps[0], stamps[-1]) if stamps else (0.0, 0.0)


@contextmanager
def render_times(monkeypatch):
    """When each Markdown render ran (start and end)."""
    runs = []

    def timed(body, **options):
        started = time.perf_counter()
        try:
            return render_markdown(body, **options)
        finally:
            runs.append((started, time.perf_counter()))

    monkeypatch.setattr(services, "render_markdown", timed)
    yield runs


@pytest.mark.parametrize("name", ["brackets", "spoilers around emphasis", "quote markers"])
def test_a_hostile_body_never_holds_the_write_open(alice, name, monkeypatch):
    body = PATHOLOGICAL[name][:MAX]
    film = make_film()
    with render_times(monkeypatch) as renders:
        with statement_span() as created:
            review = services.review_create(author=alice, film=film, rating=6, body=body)
        with statement_span() as edited:
            services.review_update(
                review=review, rating=7, title="", body=body[::-1], is_spoiler=False
            )
    # No render ran while a write was open (an unchanged body is not rendered again)...
    assert renders
    for started, ended in renders:
        for write in (created, edited):
            assert ended <= write["from"] or started >= write["to"]
    # ...and the writes themselves stay short (a loose bound: machines vary under load).
    assert created["seconds"] < LOCK_BUDGET and edited["seconds"] < LOCK_BUDGET


def test_saves_that_do_not_change_the_body_do_not_render_it(alice, moderator):
    review = make_review(author=alice, body="*Words*")
    Review.objects.filter(pk=review.pk).update(body_html="<p>kept</p>")
    review.refresh_from_db()
    services.review_update(review=review, rating=3, title="New title", body="*Words*",
                           is_spoiler=True)  # fmt: skip
    moderation.decide(moderator=moderator, item=review, action="hide", reason="x")
    moderation.decide(moderator=moderator, item=review, action="restore", reason="x")
    review.refresh_from_db()
    assert review.body_html == "<p>kept</p>"
    services.review_update(review=review, rating=3, title="", body="**Other**", is_spoiler=False)
    review.refresh_from_db()
    assert review.body_html == "<p><strong>Other</strong></p>"
