"""The diary: logging viewings, its rules, its pages and who may see them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leonsite.accounts import services as accounts
from leonsite.accounts.data import parts
from reviews import diary, follows, selectors
from reviews.models import DiaryEntry, FilmLifeSettings, Review, WatchlistItem
from reviews.moderation import services as moderation
from reviews.moderation.models import Report
from tests.factories import (
    make_established_user,
    make_film,
    make_moderator,
    make_review,
    make_user,
    make_watched_word,
)
from tests.reviews.film_life_cells import WHO_SEES, answers

pytestmark = pytest.mark.django_db


def log(user, film, **kwargs):
    return diary.entry_create(user=user, film=film, **kwargs)


def diary_url(user):
    return f"/u/{user.username}/diary/"


def set_visibility(user, diary_visibility="public", watchlist_visibility="public"):
    diary.visibility_update(
        user=user, diary_visibility=diary_visibility, watchlist_visibility=watchlist_visibility
    )


# The rules, through the service -----------------------------------------------------------


def test_a_viewing_is_today_by_default_and_a_film_has_many(alice, film):
    first = log(alice, film)
    second = log(alice, film, rewatch=True, watched_on=timezone.localdate() - timedelta(days=3))
    assert first.watched_on == timezone.localdate()
    assert second.rewatch
    assert DiaryEntry.objects.filter(user=alice, film=film).count() == 2


def test_a_date_in_the_future_is_refused(alice, film):
    with pytest.raises(ValidationError, match="can't be in the future"):
        log(alice, film, watched_on=timezone.localdate() + timedelta(days=2))
    assert not DiaryEntry.objects.exists()


def test_today_anywhere_on_earth_is_not_the_future(alice, film):
    # UTC+14 is ahead of the server: that day is someone's today.
    log(alice, film, watched_on=diary.latest_possible_day())


def test_a_date_before_the_film_existed_is_refused(alice, film):
    with pytest.raises(ValidationError, match="before the film was made"):
        log(alice, film, watched_on=date(film.year - 5, 1, 1))


def test_tags_are_normalised_and_limited(alice, film):
    entry = log(alice, film, tags=" Cinema, with  Friends ,cinema,, ")
    assert entry.tags == "cinema,with friends"
    assert entry.tag_list == ["cinema", "with friends"]
    with pytest.raises(ValidationError, match="at most 10 tags"):
        log(alice, film, tags=",".join(f"t{n}" for n in range(11)))
    with pytest.raises(ValidationError, match="under 30 characters"):
        log(alice, film, tags="x" * 31)


def test_an_oversized_note_is_refused(alice, film):
    with pytest.raises(ValidationError):
        log(alice, film, note="x" * 501)


def test_a_rating_on_a_viewing_becomes_the_films_rating(alice, film):
    entry = log(alice, film, rating=7)
    review = Review.objects.get(author=alice, film=film)
    assert entry.rating == 7 and review.rating == 7 and not review.body
    # A later viewing rated differently moves the film's rating; the first keeps its own.
    log(alice, film, rating=9, rewatch=True)
    review.refresh_from_db()
    entry.refresh_from_db()
    assert review.rating == 9 and entry.rating == 7
    assert film.rating_stats.count == 1 and film.rating_stats.total == 9


def test_one_review_per_film_stays(alice, film):
    make_review(author=alice, film=film, rating=4, title="Mine", body="Words.")
    log(alice, film, rating=6)
    log(alice, film, rating=8)
    reviews = Review.objects.filter(author=alice, film=film)
    assert reviews.count() == 1
    assert reviews.get().rating == 8 and reviews.get().body == "Words."


def test_a_viewing_links_only_the_members_own_review(alice, bob, film):
    make_review(author=bob, film=film, title="Bob's", body="Bob's words.")
    assert log(alice, film, link_review=True).review is None
    own = make_review(author=alice, film=film, title="Mine", body="Words.")
    assert log(alice, film, link_review=True).review == own


def test_logging_takes_the_film_off_the_watchlist(alice, film):
    diary.watchlist_add(user=alice, film=film)
    log(alice, film)
    assert not WatchlistItem.objects.filter(user=alice).exists()


def test_editing_an_entry_keeps_the_rules(alice, film):
    entry = log(alice, film, rating=4)
    fields = {
        "watched_on": entry.watched_on,
        "rewatch": True,
        "rating": 6,
        "liked": True,
        "tags": "Late night",
        "note": "Better the second time.",
        "link_review": False,
    }
    edited = diary.entry_update(entry=entry, **fields)
    assert (edited.rating, edited.liked, edited.tags) == (6, True, "late night")
    assert Review.objects.get(author=alice, film=film).rating == 6
    with pytest.raises(ValidationError):
        diary.entry_update(entry=entry, **{**fields, "watched_on": date(2999, 1, 1)})


def test_deleting_an_entry_keeps_the_films_rating(alice, film):
    entry = log(alice, film, rating=5)
    diary.entry_delete(entry=entry)
    assert not DiaryEntry.objects.exists()
    assert Review.objects.get(author=alice, film=film).rating == 5


# Screening and moderation ---------------------------------------------------------------


def test_a_blocked_word_in_a_note_or_a_tag_refuses_the_entry(alice, film):
    make_watched_word("grotesquerie", action="block")
    with pytest.raises(ValidationError):
        log(alice, film, note="Such grotesquerie.")
    with pytest.raises(ValidationError):
        log(alice, film, tags="grotesquerie")
    assert not DiaryEntry.objects.exists()


def test_a_held_word_keeps_the_entry_hidden_from_others(alice, bob, film):
    make_watched_word("dubious", action="hold")
    entry = log(alice, film, note="Dubious ending.")
    assert entry.is_hidden and entry.is_held
    assert "Dubious ending" not in Client().get(diary_url(alice)).content.decode()
    mine = Client()
    mine.force_login(alice)
    assert "Dubious ending" in mine.get(diary_url(alice)).content.decode()


def test_a_note_can_be_reported_and_hidden_by_a_moderator(alice, film):
    entry = log(alice, film, note="Spam spam spam.")
    reporter = make_established_user()
    client = Client()
    client.force_login(reporter)
    assert "Report" in client.get(diary_url(alice)).content.decode()
    response = client.post(f"/report/diary-entry/{entry.pk}/", {"reason": "spam"})
    assert response.status_code == 302
    assert Report.objects.filter(object_id=entry.pk).count() == 1
    moderation.decide(moderator=make_moderator(), item=entry, action="hide", reason="Spam.")
    assert "Spam spam spam" not in Client().get(diary_url(alice)).content.decode()


def test_an_entry_without_words_or_in_a_private_diary_cannot_be_reported(alice, bob, film):
    silent = log(alice, film)
    worded = log(alice, film, note="Words.")
    client = Client()
    client.force_login(bob)
    assert client.get(f"/report/diary-entry/{silent.pk}/").status_code == 404
    set_visibility(alice, diary_visibility="private")
    assert client.get(f"/report/diary-entry/{worded.pk}/").status_code == 404


def test_moderators_read_no_entry_of_a_closed_diary(alice, film):
    """The moderators' lists (a member's record, the queue's histories) read the kind's
    live entries: a private or followers-only diary's are not among them."""
    from leonsite.lib import moderated

    entry = log(alice, film, note="Only for me.")
    live = moderated.kind_named("diary-entry").alive
    assert entry in live()
    for closed in ("followers", "private"):
        set_visibility(alice, diary_visibility=closed)
        assert entry not in live()


