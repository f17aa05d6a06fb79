"""What a spoiler says is indexed apart: a match there finds the item, shown as
"matches inside a spoiler", and nothing of the spoiler reaches the results."""

import pytest
from django.db.migrations.loader import MigrationLoader

from films import search, search_index
from films.models import SearchEntry
from tests.factories import make_character, make_film, make_quote, make_review

pytestmark = pytest.mark.django_db


def entries(results, kind):
    return results.groups.get(kind, [])


@pytest.fixture
def spoiled(db):
    film = make_film(title="Kestrel Lane")
    hero = make_character(film=film, name="Osgood")
    open_quote = make_quote(film=film, lines=[(hero, "Bring the marigolds inside.")])
    secret = make_quote(
        film=film, lines=[(hero, "The lighthouse keeper was my brother.")],
        context="Osgood, dying on the quay.", is_spoiler=True,
    )  # fmt: skip
    inline = make_review(film=film, body="The score is wonderful. ||The quay scene breaks me.||")
    flagged = make_review(film=film, body="Everything turns on the quay.", is_spoiler=True)
    search.rebuild()  # the index follows commits, which a test's transaction never makes
    return {"open": open_quote, "secret": secret, "inline": inline, "flagged": flagged}


def test_spoiler_text_is_kept_apart_from_the_open_text(spoiled):
    secret = SearchEntry.objects.get(kind="quote", object_id=spoiled["secret"].pk)
    assert "lighthouse" not in secret.text and "quay" not in secret.text
    assert "lighthouse" in secret.spoiler_text and "quay" in secret.spoiler_text
    assert secret.title == "“[spoiler]”"
    inline = SearchEntry.objects.get(kind="review", object_id=spoiled["inline"].pk)
    assert "wonderful" in inline.text and "quay" not in inline.text
    assert inline.spoiler_text == "the quay scene breaks me"
    flagged = SearchEntry.objects.get(kind="review", object_id=spoiled["flagged"].pk)
    assert "quay" not in flagged.text and "quay" in flagged.spoiler_text


def test_a_match_only_inside_a_spoiler_shows_the_item_without_the_match(spoiled):
    [quote] = entries(search.search("lighthouse"), "quote")
    assert quote.object_id == spoiled["secret"].pk and quote.inside_spoiler
    assert "lighthouse" not in (quote.title + quote.subtitle).lower()
    # The quay is named only inside spoilers: both reviews and the quote's context.
    results = search.search("quay")
    assert all(entry.inside_spoiler for group in results.groups.values() for entry in group)
    assert {e.object_id for e in entries(results, "review")} == {
        spoiled["inline"].pk, spoiled["flagged"].pk,
    }  # fmt: skip
    # Open matches are shown as ever, and ranked before matches inside spoilers.
    [review] = entries(search.search("wonderful"), "review")
    assert not review.inside_spoiler
    ranked = entries(search.search("osgood marigolds lighthouse"), "quote")
    assert [e.object_id for e in ranked] == [spoiled["open"].pk, spoiled["secret"].pk]
    assert [e.inside_spoiler for e in ranked] == [False, False]


def test_the_search_page_says_a_spoiler_matched_and_shows_nothing_of_it(client, spoiled):
    page = client.get("/search/", {"q": "quay"}).content.decode()
    assert page.count("Matches inside a spoiler") == 3
    for words in ("lighthouse", "breaks me", "dying", "Everything turns"):
        assert words not in page
    assert "“[spoiler]”" in page


def test_editing_out_a_spoiler_moves_its_words_to_the_open_text(
    spoiled, django_capture_on_commit_callbacks
):
    from reviews import services

    review = spoiled["inline"]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_update(
            review=review, rating=review.rating, title=review.title,
            body="The quay scene breaks me, openly now.", is_spoiler=False,
        )  # fmt: skip
    entry = SearchEntry.objects.get(kind="review", object_id=review.pk)
    assert "quay" in entry.text and entry.spoiler_text == ""
    found = {e.object_id: e.inside_spoiler for e in entries(search.search("quay"), "review")}
    assert found == {review.pk: False, spoiled["flagged"].pk: True}


def test_the_catalogues_spoiler_quotes_are_found_only_as_spoilers(catalogue):
    [quote] = entries(search.search("everyone"), "quote")
    assert quote.inside_spoiler and quote.title == "“[spoiler]”"


def test_the_migration_that_split_the_index_rebuilds_it(spoiled):
    entry = SearchEntry.objects.get(kind="review", object_id=spoiled["inline"].pk)
    SearchEntry.objects.filter(pk=entry.pk).update(text="quay as indexed before", spoiler_text="")
    migration = MigrationLoader(None).get_migration("films", "0007_search_spoiler_text")
    search_index.rebuild_after_migrate(sender=None, plan=[(migration, True)])
    assert SearchEntry.objects.filter(text="quay as indexed before").exists()
    search_index.rebuild_after_migrate(sender=None, plan=[(migration, False)])
    entry = SearchEntry.objects.get(kind="review", object_id=spoiled["inline"].pk)
    assert "quay" not in entry.text and "quay" in entry.spoiler_text


def test_the_migration_that_added_the_words_fills_them_without_reindexing(spoiled):
    from films.models import SearchWord

    SearchEntry.objects.filter(kind="review").update(text="left as it was")
    SearchWord.objects.all().delete()
    migration = MigrationLoader(None).get_migration("films", "0008_search_words")
    search_index.rebuild_after_migrate(sender=None, plan=[(migration, False)])
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"kestrel", "marigolds", "osgood"} <= words and "lighthouse" not in words
    assert SearchEntry.objects.filter(kind="review", text="left as it was").exists()
