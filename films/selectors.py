"""Reads for the catalogue pages, each shaped to a fixed number of queries.

Selectors return rows, querysets or lazy page objects; a missing row raises the model's
DoesNotExist, which views answer with a 404 (leonsite.lib.http.found).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from leonsite.lib import caching
from leonsite.lib.spoilers import NOTHING_SEEN, Progress

from .models import (
    Album,
    Award,
    Character,
    Credit,
    CriticScore,
    Cut,
    Figure,
    Film,
    FilmingLocation,
    Person,
    Quote,
    QuoteLine,
    Scene,
    SceneTiming,
    Still,
    Track,
    TrackCredit,
    Trivia,
    WatchProgress,
)

TOP_BILLED = 6
QUOTE_TASTE = 3
TRACK_TASTE = 5


def _rank(field: str, order: list[str]) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(order)],
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def film_by_slug(slug: str) -> Film:
    return Film.objects.get(slug=slug)


def trivia_of(film: Film) -> QuerySet[Trivia]:
    # Categories in the order of a film's life: made, released, received, remembered.
    rank = _rank("category", list(Trivia.Category.values))
    return Trivia.objects.filter(film=film).select_related("scene", "film").order_by(rank, "pk")


def figures_of(film: Film) -> QuerySet[Figure]:
    # Money first (budget, then takings), then attendance: the order a fan reads them in.
    order = [
        Figure.Kind.BUDGET,
        Figure.Kind.BOX_OFFICE,
        Figure.Kind.OPENING_GROSS,
        Figure.Kind.TICKETS,
        Figure.Kind.WEEKS_AT_NUMBER_ONE,
    ]
    rank = _rank("kind", [str(kind) for kind in order])
    return Figure.objects.filter(film=film).order_by(rank, "approximate", "region", "pk")


def quote_lines_prefetch(lookup: str = "lines") -> Prefetch[Any]:
    """A quote's lines with their speakers, for any path that reaches quotes."""
    return Prefetch(lookup, queryset=QuoteLine.objects.select_related("character"))


def quotes_with_lines(film: Film) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(film=film)
        .select_related("scene")
        .prefetch_related(quote_lines_prefetch())
        .order_by(F("scene__order").asc(nulls_last=True), "pk")
    )


def cast_of(film: Film) -> QuerySet[Credit]:
    return (
        Credit.objects.filter(film=film, role=Credit.Role.CAST)
        .select_related("person", "character")
        .order_by(F("billing_order").asc(nulls_last=True), "person__name")
    )


def crew_of(film: Film) -> QuerySet[Credit]:
    return (
        Credit.objects.filter(film=film)
        .exclude(role=Credit.Role.CAST)
        .select_related("person")
        # Director and writer first, as a title's credits read.
        .order_by(_rank("role", list(Credit.Role.values)), "person__name")
    )


def crew_groups(film: Film) -> dict[str, list[Credit]]:
    """The crew by role, in credit order: {"Director": [...], "Writer": [...]}."""
    groups: dict[str, list[Credit]] = {}
    for credit in crew_of(film):
        groups.setdefault(credit.get_role_display(), []).append(credit)
    return groups


def tracks_with_credits() -> QuerySet[Track]:
    return (
        Track.objects.select_related("scene", "origin_artist")
        .prefetch_related(
            Prefetch("credits", queryset=TrackCredit.objects.select_related("person"))
        )
        .order_by("position")
    )


def albums_of(film: Film) -> QuerySet[Album]:
    return (
        Album.objects.filter(film=film)
        .select_related("composer")
        .prefetch_related("certifications", Prefetch("tracks", queryset=tracks_with_credits()))
    )


