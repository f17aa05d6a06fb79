from django import forms
from django.utils.translation import gettext_lazy as _

from films import search

from .lib import theme


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the catalogue"), required=False)
    kind = forms.CharField(required=False)

    def clean_q(self):
        # Oversized queries are cut, not refused: a search box should always answer.
        return self.data.get("q", "")[:200].replace("\x00", "").strip()

    def clean_kind(self):
        kind = self.cleaned_data.get("kind", "")
        return kind if kind in search.KINDS else ""


class ThemeForm(forms.Form):
    """Light, dark, or as the device prefers: the footer's switch, which works without
    JavaScript (the view sets a cookie and sends the visitor back)."""

    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=theme.CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    # Where to go back to; the view checks it (safe_next).
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        # Its ids must not meet those of the page's own forms (the progress form's `next`).
        kwargs.setdefault("auto_id", "theme-%s")
        super().__init__(*args, **kwargs)
