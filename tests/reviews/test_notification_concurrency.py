"""A burst of likes at once is one notification with the exact count, on PostgreSQL.

SQLite serialises every write, so the race only exists on PostgreSQL: twenty members
like one review at the same moment, each from its own thread and connection.
"""

import pytest
from django.db import connection

from reviews import notifications, services
from reviews.models import Notification
from reviews.notification_kinds import Kind
from tests.factories import make_review, make_user
from tests.reviews.test_concurrency import run_threads

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

LIKERS = 20


def test_twenty_members_liking_one_review_at_once_make_one_notification_of_twenty():
    author = make_user()
    review = make_review(author=author)
    likers = [make_user() for _ in range(LIKERS)]

    run_threads(lambda i: services.like(user=likers[i], item=review), LIKERS)

    found = Notification.objects.get(recipient=author)
    assert (found.kind, found.count) == (Kind.LIKE_REVIEW, LIKERS)
    assert found.is_unread


def test_concurrent_notify_calls_outside_any_other_write_still_add_up():
    """notify() alone (as replies will call it): the open-group insert races and the
    losers add to the winner's row."""
    author = make_user()
    review = make_review(author=author)
    actors = [make_user() for _ in range(LIKERS)]

    run_threads(
        lambda i: notifications.notify(
            recipient=author, actor=actors[i], kind=Kind.LIKE_REVIEW, target=review
        ),
        LIKERS,
    )

    assert Notification.objects.get(recipient=author).count == LIKERS
