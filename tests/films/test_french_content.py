"""The catalogue's content in French (films/translation.py): French pages show the French
a curator (or the data file) gave, English where there is none; the load brings the
French in once and keeps a curator's; the admin edits both languages; the pages keep
their query counts; the search index and the read API do not mix languages; and the
upgrade keeps every English text."""

import html
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from films import corrections, search, services
from films.loading import DEFAULT_DATA_FILE
from films.models import Character, Film, Quote, Scene, SearchEntry, SeedRecord, Trivia
from tests.pages import LEON

pytestmark = pytest.mark.django_db

FR = f"/fr/films/{LEON}/"
EN = f"/films/{LEON}/"


def text_of(response) -> str:
    """The page's text, entities decoded and runs of spaces made one."""
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def first_words(text: str, n: int = 8) -> str:
    return " ".join(text.split()[:n])


# What the pages show -------------------------------------------------------------------------


def test_french_pages_show_the_french_texts(client, catalogue):
    film = Film.objects.get(slug=LEON)
    scene = Scene.objects.get(film=film, slug="the-door")
    trivia = Trivia.objects.get(film=film, key="mint-oil-tears")
    quote = Quote.objects.get(film=film, key="no-women-no-kids")
    mathilda = Character.objects.get(film=film, slug="mathilda")

    overview = text_of(client.get(FR))
    assert first_words(film.synopsis_fr) in overview
    assert first_words(film.synopsis_en) not in overview
    scenes = text_of(client.get(FR + "scenes/"))
    assert scene.title_fr in scenes and first_words(scene.description_fr) in scenes
    assert first_words(scene.description_en) not in scenes
    assert first_words(trivia.text_fr) in text_of(client.get(FR + "trivia/"))
    assert first_words(quote.context_fr) in text_of(client.get(FR + "quotes/"))
    character = text_of(client.get(f"{FR}characters/mathilda/"))
    assert first_words(mathilda.description_fr) in character

    # The same pages in English: the English texts, none of the French.
    english = text_of(client.get(EN))
    assert first_words(film.synopsis_en) in english
    assert first_words(film.synopsis_fr) not in english
    english_scenes = text_of(client.get(EN + "scenes/"))
    assert scene.title_en in english_scenes and scene.title_fr not in english_scenes
    assert first_words(trivia.text_en) in text_of(client.get(EN + "trivia/"))


def test_a_french_page_falls_back_to_english_where_there_is_no_french(client, catalogue):
    film = Film.objects.get(slug=LEON)
    scene = Scene.objects.get(film=film, slug="the-door")
    trivia = Trivia.objects.get(film=film, key="mint-oil-tears")
    quote = Quote.objects.get(film=film, key="no-women-no-kids")
    mathilda = Character.objects.get(film=film, slug="mathilda")
    # A curator cleared some French (empty in the form) and some is missing altogether.
    Film.objects.filter(pk=film.pk).update(synopsis_fr="")
    Scene.objects.filter(pk=scene.pk).update(title_fr=None, description_fr="")
    Trivia.objects.filter(pk=trivia.pk).update(text_fr=None)
    Quote.objects.filter(pk=quote.pk).update(context_fr="")
    Character.objects.filter(pk=mathilda.pk).update(description_fr=None)
    cache.clear()

    assert first_words(film.synopsis_en) in text_of(client.get(FR))
    scenes = text_of(client.get(FR + "scenes/"))
    assert scene.title_en in scenes and first_words(scene.description_en) in scenes
    assert first_words(trivia.text_en) in text_of(client.get(FR + "trivia/"))
    assert first_words(quote.context_en) in text_of(client.get(FR + "quotes/"))
    character = text_of(client.get(f"{FR}characters/mathilda/"))
    assert first_words(mathilda.description_en) in character
    # The rest of the scenes page is still French.
    other = Scene.objects.get(film=film, slug="teach-me")
    assert other.title_fr in scenes


def test_the_film_page_runs_as_many_queries_in_french_as_in_english(client, catalogue):
    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for page in ("", "scenes/", "trivia/", "quotes/", "characters/mathilda/"):
        assert queries(FR + page) == queries(EN + page), page


# The load --------------------------------------------------------------------------------------


def french_texts():
    return {
        "films": dict(Film.objects.values_list("slug", "synopsis_fr")),
        "scenes": sorted(Scene.objects.values_list("slug", "title_fr", "description_fr")),
        "trivia": dict(Trivia.objects.values_list("key", "text_fr")),
        "quotes": dict(Quote.objects.values_list("key", "context_fr")),
        "characters": dict(Character.objects.values_list("slug", "description_fr")),
    }


