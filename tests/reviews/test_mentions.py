"""@mentions: linked where members read them, and the members a post should tell."""

import pytest
from django.test import override_settings

from leonsite.lib import ratelimit
from reviews import follows, services
from reviews.markup import mention_names, render_markdown, render_plain, sanitise
from reviews.mentions import MAX_NOTIFIED, mentioned_members, profile_links
from tests.factories import make_comment, make_review, make_user

pytestmark = pytest.mark.django_db

LINK = '<a href="/u/{0}/" rel="nofollow ugc noopener noreferrer">@{0}</a>'


@pytest.fixture
def leon(db):
    return make_user("leon", display_name="Léon")


def names(members):
    return [member.username for member in members]


# Finding the names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks @leon!", ["leon"]),
        ("@leon, @mathilda. (@tony)", ["leon", "mathilda", "tony"]),
        ("ask @jean.reno.", ["jean.reno"]),
        ("@leon's plant", ["leon"]),
        ("write to a@b.com", []),
        ("see example.com/@leon", []),
        ("@ alone, and @@leon", []),
        ("@leon @leon @leon", ["leon"]),
    ],
)
def test_the_names_a_text_mentions(text, expected):
    assert mention_names(text) == expected


def test_markdown_code_and_links_mention_no_one():
    text = "`@leon` and\n\n    @tony\n\n[@stan](https://example.com) but **@mathilda**"
    assert mention_names(text, markdown=True) == ["mathilda"]


# Rendering ------------------------------------------------------------------------------


def test_a_review_links_mentions_of_active_members_only(leon):
    make_user("gone", is_active=False)
    review = make_review(body="Ask @leon, not @gone or @nobody. Mail leon@example.com.")
    assert LINK.format("leon") + "," in review.body_html
    assert "@gone" in review.body_html and 'href="/u/gone/"' not in review.body_html
    assert 'href="/u/nobody/"' not in review.body_html
    assert "leon@example.com" in review.body_html and review.body_html.count("<a ") == 1
    assert sanitise(review.body_html) == review.body_html


def test_a_mention_in_code_or_a_link_is_not_linked(leon):
    html = render_markdown("`@leon` [see @leon](https://example.com)", profiles=profile_links)
    assert 'href="/u/leon/"' not in html
    assert "<code>@leon</code>" in html


def test_names_match_exactly_as_at_login(leon):
    html = render_markdown("Hi @Leon and @LEON", profiles=profile_links)
    assert "href" not in html


def test_an_edited_review_links_its_new_mentions(leon):
    review = make_review(body="Nobody here.")
    review = services.review_update(
        review=review, rating=review.rating, title="", body="Now @leon.", is_spoiler=False
    )
    assert LINK.format("leon") in review.body_html


def test_comments_link_their_mentions_on_the_review_page(client, leon):
    make_user("blocker")
    writer = make_user("writer")
    follows.block(blocker=leon, blocked=writer)
    review = make_review()
    make_comment(review=review, author=writer, body="@leon, @nobody & <b>@blocker</b>\nbye")
    page = client.get(review.get_absolute_url()).content.decode()
    # A link to a profile is shown whatever the blocks: only the notification stops there.
    assert LINK.format("leon") + "," in page
    assert "&lt;b&gt;" + LINK.format("blocker") + "&lt;/b&gt;" in page
    assert "@nobody" in page and 'href="/u/nobody/"' not in page


def test_plain_text_is_escaped_before_mentions_are_linked():
    html = render_plain('<script>@leon</script> "@leon"', {"leon": "/u/leon/"})
    assert "<script" not in html
    assert "&lt;script&gt;" + LINK.format("leon") in html


# Whom to tell ---------------------------------------------------------------------------


def test_the_writer_is_never_told_of_their_own_mention(leon):
    assert mentioned_members(writer=leon, texts=["Note to self, @leon"]) == []


def test_unknown_and_inactive_members_are_not_told(leon):
    make_user("gone", is_active=False)
    writer = make_user()
    found = mentioned_members(writer=writer, texts=["@gone @nobody @leon"])
    assert names(found) == ["leon"]


