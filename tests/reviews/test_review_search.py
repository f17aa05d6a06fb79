"""Reviews in the site search: the public ones only, newest matches first, on both
databases (CI runs this file on SQLite and on PostgreSQL)."""

import pytest

from films import search
from reviews import services
from reviews.moderation import services as moderation
from tests.factories import make_review

pytestmark = pytest.mark.django_db


def review_ids(query):
    return [e.object_id for e in search.search(query, kind="review").groups.get("review", [])]


def test_a_review_is_found_by_its_words_accents_folded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = make_review(title="Le nettoyeur", body="Mathilda's plant steals the show")
    assert review_ids("nettoyeur") == [review.pk]
    assert review_ids("MATHÍLDA plant") == [review.pk]


def test_hidden_and_deleted_reviews_leave_the_index(django_capture_on_commit_callbacks, moderator):
    with django_capture_on_commit_callbacks(execute=True):
        hidden = make_review(body="harmonica solo")
        deleted = make_review(body="harmonica again")
    assert sorted(review_ids("harmonica")) == sorted([hidden.pk, deleted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator=moderator, item=hidden, action="hide", reason="Spam.")
        services.review_delete(review=deleted)
    assert "review" not in search.search("harmonica").groups


@pytest.mark.parametrize("window", [5000, 1])
def test_the_newest_matches_come_first_whatever_the_window(
    django_capture_on_commit_callbacks, monkeypatch, window
):
    # window=1: the newest rows hold too few matches, so the whole index is searched.
    monkeypatch.setattr(search, "BULK_WINDOW", window)
    monkeypatch.setattr(search, "BULK_CANDIDATES", 3)
    with django_capture_on_commit_callbacks(execute=True):
        reviews = [make_review(body=f"siege number {i}") for i in range(5)]
        make_review(body="nothing to see")
    found = review_ids("siege")
    assert sorted(found) == sorted(r.pk for r in reviews[-3:])


def test_a_renamed_or_deleted_author_is_not_found_by_their_old_name(
    django_capture_on_commit_callbacks,
):
    from leonsite.accounts import services as accounts
    from tests.factories import make_user

    author = make_user("wanda", display_name="Wanda Quillfeather")
    with django_capture_on_commit_callbacks(execute=True):
        review = make_review(author=author, body="The plant, again.")
    assert review_ids("quillfeather") == [review.pk]
    with django_capture_on_commit_callbacks(execute=True):
        accounts.profile_update(user=author, display_name="Wanda Moss", bio="")
    assert review_ids("quillfeather") == [] and review_ids("moss") == [review.pk]
    with django_capture_on_commit_callbacks(execute=True):
        accounts.account_delete(user=author)
    assert review_ids("moss") == [] and review_ids("wanda") == []
    assert review_ids("plant") == [review.pk]  # the review stays, by "a deleted user"
