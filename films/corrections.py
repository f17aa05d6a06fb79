"""What fans may suggest a correction to: the correctable kinds of the catalogue and,
for each, the fields curators edit. The one list the suggestion form, the curators'
queue and the service that applies an accepted suggestion all read.

A fact is one field of one row. A quote's lines are facts of the quote (a line's text),
so a suggestion always names the object whose page it came from, and the applied change
shows in that object's history.

A text curators also write in French (films/translation.py) is corrected in English, its
`_en` column, whatever language the member reads: a suggestion made on a French page is
about the English the page falls back to, never mixed into the other language.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .models import Character, Film, Person, Quote, QuoteLine, Scene, Track, Trivia


@dataclass(frozen=True)
class Fact:
    """One correctable field: `key` names it in a suggestion ("name", "line-12")."""

    key: str
    label: str
    row: models.Model  # the row that holds the field
    attname: str

    @property
    def model_field(self) -> models.Field:
        field = type(self.row)._meta.get_field(self.attname)
        assert isinstance(field, models.Field)
        return field

    @property
    def current(self) -> str:
        """The field's value as text, as a suggestion stores it."""
        return as_text(self.model_field, getattr(self.row, self.attname))

    def parse(self, text: str) -> Any:
        """The proposed text as the field's value, validated by the field itself (its
        form field's parsing, then its own validators: length, range, blank)."""
        field = self.model_field
        value = field.formfield(required=not field.blank).clean(text.strip())  # type: ignore[union-attr]
        if value is None and (
            not field.null or isinstance(field, (models.CharField, models.TextField))
        ):
            value = ""
        field.clean(value, self.row)
        return value


def as_text(field: models.Field, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(field, models.DateField):
        return str(value.isoformat())
    return str(value)


@dataclass(frozen=True)
class CorrectableKind:
    name: str  # in URLs: ?kind=person
    label: Any
    model: type[models.Model]
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()  # select_related when the object is loaded
    extra_facts: Callable[[Any], list[Fact]] | None = None

    def facts(self, obj: Any) -> list[Fact]:
        meta = self.model._meta
        facts = [
            Fact(
                name,
                str(meta.get_field(name).verbose_name).capitalize(),  # type: ignore[union-attr]
                obj,
                english_column(self.model, name),
            )
            for name in self.fields
        ]
        if self.extra_facts is not None:
            facts += self.extra_facts(obj)
        return facts

    def fact(self, obj: Any, key: str) -> Fact:
        for fact in self.facts(obj):
            if fact.key == key:
                return fact
        raise ValidationError(_("Choose one of the fields of this page."), code="field")

    def objects(self) -> models.QuerySet[Any]:
        return self.model._default_manager.select_related(*self.related)


def english_column(model: type[models.Model], name: str) -> str:
    """The field that holds a fact's English: its `_en` column when it is translated."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return name
    return f"{name}_{settings.LANGUAGE_CODE}" if name in translated else name


def _quote_lines(quote: Quote) -> list[Fact]:
    lines = QuoteLine.objects.filter(quote=quote).order_by("order")
    return [
        Fact(f"line-{line.pk}", str(_("Line %(order)s") % {"order": line.order}), line, "text")
        for line in lines
    ]


KINDS: dict[str, CorrectableKind] = {
    kind.name: kind
    for kind in (
        CorrectableKind(
            "film",
            _("film"),
            Film,
            ("title", "tagline", "synopsis", "runtime_minutes", "release_date"),
        ),
        CorrectableKind("person", _("person"), Person, ("name", "biography", "known_for")),
        CorrectableKind("character", _("character"), Character, ("name", "description"), ("film",)),
        CorrectableKind(
            "quote", _("quote"), Quote, ("context",), ("film",), extra_facts=_quote_lines
        ),
        CorrectableKind("track", _("track"), Track, ("title", "duration_seconds"), ("album",)),
        CorrectableKind("trivia", _("trivia"), Trivia, ("text",), ("film",)),
        CorrectableKind("scene", _("scene"), Scene, ("title", "description"), ("film",)),
    )
}


def kind_named(name: str) -> CorrectableKind | None:
    return KINDS.get(name)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, str(kind.label)) for kind in KINDS.values()]
