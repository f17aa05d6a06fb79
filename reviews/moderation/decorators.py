"""What other apps' views put in front of a member's write."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponseBase

from leonsite.accounts.models import Profile
from leonsite.accounts.views import restricted_response

moderator_required = permission_required("moderation.moderate", raise_exception=True)
sanction_required = permission_required("moderation.sanction_member", raise_exception=True)


def posting_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse every write of a silenced or suspended member with a 403 page saying why
    and until when."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            profile = Profile.objects.for_user(user)
            if profile.is_restricted:
                return restricted_response(request, profile)
        return view(request, *args, **kwargs)

    return wrapper
