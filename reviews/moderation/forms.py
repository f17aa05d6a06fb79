"""The report form members send, and the moderators' decision and restriction forms."""

from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from leonsite.lib.forms import ControlCharactersMixin, HoneypotMixin, form_helper, honeypot_layout

from .models import MODERATION_REASON_MAX, REPORT_DETAILS_MAX, RemovalReason, Report


def _details_help() -> str:
    return _(
        "What should a moderator know? Plain text, up to %(max)s characters. Only moderators "
        "read it."
    ) % {"max": number_format(REPORT_DETAILS_MAX, force_grouping=True)}


def _details_too_long() -> str:
    # %(show_value)s is filled in by Django's MaxLengthValidator, after this.
    return _("Keep the details under %(max)s characters (they have %(show_value)s).") % {
        "max": number_format(REPORT_DETAILS_MAX, force_grouping=True),
        "show_value": "%(show_value)s",
    }


class ReportForm(ControlCharactersMixin, HoneypotMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Report.MEMBER_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason."), "invalid_choice": _("Choose a reason.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=REPORT_DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_DETAILS_MAX}),
        help_text=lazy(_details_help, str)(),
        error_messages={"max_length": lazy(_details_too_long, str)()},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            gettext("Send report"),
            action=action,
            layout=Layout("reason", "details", honeypot_layout()),
        )


class ReasonFieldsMixin(forms.Form):
    """A reason picked from the removal-reason templates, or written, or both; then one
    submit button per allowed action, each sending its own `action` value."""

    BUTTONS: dict[str, tuple[str | Promise, str]] = {}  # action: (label, button style)
    FIELDS: tuple[str, ...] = ("template", "note")
    FORM_CLASS = ""

    action = forms.ChoiceField()
    template = forms.ChoiceField(label=_("Reason"), required=False)
    note = forms.CharField(
        label=_("Or write a reason"),
        required=False,
        max_length=MODERATION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MODERATION_REASON_MAX}),
        help_text=_("The author reads it."),
    )

    def __init__(
        self,
        *args: Any,
        reasons: list[RemovalReason] = (),  # type: ignore[assignment]
        action_url: str = "",
        actions: list[str] = (),  # type: ignore[assignment]
        id_prefix: str | None = None,
        **kwargs: Any,
    ) -> None:
        # `reasons` is read once per page, however many forms it shows.
        super().__init__(*args, **kwargs)
        self.reasons = {str(r.pk): r for r in reasons}
        self.fields["template"].choices = [("", _("— pick a reason —"))] + [  # type: ignore[attr-defined]
            (str(r.pk), r.title) for r in reasons
        ]
        self.fields["action"].choices = [(k, label) for k, (label, _) in self.BUTTONS.items()]  # type: ignore[attr-defined]
        self.helper = self._helper(actions, action_url, id_prefix)

    def _helper(self, actions: list[str], action_url: str, id_prefix: str | None) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_action = action_url
        helper.form_class = self.FORM_CLASS
        submits = [
            StrictButton(
                self.BUTTONS[action][0],
                type="submit",
                name="action",
                value=action,
                css_class=f"btn btn-sm {self.BUTTONS[action][1]}",
                **({"css_id": f"{id_prefix}{action}"} if id_prefix is not None else {}),
            )
            for action in actions
        ]
        helper.layout = Layout(*self.FIELDS, Div(*submits, css_class="decision-buttons"))
        return helper

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        template = self.reasons.get(cleaned.get("template") or "")
        note = (cleaned.get("note") or "").strip()
        parts = [p for p in (template.message if template else "", note) if p]
        if not parts and not self.errors:
            raise ValidationError(_("Pick a reason or write one."), code="no_reason")
        cleaned["reason"] = "\n\n".join(parts)
        return cleaned


class DecisionForm(ReasonFieldsMixin):
    BUTTONS = {
        "hide": (pgettext_lazy("moderation decision", "Hide"), "btn-danger"),
        "restore": (pgettext_lazy("moderation decision", "Restore"), "btn-success"),
        "dismiss": (_("Dismiss reports"), "btn-outline-secondary"),
        "spoiler": (_("Mark as spoiler"), "btn-outline-dark"),
    }
    FORM_CLASS = "decision-form"


class SanctionForm(ReasonFieldsMixin):
    BUTTONS = {
        "silence": (pgettext_lazy("moderation decision", "Silence"), "btn-warning"),
        "suspend": (pgettext_lazy("moderation decision", "Suspend"), "btn-danger"),
        "unsilence": (_("Lift the silence"), "btn-outline-secondary"),
        "unsuspend": (_("Lift the suspension"), "btn-outline-secondary"),
    }
    FIELDS = ("until", "template", "note")
    FORM_CLASS = "sanction-form"

    until = forms.DateTimeField(
        label=_("Until (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Silence: can read, cannot post. Suspend: cannot log in. Both end by "
            "themselves at this time."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("The member reads it.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("action") in ("silence", "suspend") and not cleaned.get("until"):
            self.add_error("until", _("Pick the date and time it ends."))
        return cleaned
