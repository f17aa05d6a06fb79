import pytest
from django.core.management import call_command

from films import search
from films.models import Person, Quote, SearchEntry, SearchWord

pytestmark = pytest.mark.django_db


def titles(results, kind):
    return [entry.title for entry in results.groups.get(kind, [])]


def test_folding_removes_accents_and_case():
    assert search.fold("Éric SERRA, Léon!") == "eric serra leon"
    assert search.query_terms("  Léon léon LEON the ") == ["leon", "the"]


def test_accent_and_case_insensitive(catalogue):
    assert titles(search.search("leon"), "film") == ["Léon: The Professional"]
    assert titles(search.search("LÉON"), "character")[0] == "Léon"
    assert titles(search.search("eric serra"), "person") == ["Éric Serra"]
    assert titles(search.search("Éric"), "person") == ["Éric Serra"]


def test_aliases_are_found(catalogue):
    assert titles(search.search("matilda"), "character") == ["Mathilda Lando"]
    assert titles(search.search("the professional"), "film")[0] == "Léon: The Professional"


def test_a_missing_word_is_tolerated_and_ranked_below_full_matches(catalogue):
    results = search.search("serra qwertyuiop")
    assert titles(results, "person") == ["Éric Serra"]
    results = search.search("no women kids")
    assert titles(results, "quote")[0] == "“No women, no kids.”"


def test_results_are_grouped_by_kind_in_a_stable_order(catalogue):
    # The same ordering is asserted on SQLite and on PostgreSQL (CI runs both).
    results = search.search("leon")
    assert list(results.groups)[:2] == ["character", "film"]
    assert titles(results, "track") == ["Leon the Cleaner", "When Leon Does His Best"]
    assert titles(search.search("shape heart"), "track") == ["Shape of My Heart"]
    assert search.search("eric serra").counts["track"] == 22


def test_quotes_tracks_and_people_by_their_words(catalogue):
    assert "“No women, no kids.”" in titles(search.search("women"), "quote")
    assert "Shape of My Heart" in titles(search.search("sting"), "track")
    assert titles(search.search("larry adler"), "person") == ["Larry Adler"]


def test_search_page_groups_and_paginates_one_kind(client, catalogue):
    page = client.get("/search/", {"q": "eric serra"}).content.decode()
    assert "Éric Serra" in page and "All 22" in page
    first = client.get("/search/", {"q": "eric serra", "kind": "track"}).content.decode()
    assert "22 results" in first and "Page 1 of 2" in first
    assert 'href="?q=eric+serra&amp;kind=track&amp;page=2"' in first
    second = client.get("/search/", {"q": "eric serra", "kind": "track", "page": 2})
    assert "Page 2 of 2" in second.content.decode()
    # An unknown kind is ignored rather than an error.
    assert client.get("/search/", {"q": "leon", "kind": "users"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "%", "_", "\\", "a\x00b", "x" * 10_000, " ".join(["word"] * 200),
     '"unbalanced', "NEAR(a b)", "a:* | !b", "*", "<script>alert(1)</script>"],
)  # fmt: skip
def test_hostile_queries_answer_200(client, catalogue, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_search_page_query_count_is_fixed(client, catalogue, django_assert_max_num_queries):
    # One query per text index (the catalogue's, the reviews', the spoilers'), one for rows,
    # one for the words near the query's words (through the trigram index).
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "leon mathlda"})
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "leon stansfeld natalie portmann shape of my hart"})
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "eric serra", "kind": "track", "page": 2})


