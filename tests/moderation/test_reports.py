"""Reports: any member reports someone else's post once; three members hide it."""

import pytest
from django.test import Client

from reviews.models import FilmRatingStats, Review
from reviews.moderation import services as moderation
from reviews.moderation import watchwords
from reviews.moderation.models import REPORT_DETAILS_MAX, ModerationAction, Report
from tests.factories import (
    make_collection,
    make_comment,
    make_report,
    make_review,
    make_user,
    make_watched_word,
)

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_url(kind, item):
    return f"/report/{kind}/{item.pk}/"


@pytest.fixture
def review(alice):
    return make_review(author=alice, title="Quiet", body="The plant.")


def test_a_member_reports_a_review_with_a_reason_and_details(bob_client, bob, review):
    response = bob_client.post(
        report_url("review", review), {"reason": "spoilers", "details": "Gives the ending."}
    )
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    report = Report.objects.get()
    assert (report.reporter, report.subject, report.target) == (bob, review.author, review)
    assert (report.reason, report.details) == ("spoilers", "Gives the ending.")
    assert report.status == "open"
    entry = ModerationAction.objects.get()
    assert (entry.kind, entry.actor, entry.subject) == ("report", bob, review.author)
    assert entry.reason == "Unmarked spoilers: Gives the ending."


@pytest.mark.parametrize("kind", ["review", "comment", "collection", "profile"])
def test_every_kind_of_item_can_be_reported(alice, bob_client, kind):
    review = make_review(author=alice)
    item = {
        "review": review,
        "comment": make_comment(review=review, author=alice),
        "collection": make_collection(owner=alice),
        "profile": alice.profile,
    }[kind]
    page = bob_client.get(report_url(kind, item))
    assert page.status_code == 200
    for reason, _ in Report.MEMBER_REASONS:
        assert f'value="{reason}"' in page.content.decode()
    assert 'value="watched"' not in page.content.decode()  # the system's reason only
    bob_client.post(report_url(kind, item), {"reason": "harassment"})
    assert Report.objects.get().target == item


def test_a_member_reports_an_item_only_once(bob_client, review):
    bob_client.post(report_url("review", review), {"reason": "spam"})
    again = bob_client.post(report_url("review", review), {"reason": "other", "details": "x"})
    assert again.status_code == 302
    assert Report.objects.count() == 1
    page = bob_client.get(review.get_absolute_url())
    assert "You have already reported this" in page.content.decode()


def test_the_service_refuses_a_second_report_even_in_a_race(bob, review):
    make_report(review, reporter=bob)
    with pytest.raises(Exception) as err:
        moderation.report_create(reporter=bob, item=review, reason="spam")
    assert "already reported" in str(err.value)
    assert Report.objects.count() == 1


def test_nobody_reports_their_own_post(alice_client, review):
    response = alice_client.post(report_url("review", review), {"reason": "spam"})
    assert response.status_code == 302
    assert not Report.objects.exists()
    with pytest.raises(Exception, match="your own"):
        moderation.report_create(reporter=review.author, item=review, reason="spam")


def test_three_reports_from_distinct_members_hide_the_item(review, settings):
    assert settings.MODERATION_AUTO_HIDE_REPORTS == 3
    film_stats = FilmRatingStats.objects.get(film=review.film)
    assert film_stats.count == 1
    make_report(review)
    make_report(review)
    review.refresh_from_db()
    assert not review.is_hidden
    make_report(review)
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_cause == "reports"
    assert review.body == "The plant."  # hidden, never rewritten
    assert FilmRatingStats.objects.get(film=review.film).count == 0  # out of the average
    assert not Review.objects.visible().filter(pk=review.pk).exists()
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["report", "report", "report", "auto_hide"]


def test_automatic_reports_do_not_count_towards_hiding(review):
    make_watched_word("plant", action="report")
    moderation.WatchedWordScreener().published(review, watchwords.screen(review.body))
    make_report(review)
    make_report(review)
    review.refresh_from_db()
    assert Report.objects.open().count() == 3
    assert not review.is_hidden


def test_a_hidden_item_shows_a_placeholder_to_others_and_the_reason_to_its_author(
    alice_client, bob_client, review
):
    for _ in range(3):
        make_report(review)
    for other in (bob_client, Client()):
        page = other.get(review.get_absolute_url()).content.decode()
        assert "The plant." not in page
        assert "hidden after reports" in page
    own = alice_client.get(review.get_absolute_url()).content.decode()
    assert "The plant." in own
    assert "Only you and the moderators can see this review" in own
    assert moderation.AUTO_HIDE_MESSAGE in own


def test_a_silenced_member_cannot_report(bob, bob_client, review):
    from datetime import timedelta

    from django.utils import timezone

    bob.profile.silenced_until = timezone.now() + timedelta(days=1)
    bob.profile.save()
    response = bob_client.post(report_url("review", review), {"reason": "spam"})
    assert response.status_code == 403
    assert not Report.objects.exists()