def test_a_held_entry_cannot_be_rewritten_while_a_moderator_decides(alice, alice_client, film):
    entry = log(alice, film, note="First words.")
    moderation.decide(moderator=make_moderator(), item=entry, action="hide", reason="Wait.")
    response = alice_client.post(
        f"/diary/{entry.pk}/edit/", {"watched_on": entry.watched_on, "note": "Other words."}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.note == "First words."
    with pytest.raises(ValidationError):
        diary.entry_update(
            entry=entry,
            watched_on=entry.watched_on,
            rewatch=False,
            rating=None,
            liked=False,
            tags="",
            note="Other words.",
            link_review=False,
        )


def test_a_followers_only_diary_offers_no_report_link(alice, film):
    log(alice, film, note="Words.")
    fan = make_established_user()
    follows.follow(follower=fan, followed=alice)
    set_visibility(alice, diary_visibility="followers", watchlist_visibility="followers")
    client = Client()
    client.force_login(fan)
    page = client.get(diary_url(alice)).content.decode()
    assert "Words." in page
    assert "/report/diary-entry/" not in page
    assert f"/u/{alice.username}/watchlist/" not in page


# The data: export and account deletion ----------------------------------------------------


def test_the_export_holds_the_diary_the_watchlist_and_the_visibility(alice, film):
    log(alice, film, rating=8, tags="cinema", note="Seen at the Rex.")
    nikita = make_film(title="Nikita", year=1990)
    diary.watchlist_add(user=alice, film=nikita)
    set_visibility(alice, diary_visibility="followers")
    exported = {}
    for part in parts():
        exported.update(part.export(alice))
    assert exported["diary"][0]["note"] == "Seen at the Rex."
    assert exported["diary"][0]["tags"] == ["cinema"]
    assert exported["watchlist"][0]["film"] == nikita.slug
    assert exported["film_life_visibility"] == {
        "diary": "followers",
        "watchlist": "public",
        "activity": "public",
    }


def test_deleting_the_account_removes_the_diary_and_watchlist(alice, bob, film):
    log(alice, film, note="Mine.")
    diary.watchlist_add(user=alice, film=film)
    set_visibility(alice, diary_visibility="private")
    log(bob, film)
    accounts.account_delete(user=alice)
    assert not DiaryEntry.objects.filter(user=alice).exists()
    assert not WatchlistItem.objects.filter(user=alice).exists()
    assert not FilmLifeSettings.objects.filter(user=alice).exists()
    assert DiaryEntry.objects.filter(user=bob).count() == 1


# The pages ------------------------------------------------------------------------------


def test_the_diary_shows_entries_by_month_newest_first(alice, film):
    log(alice, film, watched_on=date(2024, 3, 2), note="March.")
    log(alice, film, watched_on=date(2024, 5, 9), rewatch=True, rating=9, liked=True, tags="rex")
    page = Client().get(diary_url(alice)).content.decode()
    assert page.index("May 2024") < page.index("March 2024")
    assert "rewatch" in page and "4.5 stars" in page and "rex" in page and "March." in page


def test_the_diary_pages_by_fifty(alice, film):
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=alice, film=film, watched_on=date(2020, 1, 1) + timedelta(days=n))
        for n in range(60)
    )
    first = Client().get(diary_url(alice))
    assert first.content.decode().count('class="diary-entry"') == 50
    second = Client().get(diary_url(alice) + "?page=2")
    assert second.content.decode().count('class="diary-entry"') == 10