class FilmPage:
    """The film page's reads. Only the film is read up front; every other part is read
    the first time a template asks for it, so a page served from its cached fragments
    (templates/includes/film_overview.html) skips those reads altogether."""

    def __init__(self, film: Film) -> None:
        self.film = film

    @cached_property
    def facts(self) -> Film:
        prefetch_related_objects(
            [self.film],
            "genres",
            "countries",
            "languages",
            "alternative_titles",
        )
        return self.film

    @cached_property
    def directors(self) -> list[Credit]:
        return [credit for credit in self.crew if credit.role == Credit.Role.DIRECTOR]

    @cached_property
    def director_names(self) -> str:
        return ", ".join(credit.person.name for credit in self.directors)

    @cached_property
    def stills(self) -> list[Still]:
        return list(Still.objects.filter(film=self.film).select_related("scene"))

    @cached_property
    def cast(self) -> list[Credit]:
        return list(cast_of(self.film)[:TOP_BILLED])

    @cached_property
    def cast_count(self) -> int:
        return Credit.objects.filter(film=self.film, role=Credit.Role.CAST).count()

    @cached_property
    def crew(self) -> list[Credit]:
        return list(crew_of(self.film))

    @cached_property
    def scores(self) -> list[CriticScore]:
        return list(CriticScore.objects.filter(film=self.film))

    @cached_property
    def figures(self) -> list[Figure]:
        return list(figures_of(self.film))

    @cached_property
    def album(self) -> Album | None:
        return (
            Album.objects.filter(film=self.film)
            .select_related("composer")
            .prefetch_related("certifications")
            .annotate(track_count=Count("tracks"))
            .first()
        )

    @cached_property
    def tracks(self) -> list[Track]:
        if self.album is None:
            return []
        # A taste: the songs from elsewhere first (the ones fans look for), then the score.
        return list(
            Track.objects.filter(album=self.album)
            .select_related("origin_artist")
            .order_by(F("origin_year").desc(nulls_last=True), "position")[:TRACK_TASTE]
        )

    @cached_property
    def quotes(self) -> list[Quote]:
        featured_first = (
            quotes_with_lines(self.film)
            .filter(is_spoiler=False)
            .order_by("-is_featured", F("scene__order").asc(nulls_last=True), "pk")
        )
        return list(featured_first[:QUOTE_TASTE])


def film_page(slug: str) -> FilmPage:
    return FilmPage(film_by_slug(slug))


def progress_for(user: Any, film: Film) -> Progress:
    """How far a member has watched the film (nothing seen until they say)."""
    row = (
        WatchProgress.objects.filter(user=user, film=film)
        .select_related("scene")
        .only("seen_all", "scene__order")
        .first()
    )
    if row is None:
        return NOTHING_SEEN
    return Progress(order=row.scene.order if row.scene else None, seen_all=row.seen_all)


def scene_orders(film_slug: str) -> dict[int, int]:
    """Each scene's place in its film (pk -> order), kept in the cache under the
    catalogue's version: a visitor's progress names a scene, and every visitor's page
    asks where that scene falls."""
    key = f"scene-orders:{caching.version('catalogue')}:{film_slug}"
    orders: dict[int, int] | None = cache.get(key)
    if orders is None:
        orders = dict(Scene.objects.filter(film__slug=film_slug).values_list("pk", "order"))
        cache.set(key, orders, 24 * 3600)
    return orders


def progress_by_film(user: Any, film_ids: Iterable[int]) -> dict[int, Progress]:
    """A member's progress through several films (a collection, a person's trivia), in
    one query; films not listed are at nothing seen."""
    rows = (
        WatchProgress.objects.filter(user=user, film_id__in=set(film_ids))
        .select_related("scene")
        .only("film_id", "seen_all", "scene__order")
    )
    return {
        row.film_id: Progress(order=row.scene.order if row.scene else None, seen_all=row.seen_all)
        for row in rows
    }


def cuts_of(film: Film) -> list[Cut]:
    return list(Cut.objects.filter(film=film))


