"""The queue: open reports grouped by item, and one-click decisions with a reason."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reviews.models import Comment, FilmRatingStats, QuoteCollection, Review
from reviews.moderation import services as moderation
from reviews.moderation.models import ModerationAction, ModerationLogError, Report
from tests.factories import (
    forget_members,
    make_collection,
    make_comment,
    make_film,
    make_removal_reason,
    make_report,
    make_review,
    make_user,
)

pytestmark = pytest.mark.django_db

# Session, user, profile, two permission reads, the count and the page of groups, one
# read per kind of item (four at most), the open reports, seven for the authors' records
# (their reviews, comments, collections and suggested corrections, the reports against
# them, their totals and the actions about them) and the removal reasons.
QUEUE_BUDGET = 21  # one read per moderated kind: +1 with diary entries
LOG_BUDGET = 8


def decide_url(kind, item):
    return f"/moderation/items/{kind}/{item.pk}/"


@pytest.fixture
def review(alice):
    return make_review(author=alice, title="The ending", body="Mathilda **survives**.", rating=8)


@pytest.fixture
def reported(review):
    """A review three members reported: hidden automatically, waiting in the queue."""
    for reason in ("spoilers", "spoilers", "off_topic"):
        make_report(review, reason=reason, details=f"About {reason}.")
    review.refresh_from_db()
    return review


def kinds_logged():
    return list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))


# The queue page ---------------------------------------------------------------------------


def test_the_queue_groups_open_reports_by_item_with_content_reports_and_history(
    moderator_client, reported, alice
):
    earlier = make_review(author=alice, film=make_film(title="Nikita"), title="Earlier one")
    make_report(earlier, reason="spam")
    moderation.decide(
        moderator=make_user(), item=earlier, action="hide", reason="Advertising."
    )  # an earlier decision on the author, shown in their history
    other = make_review(title="Someone else's")
    make_report(other, reason="harassment", details="Insults a member.")
    page = moderator_client.get("/moderation/").content.decode()
    assert "2 items with open reports" in page
    # The most reported first.
    first, second = f'id="item-review-{reported.pk}"', f'id="item-review-{other.pk}"'
    assert page.index(first) < page.index(second)
    assert "3 open reports" in page and "1 open report<" in page
    assert "<strong>survives</strong>" in page  # the content itself, even hidden
    assert "About spoilers." in page and "Insults a member." in page
    assert "Hidden automatically" in page
    assert "Review of Nikita" in page  # the author's recent posts
    assert "4 reports against them in all, 1 upheld." in page
    assert "Hidden · " in page  # the earlier decision, among the actions about them
    assert f"/moderation/members/{alice.username}/" in page


def test_removal_reasons_from_the_admin_are_offered_in_the_queue(moderator_client, reported):
    active = make_removal_reason(title="Ending spoiled", message="It gives the ending away.")
    retired = make_removal_reason(title="Retired reason", is_active=False)
    page = moderator_client.get("/moderation/").content.decode()
    assert f'value="{active.pk}">Ending spoiled<' in page
    assert retired.title not in page


def test_an_empty_queue_says_so(moderator_client):
    page = moderator_client.get("/moderation/").content.decode()
    assert "Nothing to look at: no open reports." in page


def test_an_item_deleted_after_it_was_reported_still_shows_and_can_be_dismissed(
    moderator_client, reported
):
    Review.objects.filter(pk=reported.pk).update(deleted_at=reported.created_at)
    page = moderator_client.get("/moderation/").content.decode()
    assert "Deleted by its author" in page
    moderator_client.post(decide_url("review", reported), {"action": "dismiss", "note": "Gone."})
    assert not Report.objects.open().exists()


# Decisions --------------------------------------------------------------------------------


def test_hide_with_a_template_reason(moderator_client, moderator, review, alice_client):
    make_report(review)
    reason = make_removal_reason(title="Ending spoiled", message="It gives the ending away.")
    response = moderator_client.post(
        decide_url("review", review), {"action": "hide", "template": reason.pk}
    )
    assert response.status_code == 302 and response.url == "/moderation/"
    review.refresh_from_db()
    assert review.hidden_cause == "moderator" and review.hidden_by == moderator
    assert review.hidden_reason == "It gives the ending away."
    assert Report.objects.get().status == "upheld"
    assert FilmRatingStats.objects.get(film=review.film).count == 0
    entry = ModerationAction.objects.latest("pk")
    assert (entry.kind, entry.actor, entry.subject) == ("hide", moderator, review.author)
    assert entry.reason == "It gives the ending away." and entry.target == review
    own = alice_client.get(review.get_absolute_url()).content.decode()
    assert "It gives the ending away." in own and "Hidden by a moderator" in own
    other = Client().get(review.get_absolute_url()).content.decode()
    assert "This review was hidden by a moderator." in other
    assert "survives" not in other and "It gives the ending away." not in other


def test_a_template_and_a_written_note_are_joined(moderator_client, review):
    reason = make_removal_reason(message="Spoiler.")
    moderator_client.post(
        decide_url("review", review),
        {"action": "hide", "template": reason.pk, "note": "  Chapter 3 too.  "},
    )
    review.refresh_from_db()
    assert review.hidden_reason == "Spoiler.\n\nChapter 3 too."


def test_editing_a_template_later_does_not_rewrite_past_decisions(moderator_client, review):
    reason = make_removal_reason(message="Version one.")
    moderator_client.post(decide_url("review", review), {"action": "hide", "template": reason.pk})
    reason.message = "Version two."
    reason.save()
    review.refresh_from_db()
    assert review.hidden_reason == "Version one."
    assert ModerationAction.objects.latest("pk").reason == "Version one."


def test_restore_gives_back_exactly_what_was_written(moderator_client, reported):
    before = Review.objects.filter(pk=reported.pk).values("title", "body", "body_html").get()
    response = moderator_client.post(
        decide_url("review", reported), {"action": "restore", "note": "Not a spoiler after all."}
    )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert not reported.is_hidden and reported.hidden_reason == ""
    after = Review.objects.filter(pk=reported.pk).values("title", "body", "body_html").get()
    assert after == before
    assert FilmRatingStats.objects.get(film=reported.film).count == 1
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert kinds_logged()[-1] == "restore"
    assert ModerationAction.objects.latest("pk").reason == "Not a spoiler after all."
    assert "survives" in Client().get(reported.get_absolute_url()).content.decode()


def test_dismiss_closes_the_reports_and_restores_an_automatic_hide(moderator_client, reported):
    moderator_client.post(decide_url("review", reported), {"action": "dismiss", "note": "Fine."})
    reported.refresh_from_db()
    assert not reported.is_hidden
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert kinds_logged()[-1] == "dismiss"


def test_dismiss_keeps_a_moderators_hide(moderator, moderator_client, review):
    moderation.decide(moderator=moderator, item=review, action="hide", reason="Off-topic.")
    make_report(review)
    moderator_client.post(decide_url("review", review), {"action": "dismiss", "note": "Done."})
    review.refresh_from_db()
    assert review.hidden_cause == "moderator"


def test_mark_as_spoiler_keeps_the_review_public_behind_the_warning(moderator_client, reported):
    moderator_client.post(
        decide_url("review", reported), {"action": "spoiler", "note": "Mark the ending."}
    )
    reported.refresh_from_db()
    assert reported.is_spoiler and not reported.is_hidden
    assert set(Report.objects.values_list("status", flat=True)) == {"upheld"}
    assert kinds_logged()[-1] == "spoiler"


def test_only_reviews_can_be_marked_as_spoilers(moderator_client, review, alice):
    comment = make_comment(review=review, author=alice)
    make_report(comment)
    response = moderator_client.post(
        decide_url("comment", comment), {"action": "spoiler", "note": "x"}, follow=True
    )
    assert "A comment can’t be marked as a spoiler." in response.content.decode()
    assert kinds_logged()[-1] == "report"


def test_a_decision_needs_a_reason(moderator_client, reported):
    response = moderator_client.post(
        decide_url("review", reported), {"action": "restore", "note": "   "}, follow=True
    )
    assert "Pick a reason or write one." in response.content.decode()
    reported.refresh_from_db()
    assert reported.is_hidden
    assert kinds_logged()[-1] == "auto_hide"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "delete", "note": "x"},
        {"action": "", "note": "x"},
        {"action": "hide", "template": "99999"},
        {"action": "hide", "template": "'; DROP TABLE reviews_review; --"},
        {"action": "hide", "note": "x" * 1001},
        {"action": "hide", "note": "nul \x00"},
    ],
    ids=["unknown-action", "no-action", "forged-template", "sql-template", "long", "nul"],
)
def test_hostile_decisions_change_nothing(moderator_client, reported, data):
    response = moderator_client.post(decide_url("review", reported), data, follow=True)
    assert response.status_code == 200
    assert 'class="alert alert-danger' in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    reported.refresh_from_db()
    assert reported.hidden_cause == "reports"
    assert kinds_logged()[-1] == "auto_hide"


@pytest.mark.parametrize(
    "path", ["review/999999", "film/1", "user/1", "profile/0", "comment/" + "9" * 30]
)
def test_forged_items_are_a_404(moderator_client, path):
    response = moderator_client.post(f"/moderation/items/{path}/", {"action": "hide", "note": "x"})
    assert response.status_code == 404


def test_an_unsafe_next_is_ignored_after_a_decision(moderator_client, reported):
    response = moderator_client.post(
        decide_url("review", reported),
        {"action": "restore", "note": "Fine.", "next": "https://evil.example/"},
    )
    assert response.url == "/moderation/"


def test_a_decision_without_a_csrf_token_is_refused(moderator, reported):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(decide_url("review", reported), {"action": "restore", "note": "x"})
    assert response.status_code == 403
    reported.refresh_from_db()
    assert reported.is_hidden


def test_decisions_are_get_proof(moderator_client, reported):
    response = moderator_client.get(decide_url("review", reported) + "?action=restore&note=x")
    assert response.status_code == 405
    reported.refresh_from_db()
    assert reported.is_hidden


def test_hiding_a_comment_takes_it_out_of_the_count_and_restoring_puts_it_back(
    moderator, review, bob
):
    comment = make_comment(review=review, author=bob, body="Rude words.")
    review.refresh_from_db()
    assert review.comment_count == 1
    moderation.decide(moderator=moderator, item=comment, action="hide", reason="Rude.")
    review.refresh_from_db()
    assert review.comment_count == 0
    assert not Comment.objects.visible().filter(pk=comment.pk).exists()
    moderation.decide(moderator=moderator, item=comment, action="restore", reason="Fine.")
    review.refresh_from_db()
    assert review.comment_count == 1


def test_a_hidden_comment_is_a_placeholder_for_others_and_explained_to_its_author(
    moderator, review, bob, bob_client
):
    comment = make_comment(review=review, author=bob, body="Rude words.")
    moderation.decide(moderator=moderator, item=comment, action="hide", reason="Be kind.")
    others = Client().get(review.get_absolute_url()).content.decode()
    assert "Rude words." not in others and "This comment was hidden by a moderator." in others
    assert "Be kind." not in others
    own = bob_client.get(review.get_absolute_url()).content.decode()
    assert "Rude words." in own and "Be kind." in own


def test_a_hidden_collection_leaves_the_public_list_and_tells_its_owner(
    moderator, alice, alice_client
):
    collection = make_collection(owner=alice, title="Touting tickets")
    moderation.decide(moderator=moderator, item=collection, action="hide", reason="Advert.")
    assert not QuoteCollection.objects.public().filter(pk=collection.pk).exists()
    assert "Touting tickets" not in Client().get("/collections/").content.decode()
    placeholder = Client().get(collection.get_absolute_url()).content.decode()
    assert "This collection was hidden by a moderator." in placeholder
    assert "Touting tickets" not in placeholder
    own = alice_client.get(collection.get_absolute_url()).content.decode()
    assert "Advert." in own and "Touting tickets" in own


def test_a_hidden_profile_keeps_its_bio_and_name_from_others(moderator, alice, alice_client):
    alice.profile.display_name = "Buy cheap pills"
    alice.profile.bio = "Visit my shop."
    alice.profile.save()
    moderation.decide(moderator=moderator, item=alice.profile, action="hide", reason="Spam bio.")
    page = Client().get("/u/alice/").content.decode()
    assert "Buy cheap pills" not in page and "Visit my shop." not in page
    assert "This profile was hidden by a moderator." in page
    own = alice_client.get("/u/alice/").content.decode()
    assert "Visit my shop." in own and "Spam bio." in own


def test_hidden_reviews_stay_out_of_lists_profiles_feeds_and_search(moderator, alice):
    film = make_film(title="Nikita")
    review = make_review(author=alice, film=film, title="Zanzibarian prose", body="Zanzibarian")
    moderation.decide(moderator=moderator, item=review, action="hide", reason="Spam.")
    anonymous = Client()
    for url in (
        f"/films/{film.slug}/reviews/",
        f"/films/{film.slug}/feed/",
        "/u/alice/",
        "/search/?q=zanzibarian",
        "/",
    ):
        assert "Zanzibarian" not in anonymous.get(url).content.decode(), url


def test_a_moderator_sees_a_hidden_review_with_its_state(moderator_client, reported):
    page = moderator_client.get(reported.get_absolute_url()).content.decode()
    assert "survives" in page and "Hidden from members." in page


# Faults -----------------------------------------------------------------------------------


def test_a_failing_log_write_undoes_the_whole_decision(monkeypatch, moderator, reported):
    def broken_save(self, *args, **kwargs):
        raise ModerationLogError("disk full")

    monkeypatch.setattr(ModerationAction, "save", broken_save)
    with pytest.raises(ModerationLogError):
        moderation.decide(moderator=moderator, item=reported, action="restore", reason="Fine.")
    monkeypatch.undo()
    reported.refresh_from_db()
    assert reported.is_hidden and reported.hidden_cause == "reports"
    assert Report.objects.open().count() == 3
    assert FilmRatingStats.objects.get(film=reported.film).count == 0
    assert kinds_logged()[-1] == "auto_hide"


def test_a_failing_log_write_on_the_third_report_files_nothing(monkeypatch, review):
    make_report(review)
    make_report(review)
    real_log = moderation.log

    def log_then_fail(**kwargs):
        if kwargs["kind"] == ModerationAction.Kind.AUTO_HIDE:
            raise RuntimeError("interrupted")
        return real_log(**kwargs)

    monkeypatch.setattr(moderation, "log", log_then_fail)
    with pytest.raises(RuntimeError):
        make_report(review)
    review.refresh_from_db()
    assert not review.is_hidden
    assert Report.objects.count() == 2
    assert kinds_logged() == ["report", "report"]
    assert FilmRatingStats.objects.get(film=review.film).count == 1


def test_a_failing_sanction_log_leaves_the_member_free(monkeypatch, moderator, bob):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(
        moderation, "log", lambda **kw: (_ for _ in ()).throw(RuntimeError("interrupted"))
    )
    with pytest.raises(RuntimeError):
        moderation.sanction(
            moderator=moderator,
            member=bob,
            action="suspend",
            until=timezone.now() + timedelta(days=1),
            reason="x",
        )
    bob.profile.refresh_from_db()
    assert not bob.profile.is_suspended
    assert not ModerationAction.objects.exists()


# Query budgets ----------------------------------------------------------------------------


KINDS = ("review", "comment", "collection", "profile")


def reported_item(kind, moderator):
    """One reported item of this kind by a new author who already has a record: an
    earlier post, an upheld report and a moderator's decision."""
    author = make_user()
    earlier = make_review(author=author)
    make_report(earlier)
    moderation.decide(moderator=moderator, item=earlier, action="hide", reason="Earlier.")
    item = {
        "review": lambda: make_review(author=author, body="Reported review"),
        "comment": lambda: make_comment(review=make_review(), author=author, body="Reported"),
        "collection": lambda: make_collection(owner=author),
        "profile": lambda: author.profile,
    }[kind]()
    make_report(item, details="First report.")
    make_report(item, reason="other", details="Second report.")
    return item


