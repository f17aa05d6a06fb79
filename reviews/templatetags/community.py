"""The community's template filters. Its blocks on other apps' pages are plugged into
their slots (reviews/blocks.py), never loaded from here by those apps' templates."""

from datetime import datetime, timedelta

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext, pgettext

from ..markup import render_plain
from ..stars import stars as format_stars

register = template.Library()


@register.filter
def stars(rating: int | None, style: str = "text") -> str:
    """{{ review.rating|stars }} → "3.5 stars"; |stars:"glyphs" → "★★★½"; |stars:"short"."""
    return format_stars(rating, style)


@register.filter
def ago(moment: datetime) -> str:
    """{{ item.created_at|ago }} → "just now", "3 hours ago", "2 weeks, 1 day ago"."""
    if timezone.now() - moment < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment)}


@register.filter
def member_text(text: str, profiles: dict[str, str] | None = None) -> SafeString:
    """{{ comment.body|member_text:profiles }}: a member's plain text as paragraphs, with
    the mentions of `profiles` (name → profile URL) linked. render_plain escapes it."""
    return mark_safe(render_plain(text, profiles))  # noqa: S308 - escaped by render_plain


def _likes(count: int) -> str:
    return ngettext("%(count)s like", "%(count)s likes", count) % {"count": localize(count)}


@register.simple_tag
def like_count(count: int) -> SafeString:
    """{% like_count review.like_count %}: the count alone, where there is no button."""
    return format_html(
        '<span class="like-count"><span aria-hidden="true">♥</span> {}</span>', _likes(count)
    )


@register.simple_tag(takes_context=True)
def like_button(
    context: template.Context,
    like_url: str,
    *,
    liked: bool,
    count: int,
    owner_id: int,
    what: str,
    anchor: str = "",
) -> SafeString:
    """{% like_button url liked=… count=… owner_id=… what=_("this review") anchor=id %}:
    a like/unlike form for a member other than the owner (`what` names the item for
    screen readers; the form comes back to `anchor`), else the count alone. Built here,
    not included from a template: a list has one per item, and this is its costliest
    part to render."""
    user = context.get("user")
    if user is None or not user.is_authenticated or owner_id == user.pk:
        return like_count(count)
    request = context.get("request")
    back = request.get_full_path() if request is not None else ""
    label = pgettext("like button, pressed", "Liked") if liked else pgettext("like button", "Like")
    return format_html(
        '<form class="like-form" method="post" action="{}">{}'
        '<input type="hidden" name="action" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="btn btn-sm btn-like{}" aria-pressed="{}">'
        '<span aria-hidden="true">♥</span> {}<span class="visually-hidden"> {}</span></button> '
        '<span class="like-count">{}</span></form>',
        like_url,
        CsrfTokenNode().render(context),
        "unlike" if liked else "like",
        f"{back}#{anchor}" if anchor else back,
        " is-liked" if liked else "",
        "true" if liked else "false",
        label,
        what,
        _likes(count),
    )