@pytest.mark.parametrize("direction", ["mentioned_blocks_writer", "writer_blocks_mentioned"])
def test_no_one_is_told_across_a_block_either_way(leon, direction):
    writer = make_user("writer")
    if direction == "mentioned_blocks_writer":
        follows.block(blocker=leon, blocked=writer)
    else:
        follows.block(blocker=writer, blocked=leon)
    tony = make_user("tony")
    assert mentioned_members(writer=writer, texts=["@leon and @tony"]) == [tony]


def test_each_member_is_told_once_in_order_and_at_most_ten_per_post():
    members = [make_user(f"fan{n}") for n in range(MAX_NOTIFIED + 5)]
    text = " ".join(f"@{m.username}" for m in reversed(members)) + " @fan3 @fan3"
    found = mentioned_members(writer=make_user(), texts=[text, "@fan3"])
    assert len(found) == MAX_NOTIFIED
    assert names(found) == [m.username for m in reversed(members)][:MAX_NOTIFIED]


def test_an_edit_tells_only_the_newly_mentioned(leon):
    tony = make_user("tony")
    writer = make_user()
    found = mentioned_members(
        writer=writer, texts=["@leon and now @tony"], previous_texts=["Hello @leon"]
    )
    assert found == [tony]


def test_a_review_mention_inside_code_tells_no_one(leon):
    writer = make_user()
    assert mentioned_members(writer=writer, texts=["`@leon`"], markdown=True) == []
    assert mentioned_members(writer=writer, texts=["@leon"], markdown=True) == [leon]


def test_the_lookups_cost_one_query(leon, django_assert_num_queries):
    writer = make_user()
    text = " ".join(f"@name{n}" for n in range(300)) + " @leon"
    with django_assert_num_queries(1):
        profile_links(mention_names(text))
    with django_assert_num_queries(1):
        mentioned_members(writer=writer, texts=[text])


# Announcements: a reply and its mentions, each member once -------------------------------


def test_a_reply_tells_the_comment_and_review_authors_once_each(leon):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    review = make_review(author=alice)
    top = make_comment(review=review, author=bob)
    reply = make_comment(parent=top, author=carol, body="@bob @leon @alice agreed")
    told = services._announce(reply)
    assert told.replied_to == [bob, alice]
    assert told.mentioned == [leon]  # bob and alice are told once, of the reply


def test_replying_on_ones_own_review_tells_the_comment_author_only():
    alice, bob = make_user("alice"), make_user("bob")
    top = make_comment(review=make_review(author=alice), author=bob)
    assert services.reply_recipients(make_comment(parent=top, author=alice)) == [bob]
    assert services.reply_recipients(make_comment(parent=top, author=bob)) == [alice]
    assert services.reply_recipients(top) == []


def test_a_comment_edit_tells_only_newly_mentioned_members(leon):
    tony = make_user("tony")
    comment = make_comment(body="@leon")
    services.comment_update(comment=comment, body="@leon @tony")
    comment.refresh_from_db()
    told = services._announce(comment, previous_text="@leon")
    assert told.mentioned == [tony] and told.replied_to == []


@override_settings(RATE_LIMITS={"mention": {"user": ["3/h"]}})
def test_mentions_past_the_hourly_limit_tell_no_one():
    fans = [make_user(f"fan{n}") for n in range(4)]
    writer = make_user()
    make_comment(author=writer, body="@fan0 @fan1")  # its announcement spends 2 of 3
    later = make_comment(author=writer, body="@fan2 @fan3")  # and this one the last
    assert later.pk  # the post itself went out
    assert services._announce(later).mentioned == []  # the hour's mentions are spent
    other = make_comment(author=make_user(), body="@fan3")
    assert services._announce(other).mentioned == [fans[3]]  # counted per writer


@override_settings(RATE_LIMITS={"mention": {"user": ["5/h"], "new_user": ["2/h"]}})
def test_the_mention_allowance_counts_each_member_apart(db):
    old = make_user(date_joined=make_user().date_joined.replace(year=2020))
    new = make_user()
    assert ratelimit.allowance(old, "mention", 4) == 4
    assert ratelimit.allowance(old, "mention", 4) == 1
    assert ratelimit.allowance(old, "mention", 1) == 0
    assert ratelimit.allowance(new, "mention", 3) == 2  # a day-one account gets fewer
    assert ratelimit.allowance(new, "mention", 0) == 0
