"""The curators' tool. Every model keeps a revertible history through django-reversion."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from . import pictures
from .formatting import parse_timecode, timecode
from .forms import PictureField
from .models import (
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
    Still,
    Track,
    TrackCredit,
    Trivia,
)


def thumbnail(image, alt: str, height: int = 60):
    if not image:
        return "—"
    made = [r for r in pictures.renditions(image) if r.format == "JPEG"]
    url = image.storage.url(made[0].name) if made else image.url
    return format_html(
        '<img src="{}" alt="{}" height="{}" class="admin-thumbnail">', url, alt, height
    )


# Uploads are checked and re-encoded as the form is cleaned (films.pictures).
PICTURE_FIELDS: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.ImageField: {"form_class": PictureField}
}


class CatalogueAdmin(VersionAdmin):
    """History (with revert and recover) on every catalogue model; pictures, in the
    model or its inlines, get their renditions once saved."""

    history_latest_first = True
    formfield_overrides = PICTURE_FIELDS

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pictures.after_save(form)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form.instance.pk and inline_form.has_changed():
                pictures.after_save(inline_form)


# -- Vocabularies --------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["title", "kind", "key", "reference"]
    list_filter = ["kind"]
    search_fields = ["title", "key", "reference"]
    prepopulated_fields = {"key": ["title"]}


@admin.register(Genre)
class GenreAdmin(CatalogueAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(CatalogueAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Language)
class LanguageAdmin(CatalogueAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


# -- People ----------------------------------------------------------------------------


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


class CreditOfPersonInline(admin.TabularInline):
    model = Credit
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["film", "character"]
    fields = ["film", "role", "character", "billing_order", "note"]
    show_change_link = True


@admin.register(Person)
class PersonAdmin(CatalogueAdmin):
    list_display = ["name", "photo_thumbnail", "known_for", "credit_count"]
    search_fields = ["name", "aliases__name", "slug"]
    list_filter = ["known_for"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview"]
    fields = ["name", "slug", "known_for", "biography", "photo", "photo_preview", "source"]
    autocomplete_fields = ["source"]
    inlines = [PersonAliasInline, CreditOfPersonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_credit_count=Count("credits"))

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, obj.name, 48)

    @admin.display(description="Current photo")
    def photo_preview(self, obj):
        return thumbnail(obj.photo, obj.name, 200)

    @admin.display(description="Credits", ordering="_credit_count")
    def credit_count(self, obj):
        return obj._credit_count


# -- Films -----------------------------------------------------------------------------


class AlternativeTitleInline(admin.TabularInline):
    model = AlternativeTitle
    extra = 1


class CreditInline(admin.TabularInline):
    model = Credit
    fk_name = "film"
    extra = 1
    autocomplete_fields = ["person", "character", "source"]
    fields = ["billing_order", "person", "role", "character", "note", "source"]
    ordering = ["billing_order", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "character", "source")


class StillInline(admin.StackedInline):
    model = Still
    formfield_overrides = PICTURE_FIELDS
    extra = 0
    autocomplete_fields = ["scene"]
    readonly_fields = ["preview"]
    fields = [
        ("image", "preview"),
        "alt",
        ("caption", "kind"),
        ("credit", "licence"),
        ("scene", "is_spoiler", "order"),
    ]

    @admin.display(description="Current")
    def preview(self, obj):
        return thumbnail(obj.image, obj.alt, 120) if obj.pk else "—"


class CharacterInline(admin.TabularInline):
    model = Character
    extra = 1
    fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class CutInline(admin.TabularInline):
    model = Cut
    extra = 0
    fields = ["position", "name", "slug", "runtime_minutes"]
    prepopulated_fields = {"slug": ["name"]}


class SceneInline(admin.TabularInline):
    model = Scene
    extra = 1
    fields = ["order", "title", "slug", "is_spoiler"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Film)
class FilmAdmin(CatalogueAdmin):
    list_display = ["title", "poster_thumbnail", "year", "release_date", "runtime_minutes"]
    list_filter = ["year", "genres", "countries"]
    search_fields = ["title", "original_title", "alternative_titles__title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["genres", "countries", "languages", "source"]
    readonly_fields = ["poster_preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "original_title", "year", "release_date"]}),
        ("Details", {"fields": ["runtime_minutes", "genres", "countries", "languages", "tagline"]}),
        ("Story", {"fields": ["synopsis", "plot"]}),
        ("Poster and source", {"fields": ["poster", "poster_preview", "source"]}),
    ]
    inlines = [
        AlternativeTitleInline,
        CharacterInline,
        CreditInline,
        CutInline,
        SceneInline,
        StillInline,
    ]

    @admin.display(description="Poster")
    def poster_thumbnail(self, obj):
        return thumbnail(obj.poster, obj.title, 60)

    @admin.display(description="Current poster")
    def poster_preview(self, obj):
        return thumbnail(obj.poster, obj.title, 240)


class CharacterAliasInline(admin.TabularInline):
    model = CharacterAlias
    extra = 1


@admin.register(Character)
class CharacterAdmin(CatalogueAdmin):
    list_display = ["name", "film"]
    list_filter = ["film"]
    list_select_related = ["film"]
    search_fields = ["name", "aliases__name", "film__title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["film"]
    readonly_fields = ["image_preview"]
    fields = ["film", "name", "slug", "description", "image", "image_preview"]
    inlines = [CharacterAliasInline]

    @admin.display(description="Current image")
    def image_preview(self, obj):
        return thumbnail(obj.image, obj.name, 200)


@admin.register(Credit)
class CreditAdmin(CatalogueAdmin):
    list_display = ["person", "role", "character", "film", "billing_order"]
    list_filter = ["role", "film"]
    list_select_related = ["person", "character", "film"]
    search_fields = ["person__name", "character__name", "film__title"]
    autocomplete_fields = ["film", "person", "character", "source"]


class TimecodeField(forms.CharField):
    """A time in the film as people write it ("1:02:03", "62:03"), stored in seconds."""

    MAX_LENGTH = 10

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "h:mm:ss or mm:ss")
        super().__init__(**kwargs)  # no max_length: its validator would see the seconds

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.MAX_LENGTH), "size": "8"}

    def prepare_value(self, value):
        return timecode(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > self.MAX_LENGTH:
            raise ValidationError("Write a time as 1:02:03 or 62:03.", code="timecode")
        try:
            return parse_timecode(value)
        except ValueError as err:
            raise ValidationError("Write a time as 1:02:03 or 62:03.", code="timecode") from err


class SceneTimingForm(forms.ModelForm):
    start_seconds = TimecodeField(label="Starts at")
    end_seconds = TimecodeField(label="Ends at", required=False)

    class Meta:
        model = SceneTiming
        fields = ["cut", "start_seconds", "end_seconds"]


class SceneTimingInline(admin.TabularInline):
    model = SceneTiming
    form = SceneTimingForm
    extra = 0


@admin.register(Cut)
class CutAdmin(CatalogueAdmin):
    list_display = ["name", "film", "runtime_minutes", "position"]
    list_filter = ["film"]
    list_select_related = ["film"]
    search_fields = ["name", "film__title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["film", "source"]


@admin.register(Scene)
class SceneAdmin(CatalogueAdmin):
    list_display = ["order", "title", "film", "is_spoiler"]
    list_display_links = ["title"]
    list_filter = ["film", "is_spoiler"]
    list_select_related = ["film"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["film", "characters"]
    inlines = [SceneTimingInline]


# -- Quotes and facts -----------------------------------------------------------------


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 1
    autocomplete_fields = ["character"]
    fields = ["order", "character", "text"]


@admin.register(Quote)
class QuoteAdmin(CatalogueAdmin):
    list_display = ["__str__", "film", "scene", "is_featured", "is_improvised", "is_spoiler"]
    list_filter = ["film", "is_featured", "is_improvised", "is_spoiler"]
    list_editable = ["is_featured"]
    list_select_related = ["film", "scene"]
    search_fields = ["lines__text", "context", "key"]
    autocomplete_fields = ["film", "scene", "source"]
    inlines = [QuoteLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")


@admin.register(Trivia)
class TriviaAdmin(CatalogueAdmin):
    list_display = ["__str__", "film", "category", "is_spoiler", "source"]
    list_filter = ["category", "is_spoiler", "film", "source"]
    list_select_related = ["film", "source"]
    search_fields = ["text", "key"]
    autocomplete_fields = ["film", "scene", "characters", "people", "source"]


@admin.register(Award)
class AwardAdmin(CatalogueAdmin):
    list_display = ["body", "year", "category", "outcome", "film"]
    list_filter = ["outcome", "body", "year"]
    list_select_related = ["film"]
    search_fields = ["body", "category", "recipients__name"]
    autocomplete_fields = ["film", "recipients", "source"]


@admin.register(CriticScore)
class CriticScoreAdmin(CatalogueAdmin):
    list_display = ["outlet", "display_value", "kind", "sample_size", "film"]
    list_filter = ["kind", "film"]
    list_select_related = ["film"]
    search_fields = ["outlet"]
    autocomplete_fields = ["film", "source"]


@admin.register(Figure)
class FigureAdmin(CatalogueAdmin):
    list_display = ["kind", "region", "display_value", "film"]
    list_filter = ["kind", "region", "film"]
    list_select_related = ["film"]
    search_fields = ["region", "note", "key"]
    autocomplete_fields = ["film", "source"]


@admin.register(FilmingLocation)
class FilmingLocationAdmin(CatalogueAdmin):
    list_display = ["name", "photo_thumbnail", "film", "is_primary"]
    list_filter = ["is_primary", "film"]
    list_select_related = ["film"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["film", "source"]
    readonly_fields = ["photo_preview"]

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, obj.name, 48)

    @admin.display(description="Current photo")
    def photo_preview(self, obj):
        return thumbnail(obj.photo, obj.name, 200)


# -- Soundtrack -----------------------------------------------------------------------


class AlbumCertificationInline(admin.TabularInline):
    model = AlbumCertification
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 1
    fields = ["position", "title", "duration_seconds", "scene", "origin_artist", "origin_album"]
    autocomplete_fields = ["scene", "origin_artist"]
    show_change_link = True


@admin.register(Album)
class AlbumAdmin(CatalogueAdmin):
    list_display = ["title", "cover_thumbnail", "film", "composer", "release_year"]
    list_select_related = ["film", "composer"]
    search_fields = ["title", "film__title", "composer__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["film", "composer", "source"]
    readonly_fields = ["cover_preview"]
    inlines = [AlbumCertificationInline, TrackInline]

    @admin.display(description="Cover")
    def cover_thumbnail(self, obj):
        return thumbnail(obj.cover, obj.title, 48)

    @admin.display(description="Current cover")
    def cover_preview(self, obj):
        return thumbnail(obj.cover, obj.title, 200)


class TrackCreditInline(admin.TabularInline):
    model = TrackCredit
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(Track)
class TrackAdmin(CatalogueAdmin):
    list_display = ["position", "title", "album", "scene"]
    list_display_links = ["title"]
    list_filter = ["album"]
    list_select_related = ["album", "scene"]
    search_fields = ["title", "album__title", "credits__person__name"]
    autocomplete_fields = ["album", "scene", "origin_artist"]
    inlines = [TrackCreditInline]


@admin.register(Still)
class StillAdmin(CatalogueAdmin):
    list_display = ["__str__", "image_thumbnail", "film", "kind", "scene", "order"]
    list_filter = ["film", "kind", "is_spoiler"]
    list_select_related = ["film", "scene"]
    search_fields = ["alt", "caption", "credit"]
    autocomplete_fields = ["film", "scene"]
    readonly_fields = ["image_preview"]

    @admin.display(description="Picture")
    def image_thumbnail(self, obj):
        return thumbnail(obj.image, obj.alt, 48)

    @admin.display(description="Current picture")
    def image_preview(self, obj):
        return thumbnail(obj.image, obj.alt, 200)
