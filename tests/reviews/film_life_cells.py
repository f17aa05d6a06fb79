"""Who may open a member's diary or watchlist: the same readers and answers for both."""

import pytest
from django.test import Client

from reviews import follows
from tests.factories import make_moderator, make_user

READERS = ("anonymous", "member", "follower", "blocked", "moderator", "owner")

# The answer each reader gets, by the owner's choice of visibility.
WHO_SEES = pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("public", dict(zip(READERS, (200, 200, 200, 404, 200, 200), strict=True))),
        ("followers", dict(zip(READERS, (404, 404, 200, 404, 404, 200), strict=True))),
        ("private", dict(zip(READERS, (404, 404, 404, 404, 404, 200), strict=True))),
    ],
)


def answers(owner, member, url: str) -> dict[str, int]:
    """The status each reader gets at `url`: a follower, a member the owner blocked after
    they followed, a moderator, the owner, another member and a visitor."""
    fan, pest = make_user("fan"), make_user("pest")
    follows.follow(follower=fan, followed=owner)
    follows.follow(follower=pest, followed=owner)
    follows.block(blocker=owner, blocked=pest)  # ends pest's follow too
    users = {
        "member": member,
        "follower": fan,
        "blocked": pest,
        "moderator": make_moderator(),
        "owner": owner,
    }
    found = {}
    for who in READERS:
        client = Client()
        if who in users:
            client.force_login(users[who])
        found[who] = client.get(url).status_code
    return found
