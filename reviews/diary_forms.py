"""The diary's, the watchlist's and the header rating's forms (reviews/diary.py writes)."""

from typing import Any

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leonsite.lib.forms import ControlCharactersMixin, HoneypotMixin, form_helper, honeypot_layout

from . import diary, letterboxd
from .models import DIARY_NOTE_MAX, DIARY_TAGS_MAX, FilmLifeSettings, Review

RATING_ERROR = _("Choose a rating, from half a star to five stars.")


def _rating_field(required: bool) -> forms.TypedChoiceField:
    choices: list[tuple[Any, Any]] = list(Review.RATING_CHOICES)
    if not required:
        choices = [("", _("No rating")), *choices]
    return forms.TypedChoiceField(
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "star-radio"}),
        label=_("Your rating") if required else _("Rating (optional)"),
        error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR},
    )


class RateForm(forms.Form):
    """The header's stars: a rating, or "clear" to take it back."""

    rating = forms.TypedChoiceField(
        choices=[*Review.RATING_CHOICES, ("clear", "clear")],
        coerce=lambda value: None if value == "clear" else int(value),
        error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR},
    )


class WatchlistForm(forms.Form):
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


class DiaryEntryForm(ControlCharactersMixin, HoneypotMixin, forms.Form):
    watched_on = forms.DateField(
        label=_("Date watched"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Say when you watched it."),
            "invalid": _("Give the date as YYYY-MM-DD."),
        },
    )
    rewatch = forms.BooleanField(label=_("I had seen it before (a rewatch)"), required=False)
    liked = forms.BooleanField(label=_("I liked it ♥"), required=False)
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=DIARY_TAGS_MAX,
        help_text=_("Separated by commas: “cinema, with friends”. Up to ten."),
        error_messages={"max_length": _("Keep the tags under %(limit_value)d characters.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=DIARY_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A line or two, up to 500 characters. Write a review for more."),
        error_messages={"max_length": _("Keep the note under %(limit_value)d characters.")},
    )
    link_review = forms.BooleanField(label=_("Link my review of the film"), required=False)

    def __init__(self, *args: Any, film: Any, has_review: bool, submit_label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.film = film
        self.fields["rating"] = _rating_field(required=False)
        self.fields["watched_on"].widget.attrs["max"] = diary.latest_possible_day().isoformat()
        fields = ["watched_on", "rewatch", "rating", "liked", "tags", "note"]
        if has_review:
            fields.append("link_review")
        else:
            del self.fields["link_review"]
        self.helper = form_helper(
            submit_label,
            layout=Layout(
                *(
                    Field(name, template="reviews/fields/optional_star_rating.html")
                    if name == "rating"
                    else name
                    for name in fields
                ),
                honeypot_layout(),
            ),
        )

    def clean_watched_on(self) -> Any:
        watched_on = self.cleaned_data["watched_on"]
        diary.check_watched_on(watched_on, self.film)
        return watched_on

    def clean_tags(self) -> str:
        return diary.normalise_tags(self.cleaned_data["tags"])

    def entry_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "watched_on": data["watched_on"],
            "rewatch": data["rewatch"],
            "rating": data["rating"],
            "liked": data["liked"],
            "tags": data["tags"],
            "note": data["note"],
            "link_review": data.get("link_review", False),
        }


class VisibilityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FilmLifeSettings
        fields = ("diary_visibility", "watchlist_visibility", "activity_visibility")
        widgets = {
            "diary_visibility": forms.RadioSelect,
            "watchlist_visibility": forms.RadioSelect,
            "activity_visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form from before the activity's choice existed keeps the member's current one.
        self.fields["activity_visibility"].required = False
        self.helper = form_helper(gettext("Save"))

    def clean_activity_visibility(self) -> str:
        chosen: str = self.cleaned_data.get("activity_visibility") or ""
        return chosen or self.instance.activity_visibility


class LetterboxdImportForm(forms.Form):
    """A Letterboxd export, read and checked as it is cleaned (reviews/letterboxd.py)."""

    upload = forms.FileField(
        label=_("Your Letterboxd export"),
        help_text=_(
            "The ZIP Letterboxd gives you (Settings → Import & Export → Export your data), "
            "or one of its files: diary.csv, ratings.csv, reviews.csv, watchlist.csv or "
            "likes/films.csv. At most 20 MB."
        ),
        error_messages={
            "required": _("Choose the file to import."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,application/zip,text/csv"}),
    )
    lone_kind = forms.ChoiceField(
        label=_("If you send watchlist.csv or likes/films.csv alone, which is it?"),
        choices=[
            ("", _("Neither: a ZIP or another file")),
            ("watchlist", _("My watchlist")),
            ("likes", _("My liked films")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The two have the same columns, so Leonsite can't tell them apart."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[Any] = []
        self.helper = form_helper(gettext("Preview the import"))
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            try:
                self.rows = letterboxd.read_upload(upload, lone_kind=data.get("lone_kind") or "")
            except letterboxd.BadFile as err:
                self.add_error("upload", err.message)
        return data


class LetterboxdConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
