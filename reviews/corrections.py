"""Fans' corrections of the catalogue, the member's side: the "Suggest a correction"
form (its own page, `/corrections/new/?kind=person&id=12`, no JavaScript needed), the
"Your corrections" section of a member's own profile, and the kind registered with
moderation (suggestions are screened and reportable like every member's text).

The suggestion itself, what may be corrected and the curators' decisions belong to the
catalogue (films.models.Correction, films.corrections, films.services); curators decide
in the admin.
"""

from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from films import corrections, services
from films.models import Correction
from leonsite.accounts.views import published_message
from leonsite.lib import ratelimit
from leonsite.lib.forms import ControlCharactersMixin, HoneypotMixin, form_helper, honeypot_layout
from leonsite.lib.ratelimit import rate_limited

from .moderation.decorators import posting_allowed

PROPOSED_MAX = 10_000
PROFILE_CORRECTIONS = 20


class CorrectionForm(ControlCharactersMixin, HoneypotMixin, forms.Form):
    field = forms.ChoiceField(label=_("Which fact"), widget=forms.RadioSelect)
    proposed_value = forms.CharField(
        label=_("What it should say"),
        required=False,
        max_length=PROPOSED_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The whole corrected text, or the number or date (YYYY-MM-DD)."),
    )
    source_url = forms.URLField(
        label=_("Source"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A link to a page that shows it (http or https)."),
    )

    def __init__(self, *args: Any, facts: list[corrections.Fact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(fact.key, fact.label) for fact in facts]
        self.helper = form_helper(
            gettext("Send my suggestion"),
            layout=Layout("field", "proposed_value", "source_url", honeypot_layout()),
        )


def _target(request: HttpRequest) -> tuple[corrections.CorrectableKind, Any]:
    kind = corrections.kind_named(request.GET.get("kind", ""))
    try:
        pk = int(request.GET.get("id", ""))
    except ValueError:
        pk = 0
    if kind is None or pk <= 0:
        raise Http404("Nothing to correct here.")
    try:
        return kind, kind.objects().get(pk=pk)
    except ObjectDoesNotExist as err:
        raise Http404("Nothing to correct here.") from err


@login_required
@posting_allowed
@rate_limited("correction")
def correction_create(request: HttpRequest) -> HttpResponse:
    kind, obj = _target(request)
    facts = kind.facts(obj)
    initial = {"field": request.GET.get("field", "")}
    form = CorrectionForm(request.POST or None, facts=facts, initial=initial)
    form.helper.form_action = request.get_full_path()
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correction_create(
                member=request.user,
                kind=kind.name,
                obj=obj,
                field=form.cleaned_data["field"],
                proposed=form.cleaned_data["proposed_value"],
                source_url=form.cleaned_data["source_url"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            thanks = gettext("Thanks! Curators will look at your suggestion.")
            messages.success(request, published_message(correction, "suggestion", thanks))
            return redirect(_page_of(obj))
    context = {
        "form": form,
        "kind": kind,
        "object": obj,
        "spoils": _spoils(obj),
        "facts": facts,
        "page": _page_of(obj),
    }
    return render(request, "reviews/correction_form.html", context)


def _spoils(obj: Any) -> bool:
    """A fact that gives the story away (a late scene, a spoiler quote or trivia): the
    page names it by its kind and keeps what it says behind a spoiler guard."""
    scene = getattr(obj, "scene", None)
    return bool(getattr(obj, "is_spoiler", False) or getattr(scene, "is_spoiler", False))


def _page_of(obj: Any) -> str:
    return str(obj.get_absolute_url())


def correction_url(kind: str, pk: int) -> str:
    return f"{reverse('reviews:correction-create')}?{urlencode({'kind': kind, 'id': str(pk)})}"


def link(request: HttpRequest | None, kind: str, pk: int, **_: Any) -> dict[str, Any]:
    """The catalogue's `fact.actions` slot: the same link for every reader (pages are
    cached whole for visitors), which sends a signed-out one to log in first."""
    return {"correction_url": correction_url(kind, pk)}


# The member's own suggestions, on their profile ------------------------------------------


def own_corrections(member: Any) -> QuerySet[Correction]:
    return Correction.objects.filter(member=member).order_by("-created_at", "-pk")


def profile_corrections(
    request: HttpRequest | None, member: Any, is_me: bool = False
) -> dict[str, Any]:
    """Only the member sees their suggestions and what curators decided."""
    if not is_me:
        return {"corrections": None}
    return {"corrections": list(own_corrections(member)[:PROFILE_CORRECTIONS])}


# Moderation: a suggestion is reportable by whoever sees it besides its author -----------


def reportable_corrections(user: Any) -> QuerySet[Correction]:
    """Curators see pending suggestions in their queue, and may report one."""
    if user.is_authenticated and user.has_perm("films.view_correction"):
        return Correction.objects.pending().filter(hidden_at__isnull=True)
    return Correction.objects.none()
