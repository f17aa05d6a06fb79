"""The catalogue's Python strings in French: what the page test cannot see because it
only looks for English phrases of four words or more (short labels: credit roles, tabs,
categories), and what no page shows (the progress form's refusals, the search box's
spoken words, the admin's labels)."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from films.admin import FilmAdmin, TimecodeField
from films.models import Award, Credit, Figure, Trivia

pytestmark = pytest.mark.django_db

LEON = "leon-the-professional"


def test_the_film_tabs_are_french_and_english_stays(catalogue):
    french = Client().get(f"/fr/films/{LEON}/").content.decode()
    for label in ("Présentation", "Distribution et équipe", "Bande originale", "Répliques"):
        assert label in french, label
    assert "Anecdotes et prix" in french and "Critiques" in french
    english = Client().get(f"/films/{LEON}/").content.decode()
    assert "Cast &amp; crew" in english and "Trivia &amp; awards" in english


def test_credit_roles_and_trivia_categories_are_french(catalogue):
    cast = Client().get(f"/fr/films/{LEON}/cast/").content.decode()
    assert "Réalisation" in cast and "Musique originale" in cast
    with translation.override("fr"):
        assert Credit.Role.DIRECTOR.label == "Réalisation"
        assert Trivia.Category.RECEPTION.label == "Accueil"
        assert Award.Outcome.WON.label == "Lauréat"
        assert Figure.Kind.TICKETS.label == "Entrées"
    with translation.override("en"):
        assert Credit.Role.DIRECTOR.label == "Director"


def test_the_search_box_script_gets_its_words_in_french(catalogue):
    page = Client().get("/fr/").content.decode()
    assert 'data-suggestions-many="{n} suggestions, flèches pour choisir"' in page
    assert 'data-kind-person="Personne"' in page
    english = Client().get("/").content.decode()
    assert 'data-suggestions-none="No suggestions; press Enter to search"' in english


def test_a_spoiler_match_is_marked_in_french():
    entry = {"url": "/films/x/", "title": "X", "subtitle": "", "inside_spoiler": True}
    with translation.override("fr"):
        html = render_to_string("includes/search_result.html", {"entry": entry})
    assert "Trouvé dans un spoiler" in html.replace("&#x27;", "'")


def test_the_progress_form_refuses_in_french(client, film):
    response = client.post(
        f"/fr/films/{film.slug}/progress/",
        {"upto": "no-such-scene"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    assert response.content.decode() == "Choisissez dans la liste où vous en êtes du film."


def test_the_admins_labels_are_french():
    with translation.override("fr"):
        assert str(FilmAdmin.fieldsets[2][0]) == "Histoire"
        assert str(FilmAdmin.poster_preview.short_description) == "Image actuelle (affiche)"
        field = TimecodeField(label="x")
        with pytest.raises(ValidationError) as refused:
            field.clean("soon")
        assert refused.value.messages == ["Écrivez une durée sous la forme 1:02:03 ou 62:03."]
    with translation.override("en"):
        assert str(FilmAdmin.poster_preview.short_description) == "Current poster"
