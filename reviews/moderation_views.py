"""The moderators' pages: the queue, the log and a member's record.

Moderators only (`reviews.moderate`; restricting members also needs
`reviews.sanction_member`): anonymous visitors go to the login page, other members get a
403. Every decision is a POST to reviews/moderation.py, which logs it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from leonsite.lib.ratelimit import client_ip

from . import moderation, selectors
from .forms import DecisionForm, SanctionForm

QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50

moderator_required = permission_required("reviews.moderate", raise_exception=True)
sanction_required = permission_required("reviews.sanction_member", raise_exception=True)


def _back(request, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _actions_for(entry_item, kind: str) -> list[str]:
    if entry_item is None:
        return []
    actions = ["restore"] if entry_item.is_hidden else []
    if entry_item.hidden_cause != "moderator":
        actions.append("hide")
    actions.append("dismiss")
    if kind == "review":
        actions.append("spoiler")
    return actions


def _decision_form(kind, item, reasons, **kwargs):
    prefix = f"{kind}-{item.pk}-"
    return DecisionForm(
        reasons=reasons,
        action_url=reverse("reviews:moderation-decide", args=[kind, item.pk]),
        actions=_actions_for(item, kind),
        auto_id=f"d-{prefix}%s",
        prefix_id=f"d-{prefix}",
        **kwargs,
    )


@login_required
@moderator_required
def queue(request):
    page = Paginator(selectors.queue_groups(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    entries = selectors.queue_entries(page.object_list)
    reasons = selectors.removal_reasons()
    for entry in entries:
        entry.form = (
            _decision_form(entry.kind, entry.item, reasons) if entry.item is not None else None
        )
    context = {"page_obj": page, "entries": entries}
    return render(request, "moderation/queue.html", context)


@login_required
@moderator_required
@require_POST
def decide(request, kind, pk):
    item = selectors.moderation_item(kind, pk)
    back = _back(request, reverse("reviews:moderation-queue"))
    form = _decision_form(kind, item, selectors.removal_reasons(), data=request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        decision = moderation.decide(
            moderator=request.user,
            item=item,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as err:
        for message in err.messages:
            messages.error(request, message)
    else:
        (messages.success if decision.changed else messages.info)(request, decision.message)
    return redirect(back)


@login_required
@moderator_required
def log(request):
    page = Paginator(selectors.moderation_log(), LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page_obj": page, "entries": page.object_list})


def _sanction_actions(profile) -> list[str]:
    actions = ["silence", "suspend"]
    if profile is not None and profile.is_silenced:
        actions.append("unsilence")
    if profile is not None and profile.is_suspended:
        actions.append("unsuspend")
    return actions


@login_required
@moderator_required
def member(request, username):
    person = selectors.member_for_moderation(username)
    profile = getattr(person, "profile", None)
    history = selectors.histories([person.pk], limit=selectors.MEMBER_HISTORY)[person.pk]
    form = None
    if request.user.has_perm("reviews.sanction_member") and person.pk != request.user.pk:
        form = SanctionForm(
            reasons=selectors.removal_reasons(),
            action_url=reverse("reviews:moderation-sanction", args=[person.username]),
            actions=_sanction_actions(profile),
        )
    context = {
        "person": person,
        "profile": profile,
        "history": history,
        "collections": selectors.member_collections(person),
        "reports_made": selectors.reports_made_by(person),
        "form": form,
    }
    return render(request, "moderation/member.html", context)


@login_required
@moderator_required
@sanction_required
@require_POST
def sanction(request, username):
    person = selectors.member_for_moderation(username)
    back = reverse("reviews:moderation-member", args=[person.username])
    profile = getattr(person, "profile", None)
    form = SanctionForm(
        request.POST, reasons=selectors.removal_reasons(), actions=_sanction_actions(profile)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        decision = moderation.sanction(
            moderator=request.user,
            member=person,
            action=form.cleaned_data["action"],
            until=form.cleaned_data.get("until"),
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as err:
        for message in err.messages:
            messages.error(request, message)
    else:
        (messages.success if decision.changed else messages.info)(request, decision.message)
    return redirect(back)