@WHO_SEES
def test_who_sees_a_diary(alice, bob, film, visibility, expected):
    log(alice, film, note="A note.")
    set_visibility(alice, diary_visibility=visibility)
    assert answers(alice, bob, diary_url(alice)) == expected


def test_an_unknown_or_deleted_member_has_no_diary(alice, film):
    assert Client().get("/u/nobody/diary/").status_code == 404
    log(alice, film)
    accounts.account_delete(user=alice)
    assert Client().get(diary_url(alice)).status_code == 404


def test_only_the_owner_edits_or_deletes_an_entry(alice, bob, film):
    entry = log(alice, film, note="Mine.")
    edit, delete = f"/diary/{entry.pk}/edit/", f"/diary/{entry.pk}/delete/"
    assert Client().get(edit).status_code == 302  # to the login page
    assert Client().post(delete).status_code == 302
    other = Client()
    other.force_login(bob)
    assert other.get(edit).status_code == 404
    assert other.post(delete).status_code == 404
    moderator = Client()
    moderator.force_login(make_moderator())
    assert moderator.get(edit).status_code == 404
    owner = Client()
    owner.force_login(alice)
    assert owner.get(edit).status_code == 200
    response = owner.post(
        edit,
        {"watched_on": "2025-01-02", "rating": "6", "tags": "Home", "note": "Edited."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.note, entry.rating, entry.tags) == ("Edited.", 6, "home")
    assert owner.get(delete).status_code == 200
    assert owner.post(delete).status_code == 302
    assert not DiaryEntry.objects.exists()


def test_the_log_page_logs_a_viewing(alice_client, alice, film):
    url = f"/films/{film.slug}/log/"
    page = alice_client.get(url)
    assert page.status_code == 200
    assert timezone.localdate().isoformat() in page.content.decode()
    response = alice_client.post(
        url, {"watched_on": "2025-11-12", "rewatch": "on", "rating": "8", "liked": "on"}
    )
    assert response.status_code == 302 and response["Location"] == diary_url(alice)
    entry = DiaryEntry.objects.get()
    assert entry.rewatch and entry.liked and entry.rating == 8


def test_the_log_page_is_for_members(film):
    response = Client().get(f"/films/{film.slug}/log/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"watched_on": "2999-01-01"}, "can&#x27;t be in the future"),
        ({"watched_on": "yesterday"}, "Give the date as YYYY-MM-DD"),
        ({"watched_on": ""}, "Say when you watched it"),
        ({"watched_on": "2025-01-01", "rating": "11"}, "Choose a rating"),
        ({"watched_on": "2025-01-01", "rating": "x"}, "Choose a rating"),
        ({"watched_on": "2025-01-01", "note": "x" * 501}, "Keep the note under 500"),
        ({"watched_on": "2025-01-01", "tags": "x" * 301}, "Keep the tags under 300"),
        ({"watched_on": "2025-01-01", "tags": "a" * 31}, "under 30 characters"),
        ({"watched_on": "2025-01-01", "homepage": "bot"}, "could not be sent"),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_500(alice_client, film, data, message):
    response = alice_client.post(f"/films/{film.slug}/log/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_hostile_text_is_stored_as_written_and_shown_escaped(alice, alice_client, film):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202e"
    response = alice_client.post(
        f"/films/{film.slug}/log/",
        {"watched_on": "2025-01-01", "note": hostile, "tags": "<b>bold</b>"},
    )
    assert response.status_code == 302
    page = Client().get(diary_url(alice)).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_silenced_member_cannot_log(alice, alice_client, film):
    moderation.sanction(
        moderator=make_moderator(),
        member=alice,
        action="silence",
        until=timezone.now() + timedelta(days=1),
        reason="Cool down.",
    )
    response = alice_client.post(f"/films/{film.slug}/log/", {"watched_on": "2025-01-01"})
    assert response.status_code == 403
    assert not DiaryEntry.objects.exists()


def test_logging_is_rate_limited(alice_client, film, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "diary": {"user": ["2/m"]}}
    for _n in range(2):
        response = alice_client.post(f"/films/{film.slug}/log/", {"watched_on": "2025-01-01"})
        assert response.status_code == 302
    response = alice_client.post(f"/films/{film.slug}/log/", {"watched_on": "2025-01-01"})
    assert response.status_code == 429
    assert DiaryEntry.objects.count() == 2


def test_the_visibility_setting(alice, alice_client):
    assert selectors.film_life_settings(alice).diary_visibility == "public"
    page = alice_client.get("/diary/visibility/")
    assert page.status_code == 200 and "members who follow you" in page.content.decode()
    response = alice_client.post(
        "/diary/visibility/", {"diary_visibility": "private", "watchlist_visibility": "followers"}
    )
    assert response.status_code == 302
    chosen = FilmLifeSettings.objects.get(user=alice)
    assert (chosen.diary_visibility, chosen.watchlist_visibility) == ("private", "followers")
    bad = alice_client.post(
        "/diary/visibility/", {"diary_visibility": "everyone", "watchlist_visibility": "public"}
    )
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert Client().get("/diary/visibility/").status_code == 302


def test_the_profile_links_to_what_the_viewer_may_open(alice, film):
    page = Client().get(f"/u/{alice.username}/").content.decode()
    assert diary_url(alice) in page
    set_visibility(alice, diary_visibility="private")
    page = Client().get(f"/u/{alice.username}/").content.decode()
    assert diary_url(alice) not in page and f"/u/{alice.username}/watchlist/" in page


# Query counts -----------------------------------------------------------------------------


def _entries(user, film, n):
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=user,
            film=film,
            watched_on=date(2020, 1, 1) + timedelta(days=n % 1500),
            rating=(n % 10) + 1,
            tags="a,b",
            note=f"Note {n}",
        )
        for n in range(n)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_diary_runs_the_same_queries_at_10_and_1000_entries(film, signed_in):
    small, large = make_user(), make_user()
    _entries(small, film, 10)
    _entries(large, film, 1000)
    client = Client()
    if signed_in:
        client.force_login(make_user())
    _queries(client, diary_url(small))  # warm the session and the cache versions
    at_10 = _queries(client, diary_url(small))
    at_1000 = _queries(client, diary_url(large))
    assert at_10 == at_1000
    assert at_10 <= (9 if signed_in else 5)  # signed in: whether the owner blocks the reader


def test_the_owners_diary_runs_the_same_queries_at_10_and_1000_entries(
    film, django_assert_max_num_queries
):
    small, large = make_user(), make_user()
    _entries(small, film, 10)
    _entries(large, film, 1000)
    counts = []
    for owner in (small, large):
        client = Client()
        client.force_login(owner)
        client.get(diary_url(owner))
        with django_assert_max_num_queries(8):
            counts.append(_queries(client, diary_url(owner)))
    assert counts[0] == counts[1]


def test_a_reported_entry_shows_in_the_moderation_queue(alice, film):
    entry = log(alice, film, note="Buy cheap tickets here.", tags="spam")
    reporter = make_established_user()
    client = Client()
    client.force_login(reporter)
    client.post(f"/report/diary-entry/{entry.pk}/", {"reason": "spam"})
    moderator = Client()
    moderator.force_login(make_moderator())
    page = moderator.get("/moderation/").content.decode()
    assert "Buy cheap tickets here." in page and "A diary entry:" in page
    record = moderator.get(f"/moderation/members/{alice.username}/")
    assert record.status_code == 200
