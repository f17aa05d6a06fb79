"""The catalogue lists' filters. A film, person or album is named by its slug, anything
else by its id; a value that names nothing is a 400 that says so.

A late scene stays out of reach without `?spoilers=include`: filtering quotes, tracks
or trivia by one finds nothing, and scenes filtered by a character leave it out, as
their references to it are left out (serializers.py)."""

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters

from films.models import (
    Album,
    Award,
    Character,
    Credit,
    Figure,
    Film,
    Person,
    Quote,
    QuoteLine,
    Scene,
    Track,
    TrackCredit,
    Trivia,
)
from leonsite.lib.api.fields import include_spoilers
from leonsite.lib.api.filtering import StrictFilterSet


def _film() -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        queryset=Film.objects.all(), to_field_name="slug", help_text="A film's slug."
    )


def _person(field_name: str = "person") -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Person.objects.all(),
        to_field_name="slug",
        help_text="A person's slug.",
    )


def _character(field_name: str = "character", **kwargs) -> filters.ModelChoiceFilter:
    kwargs.setdefault("help_text", "A character's id.")
    return filters.ModelChoiceFilter(
        field_name=field_name, queryset=Character.objects.all(), **kwargs
    )


class SpoilerAwareFilterSet(StrictFilterSet):
    def spoilers(self) -> bool:
        return include_spoilers(self.request)

    def in_scene(self, queryset: QuerySet, name: str, scene: Scene) -> QuerySet:
        if scene.is_spoiler and not self.spoilers():
            return queryset.none()
        return queryset.filter(scene=scene)


def _scene() -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        queryset=Scene.objects.all(),
        method="in_scene",
        help_text="A scene's id (a late scene finds nothing without spoilers=include).",
    )


class FilmFilter(StrictFilterSet):
    year = filters.NumberFilter(help_text="The year of release.")

    class Meta:
        model = Film
        fields = ["year"]


class PersonFilter(StrictFilterSet):
    class Meta:
        model = Person
        fields: list[str] = []


class CharacterFilter(StrictFilterSet):
    film = _film()

    class Meta:
        model = Character
        fields = ["film"]


class CreditFilter(StrictFilterSet):
    film = _film()
    person = _person()
    character = _character()
    role = filters.ChoiceFilter(choices=Credit.Role.choices)

    class Meta:
        model = Credit
        fields = ["film", "person", "character", "role"]


class SceneFilter(SpoilerAwareFilterSet):
    film = _film()
    character = _character("characters", method="with_character")

    class Meta:
        model = Scene
        fields = ["film", "character"]

    def with_character(self, queryset: QuerySet, name: str, character: Character) -> QuerySet:
        scenes = queryset.filter(characters=character)
        return scenes if self.spoilers() else scenes.filter(is_spoiler=False)


class QuoteFilter(SpoilerAwareFilterSet):
    film = _film()
    scene = _scene()
    character = _character(
        "lines__character", method="spoken_by", help_text="A character's id: quotes they speak."
    )

    class Meta:
        model = Quote
        fields = ["film", "scene", "character"]

    def spoken_by(self, queryset: QuerySet, name: str, character: Character) -> QuerySet:
        lines = QuoteLine.objects.filter(quote=OuterRef("pk"), character=character)
        return queryset.filter(Exists(lines))


class AlbumFilter(StrictFilterSet):
    film = _film()

    class Meta:
        model = Album
        fields = ["film"]


class TrackFilter(SpoilerAwareFilterSet):
    film = filters.ModelChoiceFilter(
        field_name="album__film",
        queryset=Film.objects.all(),
        to_field_name="slug",
        help_text="A film's slug.",
    )
    album = filters.ModelChoiceFilter(
        queryset=Album.objects.all(), to_field_name="slug", help_text="An album's slug."
    )
    scene = _scene()

    class Meta:
        model = Track
        fields = ["film", "album", "scene"]


class TrackCreditFilter(StrictFilterSet):
    track = filters.ModelChoiceFilter(queryset=Track.objects.all(), help_text="A track's id.")
    person = _person()
    role = filters.ChoiceFilter(choices=TrackCredit.Role.choices)

    class Meta:
        model = TrackCredit
        fields = ["track", "person", "role"]


class TriviaFilter(SpoilerAwareFilterSet):
    film = _film()
    category = filters.ChoiceFilter(choices=Trivia.Category.choices)
    scene = _scene()
    character = _character(field_name="characters")
    person = _person("people")

    class Meta:
        model = Trivia
        fields = ["film", "category", "scene", "character", "person"]


class AwardFilter(StrictFilterSet):
    film = _film()
    outcome = filters.ChoiceFilter(choices=Award.Outcome.choices)
    person = _person("recipients")

    class Meta:
        model = Award
        fields = ["film", "outcome", "person"]


class FilmFactFilter(StrictFilterSet):
    """Critic scores and filming locations: by film."""

    film = _film()


class FigureFilter(StrictFilterSet):
    film = _film()
    kind = filters.ChoiceFilter(choices=Figure.Kind.choices)

    class Meta:
        model = Figure
        fields = ["film", "kind"]
