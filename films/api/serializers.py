"""The catalogue as JSON: every resource with its id (and slug where it has one), its
API URL, its page on the site, and links to what it points at.

Spoilers are left out unless the request asks for them (leonsite.lib.api): a spoiler
quote's lines, context and notes, spoiler trivia, the plot, and a late scene whole: its
title, description and characters, and every reference to it from a quote, a track or
a fact. What is left out is null, never an empty string, so a client can tell.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from films.models import (
    Album,
    AlbumCertification,
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
    Source,
    Track,
    TrackCredit,
    Trivia,
)
from leonsite.lib.api.fields import GuardedField, LinksField, PageField, PictureField


def _late_scene(scene: Scene | None) -> bool:
    return scene is not None and scene.is_spoiler


def _scene_of(item: Any) -> bool:
    """A reference to a late scene spoils."""
    return _late_scene(item.scene)


# References: what a resource says of another, with the link to it ----------------------


class FilmRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:film-detail", lookup_field="slug")

    class Meta:
        model = Film
        fields = ["id", "slug", "title", "year", "url"]


class PersonRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "url"]


class CharacterRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:character-detail")

    class Meta:
        model = Character
        fields = ["id", "slug", "name", "url"]


class SceneRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scene-detail")
    title = GuardedField(serializers.CharField(), spoils=lambda scene: scene.is_spoiler)

    class Meta:
        model = Scene
        fields = ["id", "order", "title", "is_spoiler", "url"]


class AlbumRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:album-detail", lookup_field="slug")

    class Meta:
        model = Album
        fields = ["id", "slug", "title", "url"]


class TrackRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:track-detail")

    class Meta:
        model = Track
        fields = ["id", "position", "title", "url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "title", "kind", "reference"]


class CitedSerializer(serializers.ModelSerializer):
    """A fact with the source it came from (a seed document or a curator's citation), as
    `source`: a name every serializer field also has as an attribute, so it is added here
    rather than declared on the class."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "source" in fields:
            fields["source"] = SourceSerializer(read_only=True, allow_null=True)
        return fields


def guarded_scene() -> GuardedField:
    """The scene an item belongs to, left out when it is a late one."""
    return GuardedField(SceneRef(), spoils=_scene_of)


def film_links(**names: str) -> LinksField:
    """Links to lists filtered on this film: name=view name (filtered by ?film=<slug>)."""
    return LinksField(**{name: (view, "film", "slug") for name, view in names.items()})


# The film ---------------------------------------------------------------------------------


class NamedCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class GenreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class AlternativeTitleSerializer(serializers.Serializer):
    title = serializers.CharField()
    note = serializers.CharField()


class CutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cut
        fields = ["id", "slug", "name", "runtime_minutes"]


class FilmSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:film-detail", lookup_field="slug")
    page = PageField()
    alternative_titles = AlternativeTitleSerializer(many=True, read_only=True)
    genres = GenreSerializer(many=True, read_only=True)
    countries = NamedCodeSerializer(many=True, read_only=True)
    languages = NamedCodeSerializer(many=True, read_only=True)
    plot = GuardedField(serializers.CharField(), spoils=lambda film: True)
    poster = PictureField("poster")
    cuts = CutSerializer(many=True, read_only=True)
    links = film_links(
        credits="api:credit-list",
        characters="api:character-list",
        scenes="api:scene-list",
        quotes="api:quote-list",
        albums="api:album-list",
        tracks="api:track-list",
        trivia="api:trivia-list",
        awards="api:award-list",
        critic_scores="api:critic-score-list",
        figures="api:figure-list",
        locations="api:location-list",
    )

    class Meta:
        model = Film
        fields = [
            "id", "slug", "url", "page", "title", "original_title", "alternative_titles",
            "year", "release_date", "runtime_minutes", "countries", "languages", "genres",
            "tagline", "synopsis", "plot", "poster", "cuts", "source", "links",
        ]  # fmt: skip


# People, characters, credits ----------------------------------------------------------------


class PersonSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    page = PageField()
    aliases: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    photo = PictureField("photo")
    links = LinksField(
        credits=("api:credit-list", "person", "slug"),
        track_credits=("api:track-credit-list", "person", "slug"),
        awards=("api:award-list", "person", "slug"),
        trivia=("api:trivia-list", "person", "slug"),
    )

    class Meta:
        model = Person
        fields = [
            "id", "slug", "url", "page", "name", "aliases", "known_for", "biography", "photo",
            "source", "links",
        ]  # fmt: skip


class CharacterSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:character-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    aliases: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    played_by = serializers.SerializerMethodField()
    image = PictureField("image")
    links = LinksField(
        quotes=("api:quote-list", "character", "pk"),
        credits=("api:credit-list", "character", "pk"),
        scenes=("api:scene-list", "character", "pk"),
        trivia=("api:trivia-list", "character", "pk"),
    )

    class Meta:
        model = Character
        fields = [
            "id", "slug", "url", "page", "film", "name", "aliases", "description", "played_by",
            "image", "links",
        ]  # fmt: skip

    @extend_schema_field(PersonRef(many=True))
    def get_played_by(self, character: Character) -> Any:
        people = {credit.person_id: credit.person for credit in character.credits.all()}
        return PersonRef(list(people.values()), many=True, context=self.context).data


class CreditSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:credit-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    person = PersonRef(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    character = CharacterRef(read_only=True, allow_null=True)

    class Meta:
        model = Credit
        fields = [
            "id", "url", "page", "film", "person", "role", "role_label", "character",
            "billing_order", "note", "source",
        ]  # fmt: skip


# Scenes and quotes --------------------------------------------------------------------------


class TimingSerializer(serializers.ModelSerializer):
    cut = CutSerializer(read_only=True)

    class Meta:
        model = SceneTiming
        fields = ["cut", "start_seconds", "end_seconds"]


class SceneSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scene-detail")
    # A late scene's slug (and its page's anchor) is made from its title: it spoils too.
    slug = GuardedField(serializers.SlugField(), spoils=lambda scene: scene.is_spoiler)
    page = GuardedField(PageField(), spoils=lambda scene: scene.is_spoiler)
    film = FilmRef(read_only=True)
    title = GuardedField(serializers.CharField(), spoils=lambda scene: scene.is_spoiler)
    description = GuardedField(serializers.CharField(), spoils=lambda scene: scene.is_spoiler)
    characters = GuardedField(
        CharacterRef(many=True, read_only=True), spoils=lambda scene: scene.is_spoiler
    )
    timings = TimingSerializer(many=True, read_only=True)
    links = LinksField(
        quotes=("api:quote-list", "scene", "pk"),
        tracks=("api:track-list", "scene", "pk"),
        trivia=("api:trivia-list", "scene", "pk"),
    )

    class Meta:
        model = Scene
        fields = [
            "id", "slug", "url", "page", "film", "order", "title", "description", "is_spoiler",
            "characters", "timings", "links",
        ]  # fmt: skip


def _quote_spoils(item: Any) -> bool:
    quote = item if isinstance(item, Quote) else item.quote
    return bool(quote.is_spoiler)


class QuoteLineSerializer(serializers.ModelSerializer):
    text = GuardedField(serializers.CharField(), spoils=_quote_spoils)
    character = CharacterRef(read_only=True, allow_null=True)

    class Meta:
        model = QuoteLine
        fields = ["order", "text", "character"]


class QuoteSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:quote-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    scene = guarded_scene()
    lines = QuoteLineSerializer(many=True, read_only=True)
    # A field named like Field.context: the serializer's metaclass takes it off the class.
    context = GuardedField(serializers.CharField(), spoils=_quote_spoils)  # type: ignore[assignment]
    notes = GuardedField(serializers.CharField(), spoils=_quote_spoils)

    class Meta:
        model = Quote
        fields = [
            "id", "url", "page", "film", "scene", "lines", "context", "notes", "is_spoiler",
            "is_improvised", "is_featured", "source",
        ]  # fmt: skip


class QuoteRef(serializers.ModelSerializer):
    """A quote where another resource names it (a collection's item): its first line
    (null when it spoils) and who speaks."""

    url = serializers.HyperlinkedIdentityField(view_name="api:quote-detail")
    film = FilmRef(read_only=True)
    text = GuardedField(serializers.SerializerMethodField(), spoils=_quote_spoils)
    speakers = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = ["id", "url", "film", "text", "speakers", "is_spoiler"]

    def get_text(self, quote: Quote) -> str:
        return " ".join(line.text for line in quote.lines.all())

    def get_speakers(self, quote: Quote) -> list[str]:
        names = (line.character.name for line in quote.lines.all() if line.character)
        return list(dict.fromkeys(names))


# The soundtrack -------------------------------------------------------------------------------


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlbumCertification
        fields = ["region", "level", "year", "note"]


class AlbumSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:album-detail", lookup_field="slug")
    page = PageField()
    film = FilmRef(read_only=True)
    composer = PersonRef(read_only=True, allow_null=True)
    cover = PictureField("cover")
    certifications = CertificationSerializer(many=True, read_only=True)
    links = LinksField(tracks=("api:track-list", "album", "slug"))

    class Meta:
        model = Album
        fields = [
            "id", "slug", "url", "page", "film", "title", "composer", "release_year",
            "description", "cover", "certifications", "source", "links",
        ]  # fmt: skip


class TrackCreditSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:track-credit-detail")
    track = TrackRef(read_only=True)
    person = PersonRef(read_only=True)

    class Meta:
        model = TrackCredit
        fields = ["id", "url", "track", "person", "role", "note"]


class TrackCreditInTrack(TrackCreditSerializer):
    class Meta(TrackCreditSerializer.Meta):
        fields = ["id", "url", "person", "role", "note"]


class TrackSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:track-detail")
    page = PageField()
    album = AlbumRef(read_only=True)
    scene = guarded_scene()
    origin_artist = PersonRef(read_only=True, allow_null=True)
    credits = TrackCreditInTrack(many=True, read_only=True)

    class Meta:
        model = Track
        fields = [
            "id", "url", "page", "album", "position", "title", "duration_seconds", "scene",
            "notes", "origin_artist", "origin_album", "origin_year", "credits",
        ]  # fmt: skip


# Facts ------------------------------------------------------------------------------------------


class TriviaSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:trivia-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    text = GuardedField(serializers.CharField(), spoils=lambda item: item.is_spoiler)
    scene = GuardedField(SceneRef(), spoils=lambda item: item.is_spoiler or _scene_of(item))
    characters = CharacterRef(many=True, read_only=True)
    people = PersonRef(many=True, read_only=True)

    class Meta:
        model = Trivia
        fields = [
            "id", "url", "page", "film", "category", "text", "is_spoiler", "scene",
            "characters", "people", "source",
        ]  # fmt: skip


class AwardSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:award-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    recipients = PersonRef(many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id", "url", "page", "film", "body", "year", "category", "outcome", "recipients",
            "source",
        ]  # fmt: skip


class CriticScoreSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:critic-score-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    display = serializers.CharField(source="display_value", read_only=True)

    class Meta:
        model = CriticScore
        fields = [
            "id", "url", "page", "film", "outlet", "kind", "value", "scale", "display",
            "sample_size", "sample_label", "note", "source",
        ]  # fmt: skip


class FigureSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:figure-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    display = serializers.CharField(source="display_value", read_only=True)

    class Meta:
        model = Figure
        fields = [
            "id", "url", "page", "film", "kind", "region", "value", "currency", "approximate",
            "converted_usd", "display", "note", "source",
        ]  # fmt: skip


class LocationSerializer(CitedSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:location-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    photo = PictureField("photo")

    class Meta:
        model = FilmingLocation
        fields = [
            "id", "url", "page", "film", "name", "description", "is_primary", "photo", "source",
        ]  # fmt: skip