def test_the_load_brings_in_the_french_texts(catalogue):
    leon = Film.objects.get(slug=LEON)
    assert leon.synopsis_fr.startswith("Léon s'est fait un monde tout petit")
    assert not leon.scenes.filter(title_fr__isnull=True).exists()
    assert not leon.scenes.filter(description_fr__isnull=True).exists()
    assert not leon.trivia.filter(text_fr__isnull=True).exists()
    assert not leon.quotes.filter(context_fr__isnull=True).exists()
    assert not leon.characters.filter(description_fr__isnull=True).exists()
    assert leon.scenes.get(slug="the-door").title_fr == "La porte"
    # English stays in the English columns.
    assert leon.synopsis_en.startswith("Léon keeps his world very small")
    assert leon.scenes.get(slug="the-door").title_en == "The Door"
    # The facts about France were loaded already: the French title, the release, the
    # tickets, the opening week, the weeks at number one and the César nominations.
    assert leon.alternative_titles.filter(title="Léon").exists()
    assert str(leon.release_date) == "1994-09-14"
    assert leon.figures.get(key="tickets-france").value == 3623153
    assert leon.figures.filter(region="France").count() == 3
    assert leon.awards.filter(body="César Awards", year=1995).count() == 7


def test_loading_again_changes_no_french(catalogue):
    before = french_texts()
    records = SeedRecord.objects.count()
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "up to date" in out.getvalue()
    assert french_texts() == before
    assert SeedRecord.objects.count() == records


def test_a_curators_french_survives_a_reload(catalogue):
    trivia = Trivia.objects.get(key="mint-oil-tears")
    trivia.text_fr = "Le texte d'un conservateur."
    trivia.save()
    scene = Scene.objects.get(slug="the-door")
    scene.description_fr = ""  # cleared on purpose: English shows instead
    scene.save()
    call_command("load_catalogue", verbosity=0)
    trivia.refresh_from_db()
    scene.refresh_from_db()
    assert trivia.text_fr == "Le texte d'un conservateur."
    assert scene.description_fr == ""


def test_rows_loaded_before_there_was_french_get_it_once_and_keep_a_curators(catalogue):
    """A database loaded by the previous release: rows in English, no French records."""
    SeedRecord.objects.filter(key__contains=".fr:").delete()
    Trivia.objects.update(text_fr=None)
    Scene.objects.update(title_fr=None, description_fr=None)
    # A curator wrote this French before the data file had any.
    Trivia.objects.filter(key="blu-ray").update(text_fr="Déjà traduit par un conservateur.")

    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "French texts" in out.getvalue()
    assert Trivia.objects.get(key="blu-ray").text_fr == "Déjà traduit par un conservateur."
    assert Trivia.objects.get(key="mint-oil-tears").text_fr.startswith("Certaines larmes")
    assert Scene.objects.get(slug="the-door").title_fr == "La porte"
    # And once only.
    Scene.objects.filter(slug="the-door").update(title_fr=None)
    call_command("load_catalogue", verbosity=0)
    assert Scene.objects.get(slug="the-door").title_fr is None


def test_a_row_the_curator_deleted_gets_no_french_back(catalogue, tmp_path):
    Quote.objects.get(key="oh-shit").delete()
    SeedRecord.objects.filter(key__contains=".fr:").delete()
    call_command("load_catalogue", verbosity=0)
    assert not Quote.objects.filter(key="oh-shit").exists()


def test_the_load_writes_english_whatever_language_is_active(db):
    with translation.override("fr"):
        call_command("load_catalogue", verbosity=0)
    door = Scene.objects.get(slug="the-door")
    assert (door.title_en, door.title_fr) == ("The Door", "La porte")


def test_the_data_files_french_is_complete_for_leon():
    import tomllib

    data = tomllib.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    leon = next(f for f in data["films"] if f["slug"] == LEON)
    assert leon["synopsis_fr"].strip()
    for group, fields in {
        "characters": ["description"],
        "scenes": ["title", "description"],
        "quotes": ["context"],
        "trivia": ["text"],
    }.items():
        for item in leon[group]:
            for name in fields:
                where = (group, item.get("slug") or item.get("key"), name)
                assert item.get(f"{name}_fr", "").strip(), where
                assert item[f"{name}_fr"].strip() != item[name].strip()


# The admin -----------------------------------------------------------------------------------


