"""Every endpoint of the read API runs as many queries with 1,000 rows as with 10: each
row on a page brings its relations in the same few queries, and nothing counts a table.
Rows are written in bulk, each with every relation a serializer reads."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films import search
from films.models import (
    Album,
    AlbumCertification,
    AlternativeTitle,
    Award,
    Character,
    CharacterAlias,
    Country,
    Credit,
    CriticScore,
    Cut,
    Figure,
    Film,
    FilmingLocation,
    Genre,
    Language,
    Person,
    PersonAlias,
    Quote,
    QuoteLine,
    Scene,
    SceneTiming,
    Source,
    Track,
    TrackCredit,
    Trivia,
)
from leonsite.accounts.models import Profile
from reviews.models import CollectionItem, QuoteCollection, Review
from tests.api.conftest import API

pytestmark = pytest.mark.django_db
User = get_user_model()


def build(n, tag):
    """n rows of every kind (and a film, an album and a collection holding n of theirs),
    each with its relations filled, all names carrying `tag`."""
    source = Source.objects.create(key=f"source-{tag}", title="A source")
    genre = Genre.objects.create(slug=f"genre-{tag}", name=f"Genre {tag}")
    country = Country.objects.create(code=tag[:2].upper(), name=f"Country {tag}")
    language = Language.objects.create(code=tag[:8], name=f"Language {tag}")
    films = Film.objects.bulk_create(
        Film(slug=f"{tag}-film-{i}", title=f"Film {i}", year=1994, source=source) for i in range(n)
    )
    film = films[0]
    for through, field, value in [
        (Film.genres.through, "genre", genre),
        (Film.countries.through, "country", country),
        (Film.languages.through, "language", language),
    ]:
        through.objects.bulk_create(through(film=f, **{field: value}) for f in films)
    AlternativeTitle.objects.bulk_create(AlternativeTitle(film=f, title="Alt") for f in films)
    cut = Cut.objects.create(film=film, slug="cut", name="Cut")
    Cut.objects.bulk_create(Cut(film=f, slug="cut", name="Cut") for f in films[1:])
    people = Person.objects.bulk_create(
        Person(slug=f"{tag}-person-{i}", name=f"Person {i}", source=source) for i in range(n)
    )
    PersonAlias.objects.bulk_create(PersonAlias(person=p, name="Alias") for p in people)
    characters = Character.objects.bulk_create(
        Character(film=film, slug=f"character-{i}", name=f"Character {i}") for i in range(n)
    )
    CharacterAlias.objects.bulk_create(CharacterAlias(character=c, name="A") for c in characters)
    Credit.objects.bulk_create(
        Credit(film=film, person=p, role="cast", character=c, billing_order=i + 1, source=source)
        for i, (p, c) in enumerate(zip(people, characters, strict=True))
    )
    scenes = Scene.objects.bulk_create(
        Scene(film=film, slug=f"scene-{i}", order=i + 1, title=f"Scene {i}", is_spoiler=i % 2)
        for i in range(n)
    )
    Scene.characters.through.objects.bulk_create(
        Scene.characters.through(scene=s, character=c)
        for s, c in zip(scenes, characters, strict=True)
    )
    SceneTiming.objects.bulk_create(
        SceneTiming(scene=s, cut=cut, start_seconds=i * 60) for i, s in enumerate(scenes)
    )
    quotes = Quote.objects.bulk_create(
        Quote(film=film, scene=s, is_spoiler=i % 3 == 0, source=source)
        for i, s in enumerate(scenes)
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(quote=q, order=order, character=c, text=f"Line {order}")
        for q, c in zip(quotes, characters, strict=True)
        for order in (1, 2)
    )
    albums = Album.objects.bulk_create(
        Album(slug=f"{tag}-album-{i}", title=f"Album {i}", film=film, composer=people[i])
        for i in range(n)
    )
    AlbumCertification.objects.bulk_create(
        AlbumCertification(album=a, region="Japan", level="Gold") for a in albums
    )
    tracks = Track.objects.bulk_create(
        Track(album=albums[0], position=i + 1, title=f"Track {i}", scene=s, origin_artist=p)
        for i, (s, p) in enumerate(zip(scenes, people, strict=True))
    )
    TrackCredit.objects.bulk_create(
        TrackCredit(track=t, person=p, role=role)
        for t, p in zip(tracks, people, strict=True)
        for role in ("composer", "performer")
    )
    trivia = Trivia.objects.bulk_create(
        Trivia(film=film, category="production", text=f"Fact {i}", scene=s, is_spoiler=i % 2)
        for i, s in enumerate(scenes)
    )
    Trivia.characters.through.objects.bulk_create(
        Trivia.characters.through(trivia=t, character=c)
        for t, c in zip(trivia, characters, strict=True)
    )
    Trivia.people.through.objects.bulk_create(
        Trivia.people.through(trivia=t, person=p) for t, p in zip(trivia, people, strict=True)
    )
    awards = Award.objects.bulk_create(
        Award(film=film, body="Body", year=1995, category=f"Category {i}", outcome="won")
        for i in range(n)
    )
    Award.recipients.through.objects.bulk_create(
        Award.recipients.through(award=a, person=p) for a, p in zip(awards, people, strict=True)
    )
    CriticScore.objects.bulk_create(
        CriticScore(film=film, outlet=f"Outlet {i}", value=3, scale=4) for i in range(n)
    )
    Figure.objects.bulk_create(Figure(film=film, kind="box_office", value=i) for i in range(n))
    FilmingLocation.objects.bulk_create(
        FilmingLocation(film=film, name=f"Place {i}") for i in range(n)
    )
    members = User.objects.bulk_create(
        User(username=f"{tag}-member-{i}", email=f"{tag}-{i}@example.com") for i in range(n)
    )
    Profile.objects.bulk_create(
        Profile(user=u, display_name=f"M{i}") for i, u in enumerate(members)
    )
    Review.objects.bulk_create(
        Review(
            author=u,
            film=film,
            rating=i % 10 + 1,
            body_html=f"<p>Review {i}</p>",
            is_spoiler=i % 4 == 0,
        )  # fmt: skip
        for i, u in enumerate(members)
    )
    collections = QuoteCollection.objects.bulk_create(
        QuoteCollection(owner=u, title=f"Collection {i}", item_count=1)
        for i, u in enumerate(members)
    )
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=c, quote=q, position=1, note="Note")
        for c, q in zip(collections, quotes, strict=True)
    )
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collections[0], quote=q, position=i + 2)
        for i, q in enumerate(quotes[1:])
    )
    return {
        "film": film.slug, "person": people[0].slug, "character": characters[0].pk,
        "credit": Credit.objects.filter(film=film).first().pk, "scene": scenes[0].pk,
        "quote": quotes[0].pk, "album": albums[0].slug, "track": tracks[0].pk,
        "track-credit": TrackCredit.objects.filter(track=tracks[0]).first().pk,
        "trivia": trivia[0].pk, "award": awards[0].pk,
        "critic-score": CriticScore.objects.filter(film=film).first().pk,
        "figure": Figure.objects.filter(film=film).first().pk,
        "location": FilmingLocation.objects.filter(film=film).first().pk,
        "review": Review.objects.filter(film=film).first().pk, "collection": collections[0].pk,
        "member": members[0].username,
    }  # fmt: skip


LISTS = [
    "films", "people", "characters", "credits", "scenes", "quotes", "albums", "tracks",
    "track-credits", "trivia", "awards", "critic-scores", "figures", "locations", "reviews",
    "collections",
]  # fmt: skip
ITEMS = {
    "film": "films", "person": "people", "character": "characters", "credit": "credits",
    "scene": "scenes", "quote": "quotes", "album": "albums", "track": "tracks",
    "track-credit": "track-credits", "trivia": "trivia", "award": "awards",
    "critic-score": "critic-scores", "figure": "figures", "location": "locations",
    "review": "reviews", "collection": "collections", "member": "members",
}  # fmt: skip
# Filters that read the row they name (one query each).
FILTERED = {
    "quotes": "film={film}&character={character}",
    "tracks": "album={album}",
    "reviews": "film={film}&rating=1",
    "trivia": "person={person}",
    "scenes": "character={character}&spoilers=include",
}


def endpoints(keys):
    """(name, url) of every endpoint but search (below): each list's first page of 100, each
    kind of item, the filters that read the row they name, and the index."""
    urls = [(f"{path} list", f"{API}/{path}/?page_size=100") for path in LISTS]
    urls += [(f"{path} item", f"{API}/{path}/{keys[name]}/") for name, path in ITEMS.items()]
    urls += [
        (f"{path} filtered", f"{API}/{path}/?{query.format(**keys)}")
        for path, query in FILTERED.items()
    ]
    return [*urls, ("index", f"{API}/")]


def counts(client, keys):
    found = {}
    for name, url in endpoints(keys):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        found[name] = len(queries)
    return found


def test_every_endpoint_runs_the_same_queries_at_10_and_at_1000_rows(client):
    at_ten = counts(client, build(10, "small"))
    at_thousand = counts(client, build(1000, "big"))
    assert at_thousand == at_ten
    print("\n".join(f"{name}: {n}" for name, n in at_ten.items()))


def test_search_runs_the_same_queries_at_10_and_at_1000_matches(client):
    def matches(n, tag):
        Film.objects.bulk_create(
            Film(slug=f"{tag}-{i}", title=f"Mathilda {tag} {i}", year=1994) for i in range(n)
        )
        reviews = build_reviews(n, tag)
        search.reindex("film")
        search.reindex("review")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/search/?q=mathilda&limit=50")
        assert response.status_code == 200
        assert response.json()["counts"]["film"] >= min(n, search.CANDIDATES) and reviews
        return len(queries)

    assert matches(10, "small") == matches(1000, "big")


def build_reviews(n, tag):
    film = Film.objects.create(slug=f"{tag}-reviewed", title="Reviewed", year=1994)
    members = User.objects.bulk_create(User(username=f"{tag}-fan-{i}") for i in range(n))
    Profile.objects.bulk_create(Profile(user=u) for u in members)
    return Review.objects.bulk_create(
        Review(author=u, film=film, rating=8, body_html="<p>Mathilda!</p>") for u in members
    )