def film_trivia(film: Film) -> dict[str, QuerySet[Any]]:
    """Querysets, read only when the page's cached fragment is rendered afresh."""
    return {
        "trivia": trivia_of(film),
        "awards": (
            Award.objects.filter(film=film)
            .prefetch_related("recipients")
            .order_by("-outcome", F("year").asc(nulls_last=True), "body", "category")
        ),
        "figures": figures_of(film),
        "scores": CriticScore.objects.filter(film=film),
        "locations": FilmingLocation.objects.filter(film=film),
    }


def cut_is_timed(cut: Cut) -> bool:
    return SceneTiming.objects.filter(cut=cut).exists()


def scenes_of(film: Film, cut: Cut | None = None) -> QuerySet[Scene]:
    """The film as a timeline: each scene with who is in it, the lines said, the music
    and the trivia, and its timecodes in `cut` (`scene.timing`, a list of none or one)."""
    timings = SceneTiming.objects.filter(cut=cut) if cut else SceneTiming.objects.none()
    return (
        Scene.objects.filter(film=film)
        .prefetch_related(
            "characters",
            Prefetch("quotes", queryset=Quote.objects.prefetch_related(quote_lines_prefetch())),
            Prefetch("tracks", queryset=Track.objects.order_by("position")),
            Prefetch("trivia", queryset=Trivia.objects.select_related("film").order_by("pk")),
            Prefetch("timings", queryset=timings, to_attr="timing"),
        )
        .order_by("order")
    )


def character_detail(film_slug: str, slug: str) -> dict[str, Any]:
    character = (
        Character.objects.select_related("film")
        .prefetch_related("aliases")
        .get(film__slug=film_slug, slug=slug)
    )
    credits = Credit.objects.filter(character=character).select_related("person")
    quotes = (
        Quote.objects.filter(lines__character=character)
        .distinct()
        .select_related("scene")
        .prefetch_related(quote_lines_prefetch())
        .order_by(F("scene__order").asc(nulls_last=True), "pk")
    )
    return {
        "character": character,
        "film": character.film,
        "credits": list(credits),
        "quotes": list(quotes),
        "scenes": list(character.scenes.order_by("order")),
        "trivia": list(character.trivia.select_related("scene", "film").order_by("category", "pk")),
    }


def person_detail(slug: str) -> dict[str, Any]:
    person = Person.objects.prefetch_related("aliases").get(slug=slug)
    credits = (
        Credit.objects.filter(person=person)
        .select_related("film", "character")
        .order_by("-film__year", "film__title", F("billing_order").asc(nulls_last=True), "role")
    )
    filmography: dict[int, dict[str, Any]] = {}
    for credit in credits:
        entry = filmography.setdefault(credit.film_id, {"film": credit.film, "credits": []})
        entry["credits"].append(credit)
    track_credits = (
        TrackCredit.objects.filter(person=person)
        .select_related("track__album__film")
        .order_by("track__album", "track__position")
    )
    original_songs = Track.objects.filter(origin_artist=person).select_related("album__film")
    awards = person.awards.select_related("film").order_by(
        F("year").asc(nulls_last=True), "body", "category"
    )
    return {
        "person": person,
        "filmography": list(filmography.values()),
        "characters": [c for c in credits if c.character_id],
        "track_credits": list(track_credits),
        "original_songs": list(original_songs),
        "awards": list(awards),
        "trivia": list(person.trivia.select_related("film", "scene")),
    }


def quote_detail(pk: int) -> dict[str, Any]:
    quote = (
        Quote.objects.select_related("film", "scene", "source")
        .prefetch_related(quote_lines_prefetch())
        .get(pk=pk)
    )
    tracks: list[Track] = []
    neighbours: list[Quote] = []
    if quote.scene_id:
        tracks = list(
            Track.objects.filter(scene_id=quote.scene_id)
            .select_related("album")
            .order_by("position")
        )
        neighbours = list(
            Quote.objects.filter(scene_id=quote.scene_id)
            .exclude(pk=quote.pk)
            .select_related("scene")
            .prefetch_related(quote_lines_prefetch())
        )
    return {"quote": quote, "film": quote.film, "tracks": tracks, "neighbours": neighbours}
