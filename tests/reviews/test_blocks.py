"""Blocking members: a block ends follows both ways and keeps the blocked member from
following, commenting on and liking the blocker's posts (reviews/follows.py, and the
like and comment services), without telling them."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from leonsite.accounts.models import Profile
from reviews import follows, services
from reviews.models import Block, CollectionLike, Comment, Follow, Review, ReviewLike
from tests.factories import make_collection, make_review, make_user
from tests.factories import make_moderator_role as make_moderator

pytestmark = pytest.mark.django_db


def block_url(member):
    return f"/u/{member.username}/block/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# The rules ------------------------------------------------------------------------------


def test_a_block_ends_follows_both_ways(alice, bob):
    follows.follow(follower=alice, followed=bob)
    follows.follow(follower=bob, followed=alice)
    assert follows.block(blocker=alice, blocked=bob) is True
    assert not Follow.objects.exists()
    assert follows.is_blocked(alice, bob)
    assert not follows.is_blocked(bob, alice)
    assert follows.blocked_between(bob, alice) and follows.blocked_between(alice, bob)


def test_blocking_twice_keeps_one_row_and_yourself_is_refused(alice, bob):
    assert follows.block(blocker=alice, blocked=bob) is True
    assert follows.block(blocker=alice, blocked=bob) is False
    assert Block.objects.count() == 1
    with pytest.raises(follows.Refused, match="block yourself"):
        follows.block(blocker=alice, blocked=alice)


def test_the_database_refuses_a_self_block_and_a_second_row(alice, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=alice, blocked=alice)
    Block.objects.create(blocker=alice, blocked=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=alice, blocked=bob)


def test_neither_side_can_follow_the_other(alice, bob):
    follows.block(blocker=alice, blocked=bob)
    with pytest.raises(follows.Refused, match="You can't follow this member."):
        follows.follow(follower=bob, followed=alice)
    with pytest.raises(follows.Refused, match="unblock them"):
        follows.follow(follower=alice, followed=bob)
    assert not Follow.objects.exists()


def test_unblocking_lets_them_follow_again_but_restores_nothing(alice, bob):
    follows.follow(follower=bob, followed=alice)
    follows.block(blocker=alice, blocked=bob)
    assert follows.unblock(blocker=alice, blocked=bob) is True
    assert follows.unblock(blocker=alice, blocked=bob) is False
    assert not follows.is_following(bob, alice)
    assert follows.follow(follower=bob, followed=alice) is True


def test_is_blocked_for_visitors_and_yourself(alice):
    from django.contrib.auth.models import AnonymousUser

    assert follows.is_blocked(alice, AnonymousUser()) is False
    assert follows.is_blocked(alice, alice) is False
    assert follows.blocked_between(alice, None) is False


# Comments and likes: one path each, in reviews/services.py ------------------------------


def test_a_blocked_member_cannot_comment_on_the_blockers_review(alice, bob):
    review = make_review(author=alice)
    follows.block(blocker=alice, blocked=bob)
    with pytest.raises(ValidationError, match="You can't comment on this review."):
        services.comment_create(author=bob, review=review, body="Hello")
    # Nor may the blocker comment on the blocked member's, until they unblock.
    theirs = make_review(author=bob)
    with pytest.raises(ValidationError):
        services.comment_create(author=alice, review=theirs, body="Hello")
    assert not Comment.objects.exists()
    # Others still can, and so can bob on someone else's review.
    services.comment_create(author=make_user(), review=review, body="Fine")
    services.comment_create(author=bob, review=make_review(), body="Fine")


def test_a_blocked_member_cannot_like_the_blockers_review_or_collection(alice, bob):
    review = make_review(author=alice)
    collection = make_collection(owner=alice)
    follows.block(blocker=alice, blocked=bob)
    with pytest.raises(follows.Refused, match="You can't like this review."):
        services.like(user=bob, item=review)
    with pytest.raises(follows.Refused, match="You can't like this collection."):
        services.like(user=bob, item=collection)
    assert not ReviewLike.objects.exists() and not CollectionLike.objects.exists()
    assert Review.objects.get(pk=review.pk).like_count == 0
    follows.unblock(blocker=alice, blocked=bob)
    assert services.like(user=bob, item=review) is True


def test_the_comment_form_says_why_and_never_fails(alice, bob, bob_client):
    review = make_review(author=alice)
    follows.block(blocker=alice, blocked=bob)
    response = bob_client.post(f"/reviews/{review.pk}/comments/", {"body": "Hi there"})
    assert response.status_code == 400
    assert "You can't comment on this review." in html.unescape(response.content.decode())
    assert not Comment.objects.exists()


def test_the_like_button_says_why_and_never_fails(alice, bob, bob_client):
    review = make_review(author=alice)
    collection = make_collection(owner=alice)
    follows.block(blocker=alice, blocked=bob)
    response = bob_client.post(f"/reviews/{review.pk}/like/", {"action": "like"}, follow=True)
    assert "You can't like this review." in messages_of(response)
    response = bob_client.post(
        f"/collections/{collection.pk}/like/", {"action": "like"}, follow=True
    )
    assert "You can't like this collection." in messages_of(response)
    assert not ReviewLike.objects.exists() and not CollectionLike.objects.exists()


def test_likes_given_before_the_block_can_still_be_taken_back(alice, bob, bob_client):
    review = make_review(author=alice)
    services.like(user=bob, item=review)
    follows.block(blocker=alice, blocked=bob)
    bob_client.post(f"/reviews/{review.pk}/like/", {"action": "unlike"})
    assert not ReviewLike.objects.exists()


# The button and the settings' list ------------------------------------------------------


def test_block_from_a_profile_then_unblock_from_the_settings(alice, bob, alice_client):
    follows.follow(follower=bob, followed=alice)
    page = alice_client.get(f"/u/{bob.username}/").content.decode()
    assert f'action="/u/{bob.username}/block/"' in page
    response = alice_client.post(
        block_url(bob), {"action": "block", "next": f"/u/{bob.username}/"}, follow=True
    )
    assert any("You blocked Bob." in m for m in messages_of(response))
    page = response.content.decode()
    assert "You block this member." in page
    assert f'action="/u/{bob.username}/follow/"' not in page
    assert not Follow.objects.exists()
    settings_page = alice_client.get("/accounts/settings/").content.decode()
    assert "Blocked members" in settings_page
    assert f'action="/u/{bob.username}/block/"' in settings_page
    response = alice_client.post(
        block_url(bob), {"action": "unblock", "next": "/accounts/settings/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/settings/"
    assert "You unblocked Bob." in messages_of(response)
    assert "You don't block anyone." in response.content.decode()
    assert not Block.objects.exists()


def test_bad_requests(alice, bob_client):
    assert bob_client.get(block_url(alice)).status_code == 405
    assert bob_client.post("/u/nobody-here/block/", {"action": "block"}).status_code == 404
    assert bob_client.post(block_url(alice), {"action": "mute"}).status_code == 400
    assert not Block.objects.exists()


def test_blocking_yourself_is_refused_with_a_message(alice, alice_client):
    response = alice_client.post(block_url(alice), {"action": "block"}, follow=True)
    assert "You can't block yourself." in messages_of(response)
    assert not Block.objects.exists()


def test_a_cross_site_post_is_refused(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(block_url(alice), {"action": "block"}, HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    assert not Block.objects.exists()


def test_a_silenced_member_may_still_block(alice, bob, bob_client):
    Profile.objects.filter(user=bob).update(
        silenced_until=timezone.now() + timedelta(days=2), silence_reason="Cool off."
    )
    assert bob_client.post(block_url(alice), {"action": "block"}).status_code == 302
    assert follows.is_blocked(bob, alice)


def test_blocks_are_rate_limited(bob_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "block": {"user": ["2/h"]}}
    others = [make_user() for _ in range(3)]
    assert bob_client.post(block_url(others[0]), {"action": "block"}).status_code == 302
    assert bob_client.post(block_url(others[1]), {"action": "block"}).status_code == 302
    assert bob_client.post(block_url(others[2]), {"action": "block"}).status_code == 429
    assert Block.objects.count() == 2


# Permission cells of the block URL: anonymous, member, blocked member, self, moderator ----


BLOCK_CELLS = {
    "anonymous": ("login", False),
    "member": (302, True),
    "blocked": (302, True),  # blocking back is allowed
    "self": (302, False),  # refused: you can't block yourself
    "moderator": (302, True),
}


@pytest.mark.parametrize("who", BLOCK_CELLS)
def test_block_url_cells(alice, bob, who):
    ben = make_user("ben")
    follows.block(blocker=alice, blocked=ben)
    users = {"member": bob, "blocked": ben, "self": alice}
    if who == "moderator":
        make_user("mona")
        users["moderator"] = make_moderator("mona")
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    status, blocks_now = BLOCK_CELLS[who]
    response = client.post(block_url(alice), {"action": "block"})
    if status == "login":
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == status
        assert "/login/" not in response.url
    assert Block.objects.filter(blocked=alice).exists() is blocks_now
    assert Block.objects.filter(blocker=alice, blocked=ben).exists()  # untouched


def test_blockers_between_names_who_blocks(alice, bob):
    assert follows.blockers_between(alice, bob) == set()
    follows.block(blocker=alice, blocked=bob)
    assert follows.blockers_between(bob, alice) == {alice.pk}
    follows.block(blocker=bob, blocked=alice)
    assert follows.blockers_between(alice, bob) == {alice.pk, bob.pk}
