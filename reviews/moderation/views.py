"""The moderators' pages (queue, log, a member's record) and the members' report form.

Moderators only (`moderation.moderate`; restricting members also needs
`moderation.sanction_member`): anonymous visitors go to the login page, other members
get a 403. Every decision is a POST to services.py, which logs it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leonsite.accounts.models import Profile
from leonsite.lib import moderated, ratelimit
from leonsite.lib.http import found, safe_next
from leonsite.lib.ratelimit import client_ip, rate_limited

from . import selectors, services
from .decorators import moderator_required, posting_allowed, sanction_required
from .forms import DecisionForm, ReportForm, SanctionForm

QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50


def _decision_form(item, reasons, **kwargs) -> DecisionForm:
    kind = moderated.kind_of(item)
    prefix = f"d-{kind.name}-{item.pk}-"
    return DecisionForm(
        reasons=reasons,
        action_url=reverse("moderation:decide", args=[kind.name, item.pk]),
        actions=services.decisions_for(item),
        auto_id=f"{prefix}%s",
        id_prefix=prefix,
        **kwargs,
    )


def _show_errors(request: HttpRequest, errors) -> None:
    for error in errors:
        messages.error(request, error)


@login_required
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.queue_groups(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    entries = selectors.queue_entries(page.object_list)
    reasons = selectors.removal_reasons()
    for entry in entries:
        if entry.item is not None:
            entry.form = _decision_form(entry.item, reasons)
    return render(request, "moderation/queue.html", {"page_obj": page, "entries": entries})


@login_required
@moderator_required
@require_POST
@rate_limited("moderate", count_every=True)
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = found(selectors.moderation_item, kind, pk)
    back = safe_next(request, reverse("moderation:queue"))
    form = _decision_form(item, selectors.removal_reasons(), data=request.POST)
    if not form.is_valid():
        _show_errors(request, [e for errors in form.errors.values() for e in errors])
        return redirect(back)
    try:
        decision = services.decide(
            moderator=request.user,
            item=item,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as err:
        _show_errors(request, err.messages)
    else:
        (messages.success if decision.changed else messages.info)(request, decision.message)
    return redirect(back)


@login_required
@moderator_required
def log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.moderation_log(), LOG_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    for entry in entries:
        entry.target_url = selectors.target_url(entry)  # type: ignore[attr-defined]
    return render(request, "moderation/log.html", {"page_obj": page, "entries": entries})


def _restriction_actions(profile: Profile) -> list[str]:
    actions = ["silence", "suspend"]
    if profile.is_silenced:
        actions.append("unsilence")
    if profile.is_suspended:
        actions.append("unsuspend")
    return actions


@login_required
@moderator_required
def member(request: HttpRequest, username: str) -> HttpResponse:
    person = found(selectors.member_for_moderation, username)
    profile = Profile.objects.for_user(person)
    form = None
    if request.user.has_perm("moderation.sanction_member") and person.pk != request.user.pk:
        form = SanctionForm(
            reasons=selectors.removal_reasons(),
            action_url=reverse("moderation:sanction", args=[person.username]),
            actions=_restriction_actions(profile),
        )
    context = {
        "person": person,
        "profile": profile,
        "history": selectors.histories({person.pk}, limit=selectors.MEMBER_HISTORY)[person.pk],
        "reports_made": selectors.reports_made_by(person),
        "form": form,
    }
    return render(request, "moderation/member.html", context)


@login_required
@moderator_required
@sanction_required
@require_POST
@rate_limited("moderate", count_every=True)
def sanction(request: HttpRequest, username: str) -> HttpResponse:
    person = found(selectors.member_for_moderation, username)
    back = reverse("moderation:member", args=[person.username])
    form = SanctionForm(
        request.POST,
        reasons=selectors.removal_reasons(),
        actions=_restriction_actions(Profile.objects.for_user(person)),
    )
    if not form.is_valid():
        _show_errors(request, [e for errors in form.errors.values() for e in errors])
        return redirect(back)
    try:
        decision = services.sanction(
            moderator=request.user,
            member=person,
            action=form.cleaned_data["action"],
            until=form.cleaned_data.get("until"),
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as err:
        _show_errors(request, err.messages)
    else:
        (messages.success if decision.changed else messages.info)(request, decision.message)
    return redirect(back)


@login_required
@posting_allowed
@rate_limited("report")
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Report a review, comment, collection or profile to the moderators."""
    item = found(selectors.reportable, kind, pk, request.user)
    moderated_kind = moderated.kind_of(item)
    back = safe_next(request, item.get_absolute_url())
    if selectors.report_of(request.user, item) is not None:
        messages.info(
            request, _("You have already reported this: thank you, moderators will look.")
        )
        return redirect(back)
    if moderated_kind.author_id_of(item) == request.user.pk:
        messages.error(request, _("You can't report your own post."))
        return redirect(back)
    # An empty POST is still a submission: it must show "Choose a reason", not a blank form.
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, action=request.get_full_path())
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                item=item,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                ip=client_ip(request),
            )
        except ValidationError as err:
            if err.code == "duplicate":
                messages.info(request, str(services.ALREADY_REPORTED))
                return redirect(back)
            form.add_error(None, err)
        else:
            ratelimit.confirm(request)
            messages.success(request, _("Thank you: your report is with the moderators."))
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "item": item,
        "kind": moderated_kind,
        "author": moderated_kind.author_of(item),
        "back": back,
    }
    return render(request, "moderation/report_form.html", context, status=status)
