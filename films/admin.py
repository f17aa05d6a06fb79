"""The curators' tool. Every model keeps a revertible history through django-reversion."""

import difflib
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from . import corrections, pictures, services
from .formatting import parse_timecode, timecode
from .forms import PictureField
from .models import (
    Album,
    AlbumCertification,
    AlternativeTitle,
    Award,
    Character,
    CharacterAlias,
    Correction,
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


def _current(label: Any) -> str:
    return gettext("Current %(label)s") % {"label": str(label).lower()}


_current_label = lazy(_current, str)


def picture_columns(field: str, alt: str, label: Any, small: int = 48, large: int = 200):
    """A picture field's list column and its preview on the change form."""

    @admin.display(description=label)
    def column(self, obj):
        return thumbnail(getattr(obj, field), getattr(obj, alt), small)

    @admin.display(description=_current_label(label))
    def preview(self, obj):
        return thumbnail(getattr(obj, field), getattr(obj, alt), large)

    return column, preview


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


class TranslatedCatalogueAdmin(TranslationAdmin, CatalogueAdmin):
    """A model with French texts (films/translation.py): each such field shows as its
    English and its French, one under the other; English is required where the field is."""


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

    photo_thumbnail, photo_preview = picture_columns("photo", "name", _("Photo"))

    @admin.display(description=_("Credits"), ordering="_credit_count")
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

    @admin.display(description=_("Current"))
    def preview(self, obj):
        return thumbnail(obj.image, obj.alt, 120) if obj.pk else "—"


class CharacterInline(TranslationTabularInline):
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


class SceneInline(TranslationTabularInline):
    model = Scene
    extra = 1
    fields = ["order", "title", "slug", "is_spoiler"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Film)
class FilmAdmin(TranslatedCatalogueAdmin):
    list_display = ["title", "poster_thumbnail", "year", "release_date", "runtime_minutes"]
    list_filter = ["year", "genres", "countries"]
    search_fields = ["title", "original_title", "alternative_titles__title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["genres", "countries", "languages", "source"]
    readonly_fields = ["poster_preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "original_title", "year", "release_date"]}),
        (
            _("Details"),
            {"fields": ["runtime_minutes", "genres", "countries", "languages", "tagline"]},
        ),
        (_("Story"), {"fields": ["synopsis", "plot"]}),
        (_("Poster and source"), {"fields": ["poster", "poster_preview", "source"]}),
    ]
    inlines = [
        AlternativeTitleInline,
        CharacterInline,
        CreditInline,
        CutInline,
        SceneInline,
        StillInline,
    ]

    poster_thumbnail, poster_preview = picture_columns(
        "poster", "title", _("Poster"), small=60, large=240
    )


class CharacterAliasInline(admin.TabularInline):
    model = CharacterAlias
    extra = 1


@admin.register(Character)
class CharacterAdmin(TranslatedCatalogueAdmin):
    list_display = ["name", "film"]
    list_filter = ["film"]
    list_select_related = ["film"]
    search_fields = ["name", "aliases__name", "film__title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["film"]
    readonly_fields = ["image_preview"]
    fields = ["film", "name", "slug", "description", "image", "image_preview"]
    inlines = [CharacterAliasInline]

    _, image_preview = picture_columns("image", "name", _("Image"))


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
        kwargs.setdefault("help_text", _("h:mm:ss or mm:ss"))
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
            raise ValidationError(_("Write a time as 1:02:03 or 62:03."), code="timecode")
        try:
            return parse_timecode(value)
        except ValueError as err:
            raise ValidationError(_("Write a time as 1:02:03 or 62:03."), code="timecode") from err


class SceneTimingForm(forms.ModelForm):
    start_seconds = TimecodeField(label=_("Starts at"))
    end_seconds = TimecodeField(label=_("Ends at"), required=False)

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
class SceneAdmin(TranslatedCatalogueAdmin):
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
class QuoteAdmin(TranslatedCatalogueAdmin):
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
class TriviaAdmin(TranslatedCatalogueAdmin):
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

    photo_thumbnail, photo_preview = picture_columns("photo", "name", _("Photo"))


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

    cover_thumbnail, cover_preview = picture_columns("cover", "title", _("Cover"))


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

    image_thumbnail, image_preview = picture_columns("image", "alt", _("Picture"))


# -- Fans' corrections ----------------------------------------------------------------------


class CorrectionStatusFilter(admin.SimpleListFilter):
    """Pending suggestions first: the queue opens on them."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Correction.Status.choices, ("all", _("All"))]

    def queryset(self, request, queryset):
        value = self.value() or Correction.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or Correction.Status.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class CorrectionDecisionForm(forms.ModelForm):
    """Accept or reject, with the reason the member reads; a stale suggestion needs
    the curator's confirmation. The decision itself is made by films.services."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: apply the change")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: the member reads it on their profile."),
    )
    confirm_stale = forms.BooleanField(
        label=_("Apply it even though the fact changed since it was suggested"),
        required=False,
    )

    class Meta:
        model = Correction
        fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the suggestion is rejected."))
        if (
            decision == "accept"
            and not cleaned.get("confirm_stale")
            and services.correction_is_stale(self.instance)
        ):
            self.add_error(
                "confirm_stale",
                _("The fact changed since this suggestion was made: confirm to apply it."),
            )
        return cleaned


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The curators' queue of fans' suggestions. Nothing here edits a suggestion: the
    change page shows the before and after and takes a decision."""

    form = CorrectionDecisionForm
    view_on_site = False
    list_display = ["__str__", "kind", "member", "status", "created_at", "decided_by"]
    list_filter = [CorrectionStatusFilter, "kind"]
    list_select_related = ["member", "decided_by"]
    search_fields = ["object_label", "field_label", "proposed_value", "member__username"]
    date_hierarchy = "created_at"
    shown = ["target", "field_label", "changes", "source", "member", "created_at"]
    decided = ["status", "reason", "decided_by", "decided_at"]
    decision_fields = ["decision", "reason", "confirm_stale"]

    class Media:
        css = {"all": ["css/admin-corrections.css"]}

    def _deciding(self, request, obj) -> bool:
        return obj is not None and obj.is_pending and self.has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        if self._deciding(request, obj):
            return self.shown + self.decision_fields
        return self.shown + self.decided

    def get_readonly_fields(self, request, obj=None):
        return self.shown if self._deciding(request, obj) else self.shown + self.decided

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("Object"))
    def target(self, obj):
        kind = corrections.kind_named(obj.kind)
        try:
            target = kind.objects().get(pk=obj.object_id) if kind else None
        except ObjectDoesNotExist:
            target = None
        if target is None:
            return format_html("{} <em>{}</em>", obj.object_label, _("(deleted)"))
        meta = target._meta
        admin_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        return format_html(
            '{} ({}) · <a href="{}">{}</a> · <a href="{}">{}</a>',
            target,
            obj.get_kind_display(),
            target.get_absolute_url(),
            _("page on the site"),
            admin_url,
            _("in the admin, with its history"),
        )

    @admin.display(description=_("Source"))
    def source(self, obj):
        return format_html(
            '<a href="{}" rel="nofollow noopener noreferrer">{}</a>', obj.source_url, obj.source_url
        )

    @admin.display(description=_("Before and after"))
    def changes(self, obj):
        return correction_diff(obj, stale=obj.is_pending and services.correction_is_stale(obj))

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "accept":
                services.correction_accept(
                    correction=obj,
                    curator=request.user,
                    confirm_stale=form.cleaned_data.get("confirm_stale", False),
                )
            elif decision == "reject":
                services.correction_reject(
                    correction=obj, curator=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as err:
            request.correction_refused = err  # told by response_change

    def save_related(self, request, form, formsets, change):
        pass  # a suggestion has nothing related to save

    def log_change(self, request, obj, message):
        pass  # the decision is on the suggestion itself, and in the object's history

    def response_change(self, request, obj):
        refused = getattr(request, "correction_refused", None)
        if refused is not None:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Suggestion #%(pk)s %(status)s.")
            % {"pk": obj.pk, "status": obj.get_status_display().lower()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:films_correction_changelist"))


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def correction_diff(correction: Correction, *, stale: bool = False):
    """The value before and the suggested value, word by word: removed words struck
    through in the first, added ones marked in the second. Every piece is escaped."""
    before, after = _words(correction.current_value), _words(correction.proposed_value)
    old_parts, new_parts = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(before[a1:a2]), "".join(after[b1:b2])
        if op == "equal":
            old_parts.append(format_html("{}", old))
            new_parts.append(format_html("{}", new))
            continue
        if old:
            old_parts.append(format_html('<del class="correction-del">{}</del>', old))
        if new:
            new_parts.append(format_html('<ins class="correction-ins">{}</ins>', new))
    warning = ""
    if stale:
        warning = format_html(
            '<p class="errornote">{}</p>',
            _("The fact changed since this suggestion was made; it now reads otherwise."),
        )
    empty = format_html("<em>{}</em>", _("(empty)"))
    return format_html(
        '{}<div class="correction-diff">'
        '<div><h4>{}</h4><div class="correction-text">{}</div></div>'
        '<div><h4>{}</h4><div class="correction-text">{}</div></div></div>',
        warning,
        _("Before"),
        format_html_join("", "{}", ((p,) for p in old_parts)) or empty,
        _("Suggested"),
        format_html_join("", "{}", ((p,) for p in new_parts)) or empty,
    )
