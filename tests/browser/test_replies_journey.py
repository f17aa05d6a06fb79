"""A member answers a comment on a review without JavaScript: the Reply link opens the
form under that comment, a plain POST posts the reply, and it shows indented in the
thread with its mention linked. Screenshots of the thread at both widths."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def thread(live_catalogue):
    from films.models import Film
    from reviews import services
    from tests.factories import make_comment, make_review, make_user

    alice = make_user("alice", display_name="Alice")
    bob = make_user("bob", display_name="Bob")
    carol = make_user("carol", display_name="Carol")
    make_user("dana", display_name="Dana")
    review = make_review(
        author=alice,
        film=Film.objects.get(slug="leon-the-professional"),
        rating=9,
        title="The quietest hitman",
        body="Reno plays Léon like a child who learnt one trade. Ask @bob about the plant.",
    )
    top = make_comment(review=review, author=bob, body="The plant is the whole film. @alice")
    make_comment(parent=top, author=carol, body="And the milk. Two cartons, always.")
    gone = make_comment(review=review, author=carol, body="Oldman steals every scene.")
    make_comment(parent=gone, author=alice, body="Everyone! He really shouted it on set.")
    services.comment_delete(comment=gone)
    return live_catalogue, review, top


def test_a_reply_without_javascript_and_the_thread_at_both_widths(browser, thread, screenshot_dir):
    from reviews.models import Comment

    server, review, top = thread
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/?next={review.get_absolute_url()}")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    comment = page.locator(f"#comment-{top.pk}")
    comment.get_by_role("link", name="Reply to Bob").click()
    form = page.get_by_role("region", name="Reply to Bob")
    expect(form).to_be_visible()
    form.get_by_label("Your reply to Bob").fill("@carol the milk, yes. And the pig glove.")
    form.get_by_role("button", name="Post reply").click()

    reply = Comment.objects.get(author__username="dana")
    assert reply.parent_id == top.pk
    posted = page.locator(f"#comment-{reply.pk}")
    expect(posted).to_be_visible()
    expect(page.get_by_role("list", name="Replies to Bob").locator(".comment")).to_have_count(2)
    expect(posted.get_by_role("link", name="@carol")).to_have_attribute("href", "/u/carol/")
    expect(page.get_by_text("Comment deleted.")).to_be_visible()
    page.locator("#comments").screenshot(path=screenshot_dir / "review-replies-phone.png")

    page.goto(f"{server.url}{review.get_absolute_url()}?reply_to={reply.pk}")
    page.set_viewport_size(DESKTOP)
    page.locator("#comments").screenshot(path=screenshot_dir / "review-replies-desktop.png")
    context.close()
