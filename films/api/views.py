"""The catalogue's read endpoints: each a list (paged by cursor, filtered) and its items,
read in a fixed number of queries whatever the page size or the size of the catalogue.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from films.models import (
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
    Scene,
    SceneTiming,
    Track,
    TrackCredit,
    Trivia,
)
from films.selectors import quote_lines_prefetch
from leonsite.lib.api.views import ReadOnlyViewSet

from . import filters, serializers

SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]+"


def _described(noun: str, plural: str = ""):
    """The schema's summaries for a resource's list and item."""
    plural = plural or noun + "s"
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"The catalogue's {plural}, paged by cursor and filtered.",
        ),
        retrieve=extend_schema(summary=f"One {noun}", description=f"One of the {plural}."),
    )


class CatalogueViewSet(ReadOnlyViewSet):
    cache_namespaces = ("catalogue",)
    lookup_value_regex = ID


@_described("film")
class FilmViewSet(CatalogueViewSet):
    serializer_class = serializers.FilmSerializer
    filterset_class = filters.FilmFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    queryset = Film.objects.select_related("source").prefetch_related(
        "alternative_titles", "genres", "countries", "languages", "cuts"
    )


@_described("person", "people")
class PersonViewSet(CatalogueViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    queryset = Person.objects.select_related("source").prefetch_related("aliases")


@_described("character")
class CharacterViewSet(CatalogueViewSet):
    serializer_class = serializers.CharacterSerializer
    filterset_class = filters.CharacterFilter
    queryset = Character.objects.select_related("film").prefetch_related(
        "aliases", Prefetch("credits", queryset=Credit.objects.select_related("person"))
    )


@_described("credit")
class CreditViewSet(CatalogueViewSet):
    serializer_class = serializers.CreditSerializer
    filterset_class = filters.CreditFilter
    queryset = Credit.objects.select_related("film", "person", "character", "source")


@_described("scene")
class SceneViewSet(CatalogueViewSet):
    serializer_class = serializers.SceneSerializer
    filterset_class = filters.SceneFilter
    queryset = Scene.objects.select_related("film").prefetch_related(
        "characters",
        Prefetch("timings", queryset=SceneTiming.objects.select_related("cut").order_by("cut")),
    )


@_described("quote")
class QuoteViewSet(CatalogueViewSet):
    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilter
    queryset = Quote.objects.select_related("film", "scene", "source").prefetch_related(
        quote_lines_prefetch()
    )


@_described("album")
class AlbumViewSet(CatalogueViewSet):
    serializer_class = serializers.AlbumSerializer
    filterset_class = filters.AlbumFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    queryset = Album.objects.select_related("film", "composer", "source").prefetch_related(
        "certifications"
    )


@_described("track")
class TrackViewSet(CatalogueViewSet):
    serializer_class = serializers.TrackSerializer
    filterset_class = filters.TrackFilter
    queryset = Track.objects.select_related(
        "album__film", "scene", "origin_artist"
    ).prefetch_related(Prefetch("credits", queryset=TrackCredit.objects.select_related("person")))


@_described("track credit")
class TrackCreditViewSet(CatalogueViewSet):
    serializer_class = serializers.TrackCreditSerializer
    filterset_class = filters.TrackCreditFilter
    queryset = TrackCredit.objects.select_related("track", "person")


@_described("trivia fact")
class TriviaViewSet(CatalogueViewSet):
    serializer_class = serializers.TriviaSerializer
    filterset_class = filters.TriviaFilter
    queryset = Trivia.objects.select_related("film", "scene", "source").prefetch_related(
        "characters", "people"
    )


@_described("award")
class AwardViewSet(CatalogueViewSet):
    serializer_class = serializers.AwardSerializer
    filterset_class = filters.AwardFilter
    queryset = Award.objects.select_related("film", "source").prefetch_related("recipients")


@_described("critic score")
class CriticScoreViewSet(CatalogueViewSet):
    serializer_class = serializers.CriticScoreSerializer
    filterset_class = filters.FilmFactFilter
    queryset = CriticScore.objects.select_related("film", "source")


@_described("figure")
class FigureViewSet(CatalogueViewSet):
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilter
    queryset = Figure.objects.select_related("film", "source")


@_described("filming location")
class LocationViewSet(CatalogueViewSet):
    serializer_class = serializers.LocationSerializer
    filterset_class = filters.FilmFactFilter
    queryset = FilmingLocation.objects.select_related("film", "source")
