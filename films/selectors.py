"""Reads for the catalogue pages, each shaped to a fixed number of queries."""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404

from leonsite.lib.caching import once

from .models import (
    Album,
    Award,
    Character,
    Credit,
    CriticScore,
    Figure,
    Film,
    FilmingLocation,
    Person,
    Quote,
    QuoteLine,
    Scene,
    Track,
    TrackCredit,
    Trivia,
)

TOP_BILLED = 6
QUOTE_TASTE = 3
TRACK_TASTE = 5


def _rank(field: str, order: list):
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(order)],
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def trivia_of(film: Film):
    # Categories in the order of a film's life: made, released, received, remembered.
    rank = _rank("category", list(Trivia.Category.values))
    return Trivia.objects.filter(film=film).select_related("scene").order_by(rank, "pk")


def figures_of(film: Film):
    # Money first (budget, then takings), then attendance: the order a fan reads them in.
    order = [
        Figure.Kind.BUDGET,
        Figure.Kind.BOX_OFFICE,
        Figure.Kind.OPENING_GROSS,
        Figure.Kind.TICKETS,
        Figure.Kind.WEEKS_AT_NUMBER_ONE,
    ]
    rank = _rank("kind", order)
    return Figure.objects.filter(film=film).order_by(rank, "approximate", "region", "pk")


def film_or_404(slug: str) -> Film:
    return get_object_or_404(Film, slug=slug)


def quote_lines_prefetch(lookup: str = "lines") -> Prefetch:
    """A quote's lines with their speakers, for any path that reaches quotes."""
    return Prefetch(lookup, queryset=QuoteLine.objects.select_related("character"))


def quotes_with_lines(film: Film):
    return (
        Quote.objects.filter(film=film)
        .select_related("scene")
        .prefetch_related(quote_lines_prefetch())
        .order_by(F("scene__order").asc(nulls_last=True), "pk")
    )


def cast_of(film: Film):
    return (
        Credit.objects.filter(film=film, role=Credit.Role.CAST)
        .select_related("person", "character")
        .order_by(F("billing_order").asc(nulls_last=True), "person__name")
    )


def crew_of(film: Film):
    return (
        Credit.objects.filter(film=film)
        .exclude(role=Credit.Role.CAST)
        .select_related("person")
        # Director and writer first, as a title's credits read.
        .order_by(_rank("role", list(Credit.Role.values)), "person__name")
    )


def tracks_with_credits():
    return (
        Track.objects.select_related("scene", "origin_artist")
        .prefetch_related(
            Prefetch("credits", queryset=TrackCredit.objects.select_related("person"))
        )
        .order_by("position")
    )


def albums_of(film: Film):
    return (
        Album.objects.filter(film=film)
        .select_related("composer")
        .prefetch_related("certifications", Prefetch("tracks", queryset=tracks_with_credits()))
    )


def film_detail(slug: str) -> dict:
    """The film page's reads. Only the film itself is read here; the rest are handed to
    the template as functions run on first use, so a page served from cached fragments
    (see templates/includes/film_overview.html) skips them."""
    film = film_or_404(slug)

    def facts():
        prefetch_related_objects([film], "genres", "countries", "languages", "alternative_titles")
        return film

    def album():
        return (
            Album.objects.filter(film=film)
            .select_related("composer")
            .prefetch_related("certifications")
            .annotate(track_count=Count("tracks"))
            .first()
        )

    def tracks():
        if not album_once():
            return []
        # A taste: the songs from elsewhere first (the ones fans look for), then the score.
        return list(
            Track.objects.filter(album=album_once())
            .select_related("origin_artist")
            .order_by(F("origin_year").desc(nulls_last=True), "position")[:TRACK_TASTE]
        )

    album_once = once(album)
    return {
        "film": film,
        "film_facts": once(facts),
        "cast": once(lambda: list(cast_of(film)[:TOP_BILLED])),
        "cast_count": once(lambda: Credit.objects.filter(film=film, role=Credit.Role.CAST).count()),
        "crew": once(lambda: list(crew_of(film))),
        "scores": once(lambda: list(CriticScore.objects.filter(film=film))),
        "figures": once(lambda: list(figures_of(film))),
        "album": album_once,
        "tracks": once(tracks),
        "quotes": once(
            lambda: list(
                quotes_with_lines(film)
                .filter(is_spoiler=False)
                .order_by("-is_featured", F("scene__order").asc(nulls_last=True), "pk")[
                    :QUOTE_TASTE
                ]
            )
        ),
    }


def film_trivia(film: Film) -> dict:
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


def scenes_of(film: Film):
    return (
        Scene.objects.filter(film=film)
        .prefetch_related(
            "characters",
            Prefetch("quotes", queryset=Quote.objects.prefetch_related(quote_lines_prefetch())),
            Prefetch("tracks", queryset=Track.objects.order_by("position")),
            "trivia",
        )
        .order_by("order")
    )


def character_detail(film_slug: str, slug: str) -> dict:
    character = get_object_or_404(
        Character.objects.select_related("film").prefetch_related("aliases"),
        film__slug=film_slug,
        slug=slug,
    )
    credits = Credit.objects.filter(character=character).select_related("person")
    quotes = (
        Quote.objects.filter(lines__character=character)
        .distinct()
        .select_related("scene")
        .prefetch_related(quote_lines_prefetch())
        .order_by(F("scene__order").asc(nulls_last=True), "pk")
    )
    scenes = character.scenes.order_by("order")
    trivia = character.trivia.order_by("category", "pk")
    return {
        "character": character,
        "film": character.film,
        "credits": list(credits),
        "quotes": list(quotes),
        "scenes": list(scenes),
        "trivia": list(trivia),
    }


def person_detail(slug: str) -> dict:
    person = get_object_or_404(Person.objects.prefetch_related("aliases"), slug=slug)
    credits = (
        Credit.objects.filter(person=person)
        .select_related("film", "character")
        .order_by("-film__year", "film__title", F("billing_order").asc(nulls_last=True), "role")
    )
    filmography = {}
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
        "trivia": list(person.trivia.select_related("film")),
    }


def quote_detail(pk: int) -> dict:
    quote = get_object_or_404(
        Quote.objects.select_related("film", "scene", "source").prefetch_related(
            quote_lines_prefetch()
        ),
        pk=pk,
    )
    tracks, neighbours = [], []
    if quote.scene_id:
        tracks = list(
            Track.objects.filter(scene_id=quote.scene_id)
            .select_related("album")
            .order_by("position")
        )
        neighbours = list(
            Quote.objects.filter(scene_id=quote.scene_id)
            .exclude(pk=quote.pk)
            .prefetch_related(quote_lines_prefetch())
        )
    return {"quote": quote, "film": quote.film, "tracks": tracks, "neighbours": neighbours}
