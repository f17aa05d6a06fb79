"""Replies: one level deep under a comment, written, shown, counted and moderated like
comments (they are comments)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reviews import follows, services
from reviews.models import COMMENT_BODY_MAX, Comment
from reviews.moderation import services as moderation
from tests.factories import make_comment, make_moderator, make_report, make_review, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(alice):
    return make_review(author=alice, title="A cleaner's code", body="Plants, milk, rules.")


@pytest.fixture
def top(review, bob):
    return make_comment(review=review, author=bob, body="Stansfield steals it.")


def count_of(review):
    review.refresh_from_db()
    return review.comment_count


def post(client, review, body, reply_to=None):
    data = {"body": body}
    if reply_to is not None:
        data["reply_to"] = str(reply_to)
    return client.post(f"/reviews/{review.pk}/comments/", data)


# The service ----------------------------------------------------------------------------


def test_a_reply_hangs_under_its_comment(review, top):
    reply = make_comment(parent=top, body="Everyone!")
    assert reply.parent == top and reply.review == review
    assert list(top.replies.all()) == [reply]


def test_a_reply_to_a_reply_joins_the_thread_at_its_top(top):
    first = make_comment(parent=top)
    second = make_comment(parent=first, body="@someone yes")
    assert second.parent_id == top.pk


def test_a_reply_to_a_comment_of_another_review_is_refused(review, top):
    other = make_comment(review=make_review())
    with pytest.raises(ValidationError) as refused:
        services.comment_create(author=make_user(), review=review, body="Hi", parent=other)
    assert refused.value.code == "bad_parent"
    assert Comment.objects.filter(parent__isnull=False).count() == 0


def test_the_model_refuses_a_parent_that_is_a_reply_or_elsewhere(top):
    reply = make_comment(parent=top)
    nested = Comment(review=top.review, author=make_user(), body="x", parent=reply)
    with pytest.raises(ValidationError):
        nested.full_clean()
    elsewhere = Comment(review=make_review(), author=make_user(), body="x", parent=top)
    with pytest.raises(ValidationError):
        elsewhere.full_clean()


def test_a_comment_is_never_its_own_parent(top):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=top.pk).update(parent=top.pk)


def test_a_deleted_or_hidden_comment_takes_no_new_reply(review, top, moderator):
    services.comment_delete(comment=top)
    with pytest.raises(ValidationError):
        make_comment(parent=top)
    other = make_comment(review=review)
    moderation.decide(moderator=moderator, item=other, action="hide", reason="Rude.")
    with pytest.raises(ValidationError):
        make_comment(parent=other)


@pytest.mark.parametrize("who_blocks", ["parent_author", "replier", "review_author"])
def test_a_block_either_way_with_the_parent_or_review_author_refuses_the_reply(
    review, top, alice, bob, who_blocks
):
    carol = make_user("carol")
    if who_blocks == "parent_author":
        follows.block(blocker=bob, blocked=carol)
    elif who_blocks == "replier":
        follows.block(blocker=carol, blocked=bob)
    else:
        follows.block(blocker=alice, blocked=carol)
    with pytest.raises(ValidationError) as refused:
        make_comment(parent=top, author=carol)
    assert refused.value.messages == ["You can't reply to this comment."]


def test_a_block_with_the_author_of_the_reply_answered_refuses_too(top):
    dan, carol = make_user("dan"), make_user("carol")
    answered = make_comment(parent=top, author=dan)
    follows.block(blocker=dan, blocked=carol)
    with pytest.raises(ValidationError):
        make_comment(parent=answered, author=carol)


# Counts: comments and replies, as the public sees them -----------------------------------


def test_replies_count_with_comments_through_create_delete_hide_and_restore(review, top, moderator):
    assert count_of(review) == 1
    reply = make_comment(parent=top)
    assert count_of(review) == 2
    moderation.decide(moderator=moderator, item=reply, action="hide", reason="Rude.")
    assert count_of(review) == 1
    moderation.decide(moderator=moderator, item=reply, action="restore", reason="Fine.")
    assert count_of(review) == 2
    services.comment_delete(comment=top)  # its reply stays, and counts
    assert count_of(review) == 1
    services.comment_delete(comment=reply)
    assert count_of(review) == 0


# The page -------------------------------------------------------------------------------


def test_replies_show_indented_under_their_comment(client, review, top):
    reply = make_comment(parent=top, body="Everyone!")
    later = make_comment(review=review, body="A later comment.")
    page = client.get(review.get_absolute_url()).content.decode()
    thread = page[page.index(f'id="comment-{top.pk}"') :]
    assert thread.index("comment-replies") < thread.index(f'id="comment-{reply.pk}"')
    assert thread.index(f'id="comment-{reply.pk}"') < thread.index(f'id="comment-{later.pk}"')
    assert 'aria-label="Replies to Bob"' in page
    assert 'aria-label="Reply by ' in page


def test_a_deleted_comment_with_live_replies_keeps_its_place_and_its_replies(client, review, top):
    reply = make_comment(parent=top, body="Everyone!")
    services.comment_delete(comment=top)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Comment deleted." in page and "Stansfield steals it." not in page
    assert f'id="comment-{reply.pk}"' in page and "Everyone!" in page
    services.comment_delete(comment=reply)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Comment deleted." not in page and f'id="comment-{top.pk}"' not in page


def test_a_hidden_reply_shows_the_placeholder_to_readers(client, review, top, moderator):
    reply = make_comment(parent=top, body="Something rude.")
    moderation.decide(moderator=moderator, item=reply, action="hide", reason="Rude.")
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Something rude." not in page
    assert "This comment was hidden by a moderator." in page


def test_a_hidden_parent_shows_the_placeholder_and_keeps_its_replies(
    client, review, top, moderator
):
    reply = make_comment(parent=top, body="Everyone!")
    moderation.decide(moderator=moderator, item=top, action="hide", reason="Rude.")
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Stansfield steals it." not in page
    assert "This comment was hidden by a moderator." in page
    assert f'id="comment-{reply.pk}"' in page and "Everyone!" in page


def test_the_reply_link_opens_a_form_under_that_comment_without_javascript(bob_client, review, top):
    page = bob_client.get(review.get_absolute_url()).content.decode()
    assert f'href="?reply_to={top.pk}#reply-{top.pk}"' in page
    assert 'id="reply-' not in page  # no form until asked
    page = bob_client.get(f"{review.get_absolute_url()}?reply_to={top.pk}").content.decode()
    form = page[page.index(f'id="reply-{top.pk}"') :]
    assert f'name="reply_to" value="{top.pk}"' in form
    assert "Your reply to Bob" in form
    assert page.index(f'id="comment-{top.pk}"') < page.index(f'id="reply-{top.pk}"')
    assert "<script" not in form[: form.index("</section>")]


def test_answering_a_reply_names_its_author_in_the_form(client, review, top):
    carol = make_user("carol")
    reply = make_comment(parent=top, author=carol)
    client.force_login(make_user())
    page = client.get(f"{review.get_absolute_url()}?reply_to={reply.pk}").content.decode()
    assert "@carol </textarea>" in page


def test_a_reply_to_a_comment_of_another_review_is_ignored_on_the_page(bob_client, review):
    other = make_comment(review=make_review())
    page = bob_client.get(f"{review.get_absolute_url()}?reply_to={other.pk}").content.decode()
    assert 'name="reply_to" value=' not in page


def test_a_plain_post_replies_and_returns_to_the_reply(client, review, top):
    carol = make_user("carol")
    client.force_login(carol)
    response = post(client, review, "Everyone!", reply_to=top.pk)
    reply = Comment.objects.get(author=carol)
    assert reply.parent == top
    assert response.status_code == 302 and response.url.endswith(f"#comment-{reply.pk}")
    assert "Your reply is posted." in client.get(response.url).content.decode()


def test_a_posted_reply_to_another_reviews_comment_is_a_form_error(client, review):
    other = make_comment(review=make_review())
    client.force_login(make_user())
    response = post(client, review, "Everyone!", reply_to=other.pk)
    assert response.status_code == 400
    assert "You can only reply to a comment on this review." in response.content.decode()
    assert "Everyone!" in response.content.decode()  # nothing typed is lost
    assert not Comment.objects.filter(review=review).exists()


@pytest.mark.parametrize("bad", ["", "   ", "x" * (COMMENT_BODY_MAX + 1)])
def test_an_empty_or_oversized_reply_is_a_form_error_under_the_comment(client, review, top, bad):
    client.force_login(make_user())
    response = post(client, review, bad, reply_to=top.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.index(f'id="comment-{top.pk}"') < page.index(f'id="reply-{top.pk}"')
    assert "is-invalid" in page[page.index(f'id="reply-{top.pk}"') :]
    assert count_of(review) == 1


@pytest.mark.parametrize("junk", ["abc", "-3", "99999999999999999999", "²", "١٢"])
def test_a_junk_reply_to_is_a_form_error_never_a_500(client, review, top, junk):
    client.force_login(make_user())
    assert post(client, review, "Hello", reply_to=junk).status_code == 400
    assert count_of(review) == 1
    # Digits that are not ASCII ones are no comment id on the page either.
    assert client.get(f"{review.get_absolute_url()}?reply_to={junk}").status_code == 200


def test_a_blocked_member_gets_the_neutral_refusal(client, review, top, bob):
    carol = make_user("carol")
    follows.block(blocker=bob, blocked=carol)
    client.force_login(carol)
    response = post(client, review, "Everyone!", reply_to=top.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "You can&#x27;t reply to this comment." in page
    assert "blocked" not in page.lower()
    assert count_of(review) == 1


def test_replies_are_reportable_and_show_in_the_moderation_queue(
    client, review, top, moderator_client
):
    reply = make_comment(parent=top, body="Buy cheap pills.")
    client.force_login(make_user())
    page = client.get(review.get_absolute_url()).content.decode()
    assert f"/report/comment/{reply.pk}/" in page
    make_report(reply)
    queue = moderator_client.get("/moderation/").content.decode()
    assert "Buy cheap pills." in queue and "a reply in a thread" in queue


# Who may do what: the reply's one address is the comment form's ------------------------


def _cells(review, top):
    """Status and new rows for a reply POST by each kind of member."""
    blocked = make_user("pest")
    follows.block(blocker=review.author, blocked=blocked)
    actors = {
        "anonymous": None,
        "member": make_user(),
        "blocked": blocked,
        "author": review.author,
        "moderator": make_moderator(),
    }
    found = {}
    for who, user in actors.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        before = Comment.objects.count()
        status = post(client, review, f"Reply from {who}", reply_to=top.pk).status_code
        found[who] = (status, Comment.objects.count() - before)
    return found


def test_who_may_reply(review, top):
    assert _cells(review, top) == {
        "anonymous": (302, 0),  # to the login page
        "member": (302, 1),
        "blocked": (400, 0),
        "author": (302, 1),
        "moderator": (302, 1),
    }


def test_who_gets_the_reply_form(review, top):
    blocked = make_user("pest")
    follows.block(blocker=top.author, blocked=blocked)
    actors = {
        "anonymous": None,
        "member": make_user(),
        "blocked": blocked,  # shown the form: nothing tells them they are blocked
        "author": review.author,
        "moderator": make_moderator(),
    }
    found = {}
    for who, user in actors.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(f"{review.get_absolute_url()}?reply_to={top.pk}")
        found[who] = (response.status_code, f'id="reply-{top.pk}"' in response.content.decode())
    assert found == {
        "anonymous": (200, False),
        "member": (200, True),
        "blocked": (200, True),
        "author": (200, True),
        "moderator": (200, True),
    }


def test_the_reply_form_is_shown_only_to_signed_in_members(client, review, top):
    page = client.get(f"{review.get_absolute_url()}?reply_to={top.pk}").content.decode()
    assert 'href="?reply_to=' not in page and 'name="reply_to"' not in page


# Queries: the page costs the same at 10 and 200 comments and replies --------------------


def _thread(review, comments, replies_each, members):
    for n in range(comments):
        top = make_comment(
            review=review, author=members[n % len(members)], body=f"Comment {n} @{members[0]}"
        )
        for m in range(replies_each):
            make_comment(parent=top, author=members[m % len(members)], body=f"Re {m} @nobody")


def _queries(client, url):
    cache.clear()  # visitors' pages come whole from the cache: measure the rendering
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_review_page_runs_the_same_queries_at_10_and_200_comments(signed_in):
    members = [make_user(f"fan{n}") for n in range(5)]
    small, large = make_review(), make_review()
    _thread(small, 5, 1, members)  # 10 comments and replies
    _thread(large, 40, 4, members)  # 200
    assert Comment.objects.filter(review=large).count() == 200
    client = Client()
    if signed_in:
        client.force_login(make_user())
    _queries(client, small.get_absolute_url())  # warm the session and cache versions
    at_10 = _queries(client, small.get_absolute_url())
    at_200 = _queries(client, large.get_absolute_url())
    print(f"review page, signed in={signed_in}: {at_10} queries at 10 and 200")
    assert at_10 == at_200
    assert at_10 <= (8 if signed_in else 3)  # signed in: the unread count, after the clear
    with_form = _queries(client, f"{large.get_absolute_url()}?reply_to=1")
    assert with_form <= at_200 + 2


def test_replies_speak_french(bob_client, review, top):
    make_comment(parent=top, body="Tout le monde !")
    page = bob_client.get(f"/fr{review.get_absolute_url()}?reply_to={top.pk}").content.decode()
    assert ">Répondre<" in page and "Réponses à Bob" in page
    assert "Votre réponse à Bob" in page and "Publier la réponse" in page


def test_answering_ones_own_reply_names_no_one(client, review, top):
    carol = make_user("carol")
    reply = make_comment(parent=top, author=carol)
    client.force_login(carol)
    page = client.get(f"{review.get_absolute_url()}?reply_to={reply.pk}").content.decode()
    assert "@carol </textarea>" not in page


# Screening and the member's own data: a reply is a comment ------------------------------


def test_a_reply_is_screened_like_a_comment(review, top):
    from tests.factories import make_watched_word

    make_watched_word("casino", action="hold")
    held = make_comment(parent=top, body="Visit my casino.")
    assert held.is_hidden and count_of(review) == 1
    assert services._announce(held) == services.Announcement()  # held: tells no one
    make_watched_word("poison", action="block")
    with pytest.raises(ValidationError):
        make_comment(parent=top, body="Poison the plant.")


def test_the_export_says_what_a_reply_answers(top):
    from reviews.selectors import member_export

    carol = make_user("carol")
    reply = make_comment(parent=top, author=carol)
    comments = member_export(carol)["comments"]
    assert comments == [
        {
            "id": reply.pk,
            "review_id": top.review_id,
            "in_reply_to": top.pk,
            "body": "Well put.",
            "created_at": reply.created_at.isoformat(),
            "deleted_at": None,
        }
    ]
