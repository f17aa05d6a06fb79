"""Following members: the rules (reviews/follows.py), the button, the followers and
following lists, the counts on a profile and how they meet the page cache."""

import json
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leonsite.accounts import services as account_services
from leonsite.accounts.models import Profile
from reviews import follows
from reviews.models import Block, Follow
from tests.factories import PASSWORD, forget_members, make_user
from tests.factories import make_moderator_role as make_moderator

pytestmark = pytest.mark.django_db
User = get_user_model()


def follow_url(member):
    return f"/u/{member.username}/follow/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# The rules ------------------------------------------------------------------------------


def test_follow_and_unfollow(alice, bob):
    assert follows.follow(follower=bob, followed=alice) is True
    assert follows.is_following(bob, alice)
    assert not follows.is_following(alice, bob)
    assert list(follows.followers_of(alice)) == [bob]
    assert list(follows.following_of(bob)) == [alice]
    assert follows.counts(alice) == {"followers": 1, "following": 0}
    assert follows.counts(bob) == {"followers": 0, "following": 1}
    assert follows.unfollow(follower=bob, followed=alice) is True
    assert follows.unfollow(follower=bob, followed=alice) is False
    assert not follows.is_following(bob, alice)


def test_following_twice_keeps_one_row(alice, bob):
    assert follows.follow(follower=bob, followed=alice) is True
    assert follows.follow(follower=bob, followed=alice) is False
    assert Follow.objects.count() == 1


def test_nobody_follows_themself(alice):
    with pytest.raises(follows.Refused, match="follow yourself"):
        follows.follow(follower=alice, followed=alice)
    assert not Follow.objects.exists()


def test_the_database_refuses_a_self_follow_and_a_second_row(alice, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=alice, followed=alice)
    Follow.objects.create(follower=bob, followed=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=bob, followed=alice)


def test_signed_out_and_self_are_never_following(alice):
    from django.contrib.auth.models import AnonymousUser

    assert follows.is_following(AnonymousUser(), alice) is False
    assert follows.is_following(alice, alice) is False
    assert follows.is_following(alice.pk, alice.pk) is False


def test_lists_leave_out_deleted_and_unconfirmed_accounts(alice, bob):
    carol = make_user("carol")
    follows.follow(follower=bob, followed=alice)
    follows.follow(follower=carol, followed=alice)
    User.objects.filter(pk=carol.pk).update(is_active=False)
    assert list(follows.followers_of(alice)) == [bob]
    assert follows.counts(alice)["followers"] == 1


