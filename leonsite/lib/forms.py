"""What every form of the site shares: one crispy FormHelper builder and the honeypot."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import screening
from .text import strip_control

# A field people never see (hidden by CSS, aria-hidden, out of the tab order) and that
# form-filling bots fill in.
HONEYPOT = "homepage"
HONEYPOT_ERROR = _("This form could not be sent. If you are a person, please try again.")


def form_helper(
    submit_label: str,
    *,
    action: str = "",
    layout: Layout | None = None,
    method: str = "post",
    form_class: str = "",
    submit_id: str | None = None,
    submit_class: str = "btn-accent",
) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    if action:
        helper.form_action = action
    if form_class:
        helper.form_class = form_class
    if layout is not None:
        helper.layout = layout
    if method == "get":
        helper.disable_csrf = True
    extra = {"css_id": submit_id} if submit_id else {}
    name = "apply" if method == "get" else "submit"
    helper.add_input(Submit(name, submit_label, css_class=submit_class, **extra))
    return helper


class HoneypotMixin(forms.Form):
    """Adds the honeypot field; a form that comes back with it filled is refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            raise ValidationError(HONEYPOT_ERROR, code="honeypot")
        cleaned.pop(HONEYPOT, None)
        return cleaned


class ControlCharactersMixin(forms.Form):
    """Every text field comes back without control characters (they are invisible,
    and an Atom feed cannot carry them at all)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = strip_control(value)
        return cleaned


def honeypot_layout() -> Div:
    return Div(HONEYPOT, css_class="hp-field", aria_hidden="true")


def screened_form(*field_names: str) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    """A ModelForm base (for the admin) that refuses blocked words in these fields with a
    form error, before the save, which goes through the owning app's service."""

    class ScreenedForm(forms.ModelForm):  # type: ignore[type-arg]
        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or {}
            screening.check(*(str(cleaned.get(name) or "") for name in field_names))
            return cleaned

    return ScreenedForm
