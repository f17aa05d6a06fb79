"""The catalogue's forms: how far a reader has watched, and curators' picture uploads."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leonsite.lib.forms import form_helper
from leonsite.lib.images import ACCEPT_ATTRIBUTE
from leonsite.lib.spoilers import Progress

from . import pictures
from .models import Film, Scene

NOTHING, ALL = "nothing", "all"


class ProgressForm(forms.Form):
    """One choice: nothing seen, up to a scene (late scenes named by number only, their
    titles could spoil), or all of it."""

    # Not marked required: the list always holds an answer, so an asterisk would only
    # puzzle; an empty choice is still refused (clean_upto).
    upto = forms.ChoiceField(label=gettext_lazy("How far have you watched?"), required=False)
    # Where to go back to; the view checks it (safe_next), so its length refuses nothing.
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        film: Film,
        progress: Progress | None = None,
        member: bool = False,
        back: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Scenes are named by id: a late scene's slug comes from its title, which could spoil.
        self.scenes = {str(s.pk): s for s in Scene.objects.filter(film=film).order_by("order")}
        choices = [(NOTHING, _("Not seen it yet"))]
        choices += [
            (
                key,
                _("Up to scene %(order)s") % {"order": s.order}
                if s.is_spoiler
                else _("Up to scene %(order)s: %(title)s") % {"order": s.order, "title": s.title},
            )
            for key, s in self.scenes.items()
        ]
        choices.append((ALL, _("I've seen it all")))
        self.fields["upto"].choices = choices  # type: ignore[attr-defined]
        if progress is not None:
            self.initial["upto"] = self._choice_for(progress)
        self.initial["next"] = back
        self.helper = form_helper(
            _("Open what I've seen"),
            action=reverse("films:film-progress", kwargs={"slug": film.slug}),
            form_class="progress-form",
            submit_class="btn-accent btn-sm",
        )
        # A visitor's page carries no CSRF token, so it stays the same for every visitor
        # at this point of the film and can be cached; the view checks the origin.
        self.helper.disable_csrf = not member

    def _choice_for(self, progress: Progress) -> str:
        if progress.seen_all:
            return ALL
        return next((key for key, s in self.scenes.items() if s.order == progress.order), NOTHING)

    def clean_upto(self) -> str:
        upto: str = self.cleaned_data.get("upto") or ""
        if not upto:
            raise forms.ValidationError(_("Choose how far you have watched."), code="required")
        return upto

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upto = cleaned.get("upto")
        cleaned["seen_all"] = upto == ALL
        cleaned["scene"] = self.scenes.get(upto or "")
        return cleaned


class PictureField(forms.FileField):
    """A catalogue picture: the upload is checked and re-encoded while the form is
    cleaned, so a bad file is a form error and nothing of it is stored."""

    widget = forms.ClearableFileInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "accept": ACCEPT_ATTRIBUTE}

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return pictures.prepare(upload)
