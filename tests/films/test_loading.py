import tomllib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from films.loading import DEFAULT_DATA_FILE
from films.models import (
    Award,
    Character,
    Credit,
    CriticScore,
    Figure,
    Film,
    Person,
    Quote,
    SeedRecord,
    Track,
    Trivia,
)

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("films").get_models()}


def test_load_brings_in_every_seed_fact(catalogue):
    leon = Film.objects.get(slug="leon-the-professional")
    assert leon.title == "Léon: The Professional"
    assert leon.year == 1994
    cast = {c.person.name: c.character.name for c in leon.credits.filter(role="cast")}
    assert cast["Jean Reno"] == "Léon"
    assert cast["Natalie Portman"] == "Mathilda Lando"
    assert cast["Gary Oldman"] == "Norman Stansfield"
    assert cast["Danny Aiello"] == "Tony"
    assert len(cast) >= 14
    crew = set(leon.credits.exclude(role="cast").values_list("person__name", "role"))
    assert {
        ("Luc Besson", "director"),
        ("Luc Besson", "writer"),
        ("Éric Serra", "composer"),
    } <= crew
    assert Track.objects.filter(album__film=leon).count() == 23
    shape = Track.objects.get(title="Shape of My Heart")
    assert shape.origin_artist.name == "Sting"
    assert (shape.origin_album, shape.origin_year) == ("Ten Summoner's Tales", 1993)
    musicians = set(shape.credits.values_list("person__name", "role"))
    assert {("Sting", "performer"), ("Sting", "lyrics")} <= musicians
    assert {("Dominic Miller", "guitar"), ("Larry Adler", "harmonica")} <= musicians
    assert Quote.objects.filter(film=leon).count() >= 12
    assert Figure.objects.filter(film=leon).count() == 7
    scores = dict(CriticScore.objects.filter(film=leon).values_list("outlet", "sample_size"))
    assert scores["Rotten Tomatoes"] == 66 and scores["Metacritic"] == 12
    assert Award.objects.filter(film=leon, outcome="won").count() == 2
    assert Award.objects.filter(film=leon, body__startswith="César").count() == 7
    assert Trivia.objects.filter(film=leon).count() >= 20
    assert leon.locations.filter(name="New York City", is_primary=True).exists()
    assert {"Léon", "The Professional", "Leon"} <= set(
        leon.alternative_titles.values_list("title", flat=True)
    )
    besson = Person.objects.get(slug="luc-besson")
    assert besson.credits.filter(role="director").count() == 7
    assert Person.objects.get(slug="eric-serra").aliases.filter(name="Eric Serra").exists()
    assert Character.objects.get(slug="mathilda").aliases.filter(name="Matilda").exists()


def test_no_html_entities_survive(catalogue):
    texts = list(Quote.objects.values_list("lines__text", flat=True))
    texts += list(Film.objects.values_list("plot", flat=True))
    texts += list(Trivia.objects.values_list("text", flat=True))
    assert not [t for t in texts if t and ("&quot;" in t or "&amp;" in t)]


def test_running_twice_changes_nothing(catalogue):
    before = row_counts()
    call_command("load_catalogue", verbosity=0)
    assert row_counts() == before


def test_a_curators_edit_survives_a_reload(catalogue):
    leon = Film.objects.get(slug="leon-the-professional")
    leon.tagline = "A curator's tagline."
    leon.save()
    credit = Credit.objects.get(person__slug="jean-reno", role="cast")
    credit.note = "checked against the credits"
    credit.save()
    call_command("load_catalogue", verbosity=0)
    leon.refresh_from_db()
    credit.refresh_from_db()
    assert leon.tagline == "A curator's tagline."
    assert credit.note == "checked against the credits"


def test_a_curators_deletion_is_not_undone(catalogue):
    Quote.objects.get(key="oh-shit").delete()
    call_command("load_catalogue", verbosity=0)
    assert not Quote.objects.filter(key="oh-shit").exists()


def test_a_new_fact_in_the_data_file_is_added_on_reload(catalogue, tmp_path):
    text = DEFAULT_DATA_FILE.read_text(encoding="utf-8")
    text += '\n[[genres]]\nslug = "noir"\nname = "Neo-noir"\n'
    path = tmp_path / "more.toml"
    path.write_text(text, encoding="utf-8")
    call_command("load_catalogue", file=path, verbosity=0)
    assert SeedRecord.objects.filter(key="films.genre:noir").exists()
    assert apps.get_model("films", "Genre").objects.filter(slug="noir").exists()


def test_unknown_reference_is_a_clear_error_and_loads_nothing(db, tmp_path):
    data = DEFAULT_DATA_FILE.read_text(encoding="utf-8")
    broken = data.replace('person = "jean-reno"', 'person = "jean-renoir"', 1)
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match="jean-renoir"):
        call_command("load_catalogue", file=path, verbosity=0)
    assert Film.objects.count() == 0


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No data file"):
        call_command("load_catalogue", file=tmp_path / "nope.toml")


def test_data_file_prose_is_decoded_and_parses():
    data = tomllib.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    assert data["films"][0]["slug"] == "leon-the-professional"