# Bad input ------------------------------------------------------------------------------


def test_oversized_details_get_a_clear_error_and_no_report(bob_client, review):
    details = "x" * (REPORT_DETAILS_MAX + 1)
    response = bob_client.post(report_url("review", review), {"reason": "spam", "details": details})
    assert response.status_code == 400
    assert "Keep the details under 1,000 characters" in response.content.decode()
    assert not Report.objects.exists()


def test_a_megabyte_of_details_is_refused_without_a_500(bob_client, review):
    response = bob_client.post(
        report_url("review", review), {"reason": "spam", "details": "<b>" * 300_000}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reason": "watched"},  # the system's own reason
        {"reason": "nonsense"},
        {"reason": "spam\x00"},
        {"reason": "spam", "details": "null \x00 byte"},
        {"reason": "spam", "details": "x" * 1001},
        {"reason": "x" * 100_000},
    ],
    ids=["nothing", "system-reason", "unknown", "nul-reason", "nul-details", "long", "huge"],
)
def test_hostile_reports_get_a_form_error_and_save_nothing(bob_client, review, data):
    response = bob_client.post(report_url("review", review), data)
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    assert not Report.objects.exists()


def test_hostile_details_are_stored_as_text_and_escaped_in_the_queue(
    bob_client, moderator_client, review
):
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>'
    bob_client.post(report_url("review", review), {"reason": "other", "details": payload})
    assert Report.objects.get().details == payload
    page = moderator_client.get("/moderation/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("kind", ["review", "comment", "collection", "profile", "film", "user"])
def test_forged_ids_are_a_404(bob_client, kind):
    for pk in ("999999", "9" * 30):  # the second is beyond any database integer
        response = bob_client.post(f"/report/{kind}/{pk}/", {"reason": "spam"})
        assert response.status_code == 404
    assert not Report.objects.exists()


def test_forged_ids_of_hidden_deleted_or_private_items_are_a_404(alice, bob_client):
    from reviews import services

    hidden = make_review(author=alice)
    for _ in range(3):
        make_report(hidden)
    deleted = make_review(author=alice)
    services.review_delete(review=deleted)
    private = make_collection(owner=alice, visibility="private")
    on_hidden = make_comment(review=hidden, author=alice)
    before = Report.objects.count()
    for kind, item in [
        ("review", hidden),
        ("review", deleted),
        ("collection", private),
        ("comment", on_hidden),
    ]:
        assert bob_client.get(report_url(kind, item)).status_code == 404, kind
        assert bob_client.post(report_url(kind, item), {"reason": "spam"}).status_code == 404
    assert Report.objects.count() == before


def test_an_unsafe_next_is_ignored(bob_client, review):
    response = bob_client.post(
        report_url("review", review) + "?next=https://evil.example/",
        {"reason": "spam", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_a_report_without_a_csrf_token_is_refused(bob, review):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(report_url("review", review), {"reason": "spam"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_report_form_has_a_honeypot_and_a_filled_one_saves_nothing(bob_client, review):
    page = bob_client.get(report_url("review", review)).content.decode()
    assert 'name="homepage"' in page
    response = bob_client.post(
        report_url("review", review), {"reason": "spam", "homepage": "http://spam.example"}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_report_link_shows_for_other_members_only(alice_client, bob_client, review):
    link = f"/report/review/{review.pk}/"
    assert link in bob_client.get(review.get_absolute_url()).content.decode()
    assert link not in alice_client.get(review.get_absolute_url()).content.decode()
    assert link not in Client().get(review.get_absolute_url()).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, review):
    response = client.post(report_url("review", review), {"reason": "spam"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Report.objects.exists()


def test_reports_from_one_new_member_are_limited_per_day(review, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": {"new_user": ["2/d"]}}
    reporter = make_user()
    client = client_of(reporter)
    targets = [make_review() for _ in range(3)]
    statuses = [
        client.post(report_url("review", t), {"reason": "spam"}).status_code for t in targets
    ]
    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2


def test_three_accounts_made_today_cannot_hide_a_post(review):
    from tests.factories import make_user

    for _ in range(3):
        moderation.report_create(reporter=make_user(), item=review, reason="spam")
    review.refresh_from_db()
    assert not review.is_hidden
    assert Report.objects.for_item(review).open().count() == 3  # all reach the queue


def test_a_new_account_whose_report_was_upheld_counts(review, moderator):
    from tests.factories import make_user

    newcomer = make_user()
    earlier = make_review()
    moderation.report_create(reporter=newcomer, item=earlier, reason="spam")
    moderation.decide(moderator=moderator, item=earlier, action="hide", reason="Spam.")
    make_report(review)
    make_report(review)
    moderation.report_create(reporter=newcomer, item=review, reason="spam")
    review.refresh_from_db()
    assert review.is_hidden