def admin_url(model, action, *args):
    return reverse(f"admin:films_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize(
    ("model", "row", "fields"),
    [
        (Film, lambda: Film.objects.get(slug=LEON), ["synopsis"]),
        (Scene, lambda: Scene.objects.get(slug="the-door"), ["title", "description"]),
        (Trivia, lambda: Trivia.objects.get(key="blu-ray"), ["text"]),
        (Quote, lambda: Quote.objects.get(key="cleaner"), ["context"]),
        (Character, lambda: Character.objects.get(slug="mathilda"), ["description"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_admin_shows_both_languages(curator_client, catalogue, model, row, fields):
    obj = row()
    page = curator_client.get(admin_url(model, "change", obj.pk)).content.decode()
    for name in fields:
        assert f'name="{name}_en"' in page and f'name="{name}_fr"' in page, name
        assert f'name="{name}"' not in page, name
        assert getattr(obj, f"{name}_fr")[:40] in html.unescape(page), name


def test_the_film_forms_inlines_edit_both_languages(curator_client, catalogue):
    film = Film.objects.get(slug=LEON)
    page = curator_client.get(admin_url(Film, "change", film.pk)).content.decode()
    for field in ("scenes-0-title_en", "scenes-0-title_fr", "characters-0-description_fr"):
        assert f'name="{field}"' in page, field


def test_a_curator_writes_french_through_the_admin(curator_client, catalogue, client):
    trivia = Trivia.objects.get(key="blu-ray")
    data = {
        "film": trivia.film_id,
        "key": trivia.key,
        "category": trivia.category,
        "text_en": trivia.text_en,
        "text_fr": "Une édition Blu-ray soignée, relue par un conservateur.",
        "scene": "",
        "source": trivia.source_id or "",
    }
    response = curator_client.post(admin_url(Trivia, "change", trivia.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    trivia.refresh_from_db()
    assert trivia.text_fr == "Une édition Blu-ray soignée, relue par un conservateur."
    assert trivia.text_en.startswith("The film is available")
    # The save moved the catalogue's cache version: the French page shows it at once.
    assert "relue par un conservateur" in text_of(client.get(FR + "trivia/"))
    assert "relue par un conservateur" not in text_of(client.get(EN + "trivia/"))


# Caches, search, the API and corrections -------------------------------------------------------


def test_cached_pages_keep_each_language_apart(client, catalogue):
    door = Scene.objects.get(slug="the-door")
    for _ in range(2):  # the second time from the caches
        assert door.title_fr in text_of(client.get(FR + "scenes/"))
        english = text_of(client.get(EN + "scenes/"))
        assert door.title_en in english and door.title_fr not in english


def test_the_search_index_is_the_same_whichever_language_builds_it(catalogue):
    quote = Quote.objects.get(key="cleaner")
    with translation.override("fr"):
        search.reindex("quote", [quote.pk])
    in_french = SearchEntry.objects.get(kind="quote", object_id=quote.pk)
    search.reindex("quote", [quote.pk])
    in_english = SearchEntry.objects.get(kind="quote", object_id=quote.pk)
    assert (in_french.title, in_french.subtitle, in_french.text) == (
        in_english.title,
        in_english.subtitle,
        in_english.text,
    )
    # Found by words of either language.
    assert "profession" in in_english.text and "nettoyeur" in in_english.text


def test_the_read_api_stays_english(client, catalogue):
    film = Film.objects.get(slug=LEON)
    client.cookies["django_language"] = "fr"
    response = client.get(f"/api/v1/films/{LEON}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.json()["synopsis"] == film.synopsis_en
    scenes = client.get("/api/v1/scenes/", {"film": LEON}, HTTP_ACCEPT_LANGUAGE="fr").json()
    titles = {s["title"] for s in scenes["results"]}
    assert "The Door" in titles and "La porte" not in titles


def test_a_correction_is_about_the_english_whatever_page_it_came_from(alice, catalogue):
    trivia = Trivia.objects.get(key="blu-ray")
    with translation.override("fr"):
        correction = services.correction_create(
            member=alice,
            kind="trivia",
            obj=trivia,
            field="text",
            proposed="The film is out on Blu-ray, restored.",
            source_url="https://example.com/blu-ray",
        )
    assert correction.current_value == trivia.text_en
    fact = corrections.KINDS["trivia"].fact(trivia, "text")
    assert fact.attname == "text_en"


# The upgrade ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_every_english_text_in_the_en_columns():
    executor = MigrationExecutor(connection)
    executor.migrate([("films", "0011_correction")])
    apps = executor.loader.project_state([("films", "0011_correction")]).apps
    film = apps.get_model("films", "Film").objects.create(
        slug="leon", title="Léon", year=1994, synopsis="A cleaner and a girl."
    )
    scene = apps.get_model("films", "Scene").objects.create(
        film=film, slug="door", order=1, title="The Door", description="She rings."
    )
    character = apps.get_model("films", "Character").objects.create(
        film=film, slug="leon", name="Léon", description="A cleaner."
    )
    quote = apps.get_model("films", "Quote").objects.create(film=film, context="His code.")
    trivia = apps.get_model("films", "Trivia").objects.create(
        film=film, category="production", text="Shot in New York."
    )

    # Every app: going back to films 0011 also took back the migrations that depend on
    # later films ones (the community's), and the tests after this one need their tables.
    call_command("migrate", verbosity=0, stdout=io.StringIO())

    film_now = Film.objects.get(pk=film.pk)
    assert (film_now.synopsis_en, film_now.synopsis_fr) == ("A cleaner and a girl.", None)
    scene_now = Scene.objects.get(pk=scene.pk)
    assert (scene_now.title_en, scene_now.description_en) == ("The Door", "She rings.")
    assert Character.objects.get(pk=character.pk).description_en == "A cleaner."
    assert Quote.objects.get(pk=quote.pk).context_en == "His code."
    assert Trivia.objects.get(pk=trivia.pk).text_en == "Shot in New York."
    # French pages show the English until a curator writes French.
    with translation.override("fr"):
        assert Scene.objects.get(pk=scene.pk).title == "The Door"
