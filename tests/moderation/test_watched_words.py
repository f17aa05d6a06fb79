"""Watched words: a post containing one is blocked, held for review or reported."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from reviews.models import Comment, FilmRatingStats, QuoteCollection, Review
from reviews.moderation import services as moderation
from reviews.moderation import watchwords
from reviews.moderation.models import ModerationAction, Report, WatchedWord
from tests.factories import make_film, make_review, make_watched_word

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "word,text,found",
    [
        ("casino", "Visit my CASINO now", True),
        ("casino", "casinos", False),  # whole words only
        ("casino*", "casinos galore", True),
        ("ass", "a classic film", False),
        ("cafe", "Meet me at the Café", True),  # accents fold
        ("Café", "the cafe", True),
        ("free tickets", "get FREE\n  tickets here", True),  # any spacing in a phrase
        ("free tickets", "free of tickets", False),
        ("a.b", "axb", False),  # never a regular expression
        ("(x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", False),
    ],
)
def test_matching_is_case_accent_and_word_aware(word, text, found):
    make_watched_word(word, action="report")
    assert (watchwords.screen(text) is not None) is found


def test_the_strongest_action_wins():
    make_watched_word("casino", action="report")
    make_watched_word("pills", action="block")
    make_watched_word("tickets", action="hold")
    assert watchwords.screen("casino tickets").action == "hold"
    assert watchwords.screen("casino tickets pills").action == "block"


def test_a_blocked_word_refuses_the_post_with_a_message(alice_client):
    make_watched_word("pills", action="block")
    film = make_film()
    response = alice_client.post(
        f"/films/{film.slug}/reviews/new/", {"rating": "8", "body": "Buy cheap PILLS"}
    )
    assert response.status_code == 200
    assert "Your post contains “pills”, which is not allowed on this site." in (
        response.content.decode()
    )
    assert not Review.objects.exists()
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize(
    "what,url,data,model",
    [
        ("comment", "/reviews/{review}/comments/", {"body": "buy pills"}, Comment),
        ("collection", "/collections/new/", {"title": "pills", "visibility": "public"},
         QuoteCollection),
    ],
)  # fmt: skip
def test_blocked_words_apply_to_every_kind_of_post(alice_client, what, url, data, model):
    make_watched_word("pills", action="block")
    before = model.objects.count()
    review = make_review()
    response = alice_client.post(url.format(review=review.pk), data)
    assert response.status_code in (200, 400)
    assert "not allowed on this site" in response.content.decode()
    assert model.objects.count() == before


def test_a_blocked_word_in_a_profile_is_refused(alice, alice_client):
    make_watched_word("pills", action="block")
    response = alice_client.post("/accounts/settings/", {"display_name": "Pills", "bio": ""})
    assert "not allowed on this site" in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice"


def test_a_held_review_waits_hidden_in_the_queue(alice_client, moderator, moderator_client):
    make_watched_word("tickets", action="hold")
    film = make_film()
    response = alice_client.post(
        f"/films/{film.slug}/reviews/new/", {"rating": "8", "body": "Cheap tickets!"}, follow=True
    )
    page = response.content.decode()
    assert "held for a moderator&#x27;s review before it appears" in page
    assert "It contains “tickets”, a word our moderators check first." in page
    review = Review.objects.get()
    assert review.is_held and review.body == "Cheap tickets!"
    assert not FilmRatingStats.objects.filter(film=film, count__gt=0).exists()
    assert "Cheap tickets!" not in Client().get(review.get_absolute_url()).content.decode()
    report = Report.objects.get()
    assert report.reporter is None and report.reason == "watched"
    assert list(ModerationAction.objects.values_list("kind", "actor")) == [("hold", None)]
    queue = moderator_client.get("/moderation/").content.decode()
    assert "Cheap tickets!" in queue and ">Held<" in queue
    moderation.decide(moderator=moderator, item=review, action="restore", reason="Fine.")
    review.refresh_from_db()
    assert not review.is_hidden
    assert FilmRatingStats.objects.get(film=film).count == 1


def test_a_held_comment_does_not_count_until_restored(alice_client, moderator):
    make_watched_word("tickets", action="hold")
    review = make_review()
    alice_client.post(f"/reviews/{review.pk}/comments/", {"body": "tickets"})
    comment = Comment.objects.get()
    review.refresh_from_db()
    assert comment.is_held and review.comment_count == 0
    moderation.decide(moderator=moderator, item=comment, action="dismiss", reason="Fine.")
    review.refresh_from_db()
    assert review.comment_count == 1


def test_a_reported_word_publishes_the_post_and_files_one_automatic_report(alice_client):
    make_watched_word("casino", action="report")
    film = make_film()
    alice_client.post(f"/films/{film.slug}/reviews/new/", {"rating": "8", "body": "casino"})
    review = Review.objects.get()
    assert not review.is_hidden
    assert FilmRatingStats.objects.get(film=film).count == 1
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.status) == (None, "watched", "open")
    alice_client.post(
        f"/reviews/{review.pk}/edit/", {"rating": "7", "body": "casino casino"}
    )  # still one open automatic report
    assert Report.objects.count() == 1
    assert list(ModerationAction.objects.values_list("kind", flat=True)) == [
        "auto_report",
        "auto_report",
    ]


def test_watched_words_are_edited_in_the_admin_by_moderators(moderator_client):
    response = moderator_client.post(
        "/admin/moderation/watchedword/add/", {"word": "Cheap Pills", "action": "block"}
    )
    assert response.status_code == 302
    word = WatchedWord.objects.get()
    assert word.normalized == "cheap pills"
    duplicate = moderator_client.post(
        "/admin/moderation/watchedword/add/", {"word": "CHEAP PILLS", "action": "hold"}
    )
    assert "This word is already watched." in duplicate.content.decode()
    only_stars = moderator_client.post(
        "/admin/moderation/watchedword/add/", {"word": "**", "action": "hold"}
    )
    assert "not only wildcards" in only_stars.content.decode()
    assert WatchedWord.objects.count() == 1


def test_a_bad_action_cannot_be_stored():
    word = WatchedWord(word="x", action="explode")
    with pytest.raises(ValidationError):
        word.full_clean()


# Collection item notes are shown on the public collection: screened like its title -------


def _collection_with_quote(owner):
    from tests.factories import make_collection, make_quote

    quote = make_quote()
    return make_collection(owner=owner, quotes=[quote]), quote


def test_a_blocked_word_in_a_note_added_with_a_quote_is_refused(alice, alice_client):
    from tests.factories import make_collection, make_quote

    make_watched_word("pills", action="block")
    collection, quote = make_collection(owner=alice), make_quote()
    response = alice_client.post(
        "/collections/add/",
        {"quote": quote.pk, "collection": str(collection.pk), "note": "cheap pills"},
    )
    assert response.status_code == 400
    assert "not allowed on this site" in response.content.decode()
    assert not collection.items.exists()


def test_a_blocked_word_in_an_edited_note_is_refused_and_the_note_kept(alice, alice_client):
    make_watched_word("pills", action="block")
    collection, _ = _collection_with_quote(alice)
    item = collection.items.get()
    response = alice_client.post(
        f"/collections/{collection.pk}/note/", {"item": item.pk, "note": "Pills!"}, follow=True
    )
    assert "not allowed on this site" in response.content.decode()
    item.refresh_from_db()
    assert item.note == ""


def test_a_held_word_in_a_note_holds_the_collection_for_a_moderator(alice):
    from reviews import services

    make_watched_word("casino", action="hold")
    collection, _ = _collection_with_quote(alice)
    services.collection_item_note(
        collection=collection, item_id=collection.items.get().pk, note="Casino night"
    )
    collection.refresh_from_db()
    assert collection.is_held
    assert Report.objects.for_item(collection).open().filter(reporter__isnull=True).exists()
    assert ModerationAction.objects.filter(kind="hold", object_id=collection.pk).exists()


def test_a_reported_word_in_a_note_added_with_a_quote_files_a_report(alice):
    from reviews import services
    from tests.factories import make_collection, make_quote

    make_watched_word("casino", action="report")
    collection = make_collection(owner=alice)
    services.collection_add_quote(collection=collection, quote=make_quote(), note="Casino!")
    collection.refresh_from_db()
    assert not collection.is_hidden
    assert collection.items.get().note == "Casino!"
    assert Report.objects.for_item(collection).open().count() == 1


def test_a_copy_carrying_a_blocked_note_is_refused(alice, bob, bob_client):
    collection, _ = _collection_with_quote(alice)
    collection.items.update(note="cheap pills")
    make_watched_word("pills", action="block")
    response = bob_client.post(f"/collections/{collection.pk}/copy/", follow=True)
    assert "not allowed on this site" in response.content.decode()
    assert not QuoteCollection.objects.filter(owner=bob).exists()


def test_a_held_word_in_a_bio_holds_the_profile(alice, alice_client):
    make_watched_word("casino", action="hold")
    alice_client.post("/accounts/settings/", {"display_name": "Alice", "bio": "Casino fan"})
    alice.profile.refresh_from_db()
    assert alice.profile.is_held
    assert alice.profile.bio == "Casino fan"  # kept, hidden until a moderator looks