def test_lists_are_newest_first(alice):
    fans = [make_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        follows.follow(follower=fan, followed=alice)
    Follow.objects.filter(follower=fans[0]).update(created_at=timezone.now() + timedelta(days=1))
    assert [u.username for u in follows.followers_of(alice)] == ["fan0", "fan2", "fan1"]


# The button -----------------------------------------------------------------------------


def test_follow_button_on_a_profile_and_back_with_a_message(alice, bob_client):
    page = bob_client.get(f"/u/{alice.username}/").content.decode()
    assert f'action="/u/{alice.username}/follow/"' in page
    assert 'value="follow"' in page
    response = bob_client.post(
        follow_url(alice), {"action": "follow", "next": f"/u/{alice.username}/"}, follow=True
    )
    assert response.redirect_chain[-1] == (f"/u/{alice.username}/", 302)
    assert "You follow Alice." in messages_of(response)
    page = response.content.decode()
    assert 'value="unfollow"' in page
    assert "Unfollow" in page
    assert Follow.objects.filter(follower__username="bob", followed=alice).exists()


def test_unfollow_button(alice, bob, bob_client):
    follows.follow(follower=bob, followed=alice)
    response = bob_client.post(follow_url(alice), {"action": "unfollow"}, follow=True)
    assert "You no longer follow Alice." in messages_of(response)
    assert not Follow.objects.exists()


def test_no_button_on_your_own_profile_and_following_yourself_is_refused(alice, alice_client):
    page = alice_client.get(f"/u/{alice.username}/").content.decode()
    assert f"/u/{alice.username}/follow/" not in page
    response = alice_client.post(follow_url(alice), {"action": "follow"}, follow=True)
    assert "You can't follow yourself." in messages_of(response)
    assert not Follow.objects.exists()


def test_bad_requests(alice, bob_client):
    assert bob_client.get(follow_url(alice)).status_code == 405
    assert bob_client.post("/u/nobody-here/follow/", {"action": "follow"}).status_code == 404
    assert bob_client.post(follow_url(alice), {"action": "admire"}).status_code == 400
    assert bob_client.post(follow_url(alice), {}).status_code == 400
    assert not Follow.objects.exists()


def test_a_deleted_account_cannot_be_followed(alice, bob_client):
    account_services.account_delete(user=alice)
    alice.refresh_from_db()
    assert bob_client.post(follow_url(alice), {"action": "follow"}).status_code == 404


def test_a_cross_site_post_is_refused(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(follow_url(alice), {"action": "follow"}, HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_next_never_leaves_the_site(alice, bob_client):
    response = bob_client.post(
        follow_url(alice), {"action": "follow", "next": "https://evil.test/"}
    )
    assert response.status_code == 302
    assert response.url == f"/u/{alice.username}/"


def test_a_silenced_member_cannot_follow_but_may_unfollow(alice, bob, bob_client):
    follows.follow(follower=bob, followed=alice)
    Profile.objects.filter(user=bob).update(
        silenced_until=timezone.now() + timedelta(days=2), silence_reason="Cool off."
    )
    carol = make_user("carol")
    response = bob_client.post(follow_url(carol), {"action": "follow"})
    assert response.status_code == 403
    assert "Cool off." in response.content.decode()
    assert not follows.is_following(bob, carol)
    assert bob_client.post(follow_url(alice), {"action": "unfollow"}).status_code == 302
    assert not follows.is_following(bob, alice)


def test_a_suspended_member_cannot_follow(alice, bob, bob_client):
    Profile.objects.filter(user=bob).update(
        suspended_until=timezone.now() + timedelta(days=2), suspension_reason="Spam."
    )
    response = bob_client.post(follow_url(alice), {"action": "follow"})
    assert response.status_code in (302, 403)
    assert not Follow.objects.exists()


def test_follows_are_rate_limited(alice, bob_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow": {"user": ["2/h"]}}
    others = [make_user() for _ in range(3)]
    assert bob_client.post(follow_url(others[0]), {"action": "follow"}).status_code == 302
    assert bob_client.post(follow_url(others[1]), {"action": "follow"}).status_code == 302
    response = bob_client.post(follow_url(others[2]), {"action": "follow"})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Follow.objects.count() == 2


def test_a_refused_follow_costs_nothing(alice, bob_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow": {"user": ["1/h"]}}
    bob = User.objects.get(username="bob")
    bob_client.post(follow_url(bob), {"action": "follow"})  # yourself: refused
    assert bob_client.post(follow_url(alice), {"action": "follow"}).status_code == 302
    assert follows.is_following(bob, alice)


# Permission cells of each new URL ---------------------------------------------------------
# anonymous, member, blocked member, self and moderator, against alice's URLs.


@pytest.fixture
def cells(alice, bob):
    blocked = make_user("ben")
    follows.block(blocker=alice, blocked=blocked)
    make_user("mona")
    moderator = make_moderator("mona")
    clients = {"anonymous": Client()}
    for name, user in (("member", bob), ("blocked", blocked), ("self", alice),
                       ("moderator", moderator)):  # fmt: skip
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


FOLLOW_CELLS = {
    "anonymous": ("login", False),
    "member": (302, True),
    "blocked": (302, False),  # refused with a neutral message
    "self": (302, False),  # refused: you can't follow yourself
    "moderator": (302, True),
}


@pytest.mark.parametrize("who", FOLLOW_CELLS)
def test_follow_url_cells(cells, alice, who):
    status, follows_now = FOLLOW_CELLS[who]
    response = cells[who].post(follow_url(alice), {"action": "follow"})
    if status == "login":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    else:
        assert response.status_code == status
        assert "/login/" not in response.url
    assert Follow.objects.filter(followed=alice).exists() is follows_now


@pytest.mark.parametrize("who", ["anonymous", "member", "blocked", "self", "moderator"])
@pytest.mark.parametrize("which", ["followers", "following"])
def test_list_url_cells(cells, alice, bob, who, which):
    follows.follow(follower=bob, followed=alice)
    response = cells[who].get(f"/u/{alice.username}/{which}/")
    assert response.status_code == 200
    assert cells[who].get(f"/u/nobody-here/{which}/").status_code == 404
    assert cells[who].post(f"/u/{alice.username}/{which}/").status_code == 200  # a page


def test_the_blocked_member_is_told_nothing(cells, alice):
    response = cells["blocked"].post(follow_url(alice), {"action": "follow"}, follow=True)
    shown = " ".join(messages_of(response))
    assert "You can't follow this member." in shown
    assert "block" not in shown.lower()
    page = cells["blocked"].get(f"/u/{alice.username}/").content.decode()
    assert "blocked you" not in page.lower()
    assert "You block this member." not in page
    assert (
        f'action="/u/{alice.username}/follow/"' in page
    )  # the button stays: it gives nothing away


# The lists --------------------------------------------------------------------------------


def test_followers_and_following_pages(alice, bob, client):
    carol = make_user("carol", display_name="Carol")
    follows.follow(follower=bob, followed=alice)
    follows.follow(follower=carol, followed=alice)
    follows.follow(follower=alice, followed=carol)
    page = client.get(f"/u/{alice.username}/followers/").content.decode()
    assert 'class="member-chip"' in page
    assert "Bob" in page and "Carol" in page
    assert "2 followers" in page and "1 following" in page
    page = client.get(f"/u/{alice.username}/following/").content.decode()
    assert "Carol" in page and ">Bob<" not in page
    page = client.get(f"/u/{bob.username}/followers/").content.decode()
    assert "No followers yet." in page


def test_lists_are_paginated(alice):
    users = User.objects.bulk_create(
        [User(username=f"p{n}", email=f"p{n}@example.com") for n in range(60)]
    )
    Profile.objects.bulk_create([Profile(user=u) for u in users])
    Follow.objects.bulk_create([Follow(follower=u, followed=alice) for u in users])
    client = Client()
    first = client.get(f"/u/{alice.username}/followers/").content.decode()
    assert first.count('class="member-chip"') == 51  # 50, and the member in the header
    assert "Page 1 of 2" in first
    second = client.get(f"/u/{alice.username}/followers/?page=2").content.decode()
    assert second.count('class="member-chip"') == 11
    assert client.get(f"/u/{alice.username}/followers/?page=zzz").status_code == 200


def _bulk_followers(member, n, prefix):
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com") for i in range(n)]
    )
    Profile.objects.bulk_create([Profile(user=u, display_name=u.username.upper()) for u in users])
    Follow.objects.bulk_create([Follow(follower=u, followed=member) for u in users])
    Follow.objects.bulk_create([Follow(follower=member, followed=u) for u in users])


def count_queries(client, url):
    forget_members()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


LIST_BUDGET = 4  # the member, the counts, the page's count, its rows (and their profiles)
LIST_BUDGET_MEMBER = 7  # + the session, the reader and their profile (the nav)


@pytest.mark.parametrize("which", ["followers", "following"])
def test_list_queries_do_not_grow_with_the_follows(which, django_assert_max_num_queries):
    few, many = make_user("few"), make_user("many")
    _bulk_followers(few, 10, "f")
    _bulk_followers(many, 1000, "m")
    client = Client()
    small = count_queries(client, f"/u/few/{which}/")
    big = count_queries(client, f"/u/many/{which}/")
    assert small == big
    with django_assert_max_num_queries(LIST_BUDGET):
        client.get(f"/u/many/{which}/?page=3")
    reader = Client()
    reader.force_login(make_user("reader"))
    assert count_queries(reader, f"/u/few/{which}/") == count_queries(reader, f"/u/many/{which}/")
    with django_assert_max_num_queries(LIST_BUDGET_MEMBER):
        reader.get(f"/u/many/{which}/")


# The profile, its counts and the page cache ----------------------------------------------


def test_counts_on_the_profile_stay_right_for_visitors(alice, bob):
    visitor = Client()
    page = visitor.get(f"/u/{alice.username}/").content.decode()
    assert "<strong>0</strong> followers" in page
    assert "Log in to follow" in page
    follows.follow(follower=bob, followed=alice)
    page = visitor.get(f"/u/{alice.username}/").content.decode()  # cached before: moved on
    assert "<strong>1</strong> follower" in page
    assert visitor.get(f"/u/{alice.username}/followers/").content.decode().count("Bob") >= 1
    follows.unfollow(follower=bob, followed=alice)
    page = visitor.get(f"/u/{alice.username}/").content.decode()
    assert "<strong>0</strong> followers" in page


def test_a_members_follow_state_never_reaches_the_visitors_copy(alice, bob, bob_client):
    follows.follow(follower=bob, followed=alice)
    visitor = Client()
    visitor.get(f"/u/{alice.username}/")  # cached now
    mine = bob_client.get(f"/u/{alice.username}/").content.decode()
    assert 'value="unfollow"' in mine
    theirs = visitor.get(f"/u/{alice.username}/").content.decode()
    assert "csrfmiddlewaretoken" not in theirs
    assert "unfollow" not in theirs.lower()
    assert f"/u/{alice.username}/follow/" not in theirs
    # And the member's own view is never the visitors' copy.
    again = bob_client.get(f"/u/{alice.username}/").content.decode()
    assert 'value="unfollow"' in again


# Account data ---------------------------------------------------------------------------


def test_the_export_holds_follows_and_blocks(alice, bob, alice_client):
    carol = make_user("carol")
    follows.follow(follower=alice, followed=bob)
    follows.follow(follower=carol, followed=alice)
    follows.block(blocker=alice, blocked=make_user("dan"))
    data = json.loads(alice_client.get("/accounts/export/").content)
    assert [f["username"] for f in data["following"]] == ["bob"]
    assert [f["username"] for f in data["followers"]] == ["carol"]
    assert [b["username"] for b in data["blocking"]] == ["dan"]
    assert data["following"][0]["since"]


def test_deleting_an_account_removes_its_follows_and_blocks(alice, bob, alice_client):
    carol = make_user("carol")
    follows.follow(follower=alice, followed=bob)
    follows.follow(follower=carol, followed=alice)
    follows.block(blocker=alice, blocked=carol)
    follows.block(blocker=bob, blocked=alice)
    follows.follow(follower=bob, followed=carol)  # someone else's: stays
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert list(Follow.objects.values_list("follower__username", "followed__username")) == [
        ("bob", "carol")
    ]
    assert not Block.objects.exists()
    assert follows.counts(bob) == {"followers": 0, "following": 1}


def test_removing_a_user_row_cascades(alice, bob):
    follows.follow(follower=alice, followed=bob)
    follows.follow(follower=bob, followed=alice)
    follows.block(blocker=make_user("carol"), blocked=alice)
    User.objects.filter(pk=alice.pk).delete()
    assert not Follow.objects.exists()
    assert not Block.objects.exists()


# Concurrency ----------------------------------------------------------------------------


def test_a_lost_race_is_one_row_and_no_error(alice, bob, monkeypatch):
    """The second of two simultaneous follows meets the unique constraint: one row,
    and the service answers "already there" rather than raising."""
    real = follows.is_blocked
    done = []

    def racing(owner, viewer):
        if not done:
            done.append(True)
            Follow.objects.create(follower=bob, followed=alice)  # the other request wins
        return real(owner, viewer)

    monkeypatch.setattr(follows, "is_blocked", racing)
    assert follows.follow(follower=bob, followed=alice) is False
    assert Follow.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL")
def test_concurrent_follows_make_one_row(django_db_blocker):
    """Two threads, each with its own connection, follow at once."""
    from django.db import connections

    alice, bob = make_user("alice2"), make_user("bob2")
    results, errors = [], []
    barrier = threading.Barrier(4)

    def go():
        try:
            barrier.wait()
            results.append(follows.follow(follower=bob, followed=alice))
        except Exception as err:  # noqa: BLE001 - the test reports any
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Follow.objects.filter(follower=bob, followed=alice).count() == 1
    assert results.count(True) == 1


# The admin --------------------------------------------------------------------------------


def test_follows_and_blocks_are_read_only_lists_in_the_admin(alice, bob):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(root)
    follows.follow(follower=bob, followed=alice)
    follows.block(blocker=alice, blocked=make_user("carol"))
    for model in ("follow", "block"):
        page = client.get(f"/admin/reviews/{model}/?q=alice")
        assert page.status_code == 200
        assert "alice" in page.content.decode()
        assert client.get(f"/admin/reviews/{model}/add/").status_code == 403
    row = Follow.objects.get()
    assert (
        client.post(f"/admin/reviews/follow/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Follow.objects.exists()
