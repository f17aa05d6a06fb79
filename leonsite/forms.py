from django import forms

from films import search


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the catalogue", required=False)
    kind = forms.CharField(required=False)

    def clean_q(self):
        # Oversized queries are cut, not refused: a search box should always answer.
        return self.data.get("q", "")[:200].replace("\x00", "").strip()

    def clean_kind(self):
        kind = self.cleaned_data.get("kind", "")
        return kind if kind in search.KINDS else ""