def queries(client, url):
    forget_members()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", KINDS)
def test_the_queue_runs_the_same_queries_for_2_and_20_reported_items(
    moderator, moderator_client, kind
):
    for _ in range(2):
        reported_item(kind, moderator)
    few = queries(moderator_client, "/moderation/")
    for _ in range(18):
        reported_item(kind, moderator)
    many = queries(moderator_client, "/moderation/")
    page = moderator_client.get("/moderation/").content.decode()
    assert page.count('class="mod-item"') == 20
    assert page.count("Second report.") == 20
    assert few == many


def test_a_full_queue_page_of_every_kind_stays_within_budget(
    moderator, moderator_client, django_assert_max_num_queries
):
    for i in range(24):
        reported_item(KINDS[i % 4], moderator)
    with django_assert_max_num_queries(QUEUE_BUDGET):
        page = moderator_client.get("/moderation/").content.decode()
    assert page.count('class="mod-item"') == 20  # one page of the queue
    assert "Page 1 of 2" in page or "?page=2" in page


def test_the_log_runs_the_same_queries_for_2_and_20_entries(
    moderator, moderator_client, django_assert_max_num_queries
):
    def act(n):
        for _ in range(n):
            review = make_review()
            make_report(review)
            moderation.decide(moderator=moderator, item=review, action="hide", reason="x")

    act(1)
    few = queries(moderator_client, "/moderation/log/")
    act(30)
    many = queries(moderator_client, "/moderation/log/")
    assert few == many
    with django_assert_max_num_queries(LOG_BUDGET):
        page = moderator_client.get("/moderation/log/").content.decode()
    assert page.count('class="mod-log-entry"') == 50


def test_a_members_record_runs_a_fixed_number_of_queries(moderator_client, moderator):
    author = make_user()
    make_report(make_review(author=author))
    few = queries(moderator_client, f"/moderation/members/{author.username}/")
    for _ in range(15):
        review = make_review(author=author)
        make_report(review)
        moderation.decide(moderator=moderator, item=review, action="hide", reason="x")
        make_collection(owner=author)
    assert queries(moderator_client, f"/moderation/members/{author.username}/") == few


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=" + "9" * 30, "?page=%00"])
def test_odd_page_numbers_show_a_page(moderator_client, reported, query):
    for url in ("/moderation/", "/moderation/log/"):
        assert moderator_client.get(url + query).status_code == 200