def test_a_curators_change_is_searchable_once_committed(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = Person.objects.get(slug="larry-adler")
        person.name = "Lawrence Cecil Adler"
        person.save()
    assert titles(search.search("lawrence"), "person") == ["Lawrence Cecil Adler"]
    # The words typos are corrected to follow too.
    assert search.corrections(["lawrwnce"]) == {"lawrwnce": "lawrence"}
    with django_capture_on_commit_callbacks(execute=True):
        Quote.objects.get(key="oh-shit").delete()
    assert not SearchEntry.objects.filter(kind="quote", title__contains="Oh, shit").exists()


def test_rebuild_command_recreates_the_index(catalogue):
    SearchEntry.objects.all().delete()
    assert not search.search("leon").total
    call_command("rebuild_search_index", verbosity=0)
    assert search.search("leon").total


@pytest.mark.parametrize(
    "query, kind, expected",
    [
        ("mathlda", "character", "Mathilda Lando"),
        ("stansfeld", "character", "Norman Stansfield"),
        ("leon profesional", "film", "Léon: The Professional"),
        ("shape of my hart", "track", "Shape of My Heart"),
        ("natalie portmann", "person", "Natalie Portman"),
        ("Natlaie Portman", "person", "Natalie Portman"),  # swapped letters
        ("mathildda", "character", "Mathilda Lando"),  # an extra letter
    ],
)
def test_typos_find_the_right_thing(catalogue, query, kind, expected):
    results = search.search(query)
    assert titles(results, kind)[0] == expected
    assert results.suggestion


def test_an_early_slip_in_a_short_word_is_forgiven(catalogue):
    # No trigram in common with the word meant: found by its first letters and length.
    assert search.corrections(["loen", "elon", "jaen"]) == {
        "loen": "leon", "elon": "leon", "jaen": "jean",
    }  # fmt: skip


def test_exact_names_come_first(catalogue):
    assert titles(search.search("Mathilda"), "character")[:2] == [
        "Mathilda Lando", "Mathilda's Brother",
    ]  # fmt: skip
    assert titles(search.search("Reno"), "person")[0] == "Jean Reno"
    assert not search.search("Mathilda").suggestion  # spelt as the catalogue spells it


def test_did_you_mean_links_the_corrected_query(client, catalogue):
    page = client.get("/search/", {"q": "stansfeld"}).content.decode()
    assert 'Did you mean <a href="?q=stansfield">stansfield</a>?' in page
    assert "Norman Stansfield" in page
    # Short words and words already in the catalogue are never "corrected".
    assert not search.search("leon zq").suggestion
    assert search.corrections(["leon", "the"]) == {}


def test_suggestions_never_come_from_spoilers_or_reviews(catalogue):
    from tests.factories import make_quote, make_review

    make_quote(lines=[(None, "The zephyrine lighthouse burns.")], is_spoiler=True)
    make_review(body="Wonderful kaleidoscopic images.")
    search.rebuild()
    assert "zephyrine" not in search.corrections(["zephyrin"]).values()
    assert "kaleidoscopic" not in search.corrections(["kaleidoscopc"]).values()
    assert not SearchWord.objects.filter(word__in=["zephyrine", "kaleidoscopic"]).exists()
    # Nor does the search box suggest them, though the search page finds both.
    assert search.suggest("zephyrine") == search.suggest("kaleidoscopic") == []
    found = search.search("zephyrine kaleidoscopic")
    assert set(found.groups) == {"quote", "review"}


def suggestions(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    return response


def test_the_search_box_suggests_as_one_types(client, catalogue):
    response = suggestions(client, "mathi")
    assert response["Cache-Control"] == "public, max-age=300"
    found = response.json()["suggestions"]
    assert found[0] == {
        "title": "Mathilda Lando",
        "subtitle": "Léon: The Professional · played by Natalie Portman",
        "url": "/films/leon-the-professional/characters/mathilda/",
        "kind": "character",
    }
    assert len(found) <= search.SUGGESTIONS
    for query, first in [
        ("mathlda", "Mathilda Lando"),  # typos are forgiven here too
        ("natalie portmann", "Natalie Portman"),
        ("shape of my", "Shape of My Heart"),
        ("reno", "Jean Reno"),
    ]:
        assert suggestions(client, query).json()["suggestions"][0]["title"] == first, query
    assert suggestions(client, "m").json() == {"query": "m", "suggestions": []}


@pytest.mark.parametrize(
    "query", ["", " ", "x" * 5000, "\x00leon", '"*:() OR NEAR', "<script>", "é" * 300, "%"]
)
def test_hostile_suggestion_queries_answer_json(client, catalogue, query):
    assert "suggestions" in suggestions(client, query).json()


def test_suggestions_are_read_once_per_catalogue_change(
    client, catalogue, django_assert_max_num_queries, django_assert_num_queries
):
    # The words near the query, the candidates, their rows; then the cache alone.
    with django_assert_max_num_queries(3):
        suggestions(client, "stansfeld norman")
    with django_assert_num_queries(0):
        suggestions(client, "stansfeld norman")
    person = Person.objects.get(slug="gary-oldman")
    person.name = "Gary L. Oldman"
    person.save()
    search.rebuild()  # as the commit of a curator's change does
    assert suggestions(client, "oldman").json()["suggestions"][0]["title"] == "Gary L. Oldman"
