from types import SimpleNamespace

import pytest

from films.models import Cut, SceneTiming
from tests import factories

API = "/api/v1"


def get_json(client, path, **params):
    """A 200 from the API, as data."""
    response = client.get(path if path.startswith(("http", API)) else API + path, params)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    return response.json()


@pytest.fixture
def spoiled_film(db):
    """A film with something to spoil of every kind, each spoiler text marked SECRET."""
    film = factories.make_film(synopsis="A hitman takes in a girl.", plot="SECRET plot.")
    early = factories.make_scene(film, title="The Job", description="Early on.", order=1)
    late = factories.make_scene(
        film,
        title="SECRET scene title",
        slug="secret-scene-title",
        description="SECRET ending.",
        order=2,
        is_spoiler=True,
    )
    leon = factories.make_character(film, name="Léon", slug="leon")
    factories.make_cast_credit(film, character=leon, billing_order=1)
    early.characters.add(leon)
    late.characters.add(factories.make_character(film, name="A stranger"))
    open_quote = factories.make_quote(
        film, [(leon, "No women, no kids.")], scene=early, context="His rule."
    )
    spoiler_quote = factories.make_quote(
        film,
        [(leon, "SECRET last line.")],
        scene=early,
        is_spoiler=True,
        context="SECRET context.",
        notes="SECRET notes.",
    )
    late_quote = factories.make_quote(film, [(leon, "Said late on.")], scene=late)
    album = factories.make_album(film)
    early_track = factories.make_track(album, scene=early)
    late_track = factories.make_track(album, scene=late)
    open_trivia = factories.make_trivia(film, text="An open fact.", scene=early)
    spoiler_trivia = factories.make_trivia(film, text="SECRET fact.", is_spoiler=True)
    cut = Cut.objects.create(film=film, slug="theatrical", name="Theatrical cut")
    SceneTiming.objects.create(scene=early, cut=cut, start_seconds=62, end_seconds=125)
    return SimpleNamespace(
        film=film, early=early, late=late, leon=leon, open_quote=open_quote,
        spoiler_quote=spoiler_quote, late_quote=late_quote, album=album,
        early_track=early_track, late_track=late_track, open_trivia=open_trivia,
        spoiler_trivia=spoiler_trivia, cut=cut,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _roomy_rate_limit(settings):
    """These tests make many requests from one address; test_http.py checks the limit."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": {"ip": ["100000/m"]}}
