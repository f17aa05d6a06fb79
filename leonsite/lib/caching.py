"""Versioned fragment caching: a write bumps a namespace's version, and every cached
fragment keyed by the old version is simply never read again.

Whole pages for signed-out visitors (`cache_for_visitors`, served by
VisitorPageMiddleware) are stored with the versions they were rendered at, and served
only while those are still the current ones.

Two namespaces: "catalogue" (anything curators edit) and "community" (reviews, ratings,
comments, likes, collections, profiles, moderation). A third, "members", moves with a
write to any other model (a notification, a watchlist, an account): members' own copies
of pages (MemberPageMiddleware) are kept under it as well. Templates put the version in
the `{% cache %}` key (see leonsite.context_processors), so a write shows on the next
request in every worker sharing the cache (Redis in production), with no key to hunt
down.

Versions start from the clock, not from 1: if the cache evicts or loses a version key,
the new one cannot meet fragments cached under an old number.
"""

import functools
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.urls import Resolver404, URLResolver, get_resolver
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from .theme import theme_of

NAMESPACES = ("catalogue", "community")
MEMBERS = "members"
# Rows no page shows: sessions (a member's copy is keyed by what their session holds)
# and login attempts. A write to them moves nothing.
UNWATCHED = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}
_KEY = "cache-version:{}"
_M = TypeVar("_M", bound=models.Model)
_namespace_of: dict[type[models.Model], str] = {}


def version(namespace: str) -> int:
    key = _KEY.format(namespace)
    value = cache.get(key)
    if value is None:
        value = time.time_ns() // 1000
        if not cache.add(key, value, timeout=None):
            value = cache.get(key, value)
    return int(value)


def versions(*namespaces: str) -> list[int]:
    """The versions of several namespaces, in one round trip to the cache when all are
    set (as they are once the site has served a page)."""
    return _versions_in(cache.get_many([_KEY.format(name) for name in namespaces]), namespaces)


def _versions_in(found: dict[str, Any], namespaces: Iterable[str]) -> list[int]:
    """The namespaces' versions from a `get_many` that asked for their keys (and maybe
    more), reading or starting afresh any the cache did not have."""
    return [
        int(found[key]) if (key := _KEY.format(name)) in found else version(name)
        for name in namespaces
    ]


def bump(namespace: str) -> None:
    """Move the namespace on now, so the writer's own next read sees its change, and
    again once the transaction commits: another request that read the old rows in
    between cached them under a version that is then already gone."""
    _bump_now(namespace)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(namespace))


def _bump_now(namespace: str) -> None:
    key = _KEY.format(namespace)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (evicted, or never read): start afresh
        cache.set(key, time.time_ns() // 1000, timeout=None)


def watch(namespace: str, watched: Iterable[type[models.Model]]) -> None:
    """Bump the namespace whenever one of these models is saved, deleted or has its
    many-to-many relations changed, and on their WatchedQuerySet's bulk writes."""

    def changed(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        bump(namespace)

    for model in watched:
        _namespace_of[model] = namespace
        uid = f"cache-version-{namespace}-{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            _namespace_of[field.remote_field.through] = namespace  # type: ignore[index]
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}-{field.name}",
            )


def _namespace_for(model: type[models.Model]) -> str | None:
    """The namespace a model's rows are cached under: its own (`watch`), else "members",
    but for the rows no page shows."""
    concrete = model._meta.concrete_model
    namespace = _namespace_of.get(concrete)  # type: ignore[arg-type]
    if namespace is None and concrete._meta.label not in UNWATCHED:  # type: ignore[union-attr]
        return MEMBERS
    return namespace


def watch_the_rest() -> None:
    """Bump "members" on a write to any model no namespace watches, whichever app it
    comes from (an account's email address, a group a member joins): a member's copy of
    a page may show it, and a list of models kept by hand would miss the next one."""

    def changed(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw") or not kwargs.get("action", "post_").startswith("post_"):
            return
        if _namespace_for(sender) == MEMBERS:
            bump(MEMBERS)

    post_save.connect(changed, weak=False, dispatch_uid="cache-version-members-save")
    post_delete.connect(changed, weak=False, dispatch_uid="cache-version-members-delete")
    m2m_changed.connect(changed, weak=False, dispatch_uid="cache-version-members-m2m")


def bump_model(model: type[models.Model]) -> None:
    """Move the namespace a model's rows are cached under (for writes that bypass the ORM)."""
    namespace = _namespace_for(model)
    if namespace is not None:
        bump(namespace)


class WatchedQuerySet(models.QuerySet[_M]):
    """A queryset whose bulk writes bump the model's namespace themselves: update() and
    bulk_create() send no model signals, and delete() only for the rows it loads."""

    def _bump(self) -> None:
        bump_model(self.model)

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        if rows:
            self._bump()
        return rows

    def delete(self) -> tuple[int, dict[str, int]]:
        result = super().delete()
        if result[0]:
            self._bump()
        return result

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self._bump()
        return created


_T = TypeVar("_T")
View = Callable[..., HttpResponseBase]


def once(function: Callable[[], _T]) -> Callable[[], _T]:
    """A zero-argument function computed on first use only. Django templates call a
    callable they resolve, so a view can hand one over and pay for the query only when
    the template reaches it outside a cached fragment."""
    return functools.cache(function)


def _plain_visitor(request: HttpRequest) -> bool:
    """No session and no flash messages: a signed-out visitor whose page is the same as
    every other's."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


MAX_CACHED_QUERY = 300


def _query_variant(request: HttpRequest, form_class: type[forms.Form] | None) -> str | None:
    """The query string, as the part of the key it makes, when the view's form takes it
    (see `_accepted_query`); "" without one, None when it is not cached."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    if form_class is None or len(query) > MAX_CACHED_QUERY:
        return None
    return _accepted_query(form_class, query)


@functools.lru_cache(maxsize=2048)
def _accepted_query(form_class: type[forms.Form], query: str) -> str | None:
    """A query string in one spelling (its parameters sorted), when it holds only the
    form's fields and `page`, each once and each a value its field accepts. Anything else
    (a tracking tag, a filter that does not exist) is rendered, not cached: a made-up
    query must not push the pages people read out of the cache. The fields are checked
    one by one (building the form would cost more than serving the page), and the
    answer is remembered, as a page's readers send the same few query strings."""
    params = QueryDict(query)
    fields = form_class.base_fields
    for name in params:
        values = params.getlist(name)
        if len(values) > 1 or (name != "page" and name not in fields):
            return None
        if name != "page":
            try:
                fields[name].clean(values[0])
            except ValidationError:
                return None
    return urlencode([(name, params[name]) for name in sorted(params)])


@dataclass(frozen=True)
class _Cached:
    namespaces: tuple[str, ...]
    timeout: int
    vary: Callable[..., str | None] | None
    query: type[forms.Form] | None
    visitors: bool = True


def cache_for_visitors(
    *namespaces: str,
    timeout: int = 600,
    vary: Callable[..., str | None] | None = None,
    query: type[forms.Form] | None = None,
) -> Callable[[View], View]:
    """Mark a view whose signed-out visitors' copies VisitorPageMiddleware serves whole
    from the cache, keyed by the namespaces' versions, so any write that could change it
    is seen at once. Signed-in members, and any page that set a cookie or a CSRF token,
    are rendered as usual. `vary(request, *args, **kwargs)` names a variant of the page a
    visitor may get (how far they have watched the film): one cached copy per variant,
    none for a variant it gives as None. A page with a query string is cached only when
    `query`, the view's form, accepts it (search, a sorted list), and then only in each
    process's own bounded cache, so a stream of queries cannot fill the shared one.
    Every page also varies by the visitor's colour theme (on `<html>`) and by the active
    language (the URL's prefix decides it, but the key says so too), so no one gets
    another's. Members get their own copies (MemberPageMiddleware)."""

    def decorator(view: View) -> View:
        view.page_cache = _Cached(namespaces, timeout, vary, query)  # type: ignore[attr-defined]
        return view

    return decorator


def cache_for_members(
    *namespaces: str, timeout: int = 600, query: type[forms.Form] | None = None
) -> Callable[[View], View]:
    """Mark a view only members read (their feed, their notifications) whose copies
    MemberPageMiddleware keeps, one per member, as `cache_for_visitors` does."""

    def decorator(view: View) -> View:
        spec = _Cached(namespaces, timeout, None, query, visitors=False)
        view.page_cache = spec  # type: ignore[attr-defined]
        return view

    return decorator


@functools.lru_cache(maxsize=2048)
def _cached_view(
    resolver: URLResolver, path: str, language: str
) -> tuple[_Cached, tuple[Any, ...], dict[str, Any]] | None:
    """What a path resolves to, when its view is marked `cache_for_visitors` or
    `cache_for_members`. Remembered, as resolving walks every pattern before the page's,
    and a cached page costs little else. The resolver and the language (the URL prefixes
    depend on it) are in the key; a stream of odd paths only pushes out the oldest."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    spec = getattr(match.func, "page_cache", None)
    return None if spec is None else (spec, tuple(match.args), dict(match.kwargs))


def _cached_page(
    key: str, namespaces: tuple[str, ...], *, shared: bool, store: str = "pages"
) -> tuple[list[int], Any]:
    """The namespaces' versions now, and the page stored under `key` if it was rendered
    at those versions. This process's own copy (in the `store` cache) saves carrying the
    page from Redis; only the versions come from there, with the shared copy in the same
    round trip when this process has none (and the page is `shared`)."""
    version_keys = [_KEY.format(name) for name in namespaces]
    local = caches[store].get(key)
    wanted = [key, *version_keys] if shared and local is None else version_keys
    found = cache.get_many(wanted)
    current = _versions_in(found, namespaces)
    if local is not None and local[0] == current:
        return current, local
    if not shared:
        return current, None
    copy = found.get(key) if local is None else cache.get(key)
    if copy is not None and copy[0] == current:
        caches["pages"].set(key, copy)
        return current, copy
    return current, None


def _marked_view(request: HttpRequest) -> tuple[_Cached, Any, Any, str] | None:
    """The page cache's mark on the view a GET or HEAD request reaches, with the view's
    arguments and the active language; None for anything else."""
    if request.method not in ("GET", "HEAD"):
        return None
    language = get_language()
    resolver = get_resolver(getattr(request, "urlconf", None))
    found = _cached_view(resolver, request.path_info, language)
    if found is None:
        return None
    spec, args, kwargs = found
    return spec, args, kwargs, language


def _keepable(response: HttpResponseBase) -> bool:
    """A response that may be stored whole: a complete 200 that sets no cookie."""
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
    )


def _page_key(kind: str, request: HttpRequest, query: str, *parts: object) -> str:
    """A copy's key: the page's address with its query in one spelling, and what else
    the copy depends on."""
    where = "|".join(
        [f"{request.scheme}://{request.get_host()}{request.path}?{query}", *map(str, parts)]
    )
    return f"{kind}:{hashlib.sha256(where.encode()).hexdigest()}"


class VisitorPageMiddleware:
    """Serves the pages of `cache_for_visitors` views to signed-out visitors from the
    cache, headers and all, before the rest of the stack runs: a cached page then costs
    about what the smallest view does. It sits after the language middleware (which
    redirects a visitor who prefers French to the French address, and activates the
    URL's language) and before everything a signed-out visitor's page does not need."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        found = _marked_view(request)
        if found is None or not found[0].visitors:
            return self.get_response(request)
        spec, args, kwargs, language = found
        try:
            key = self._key(request, spec, args, kwargs, language)
        except DatabaseError:  # a variant read the database: the view's own path answers
            key = None
        current: list[int] = []
        shared = not request.META.get("QUERY_STRING")
        if key is not None:
            current, cached = _cached_page(key, spec.namespaces, shared=shared)
            if cached is not None:
                _versions, content, headers = cached
                return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        if (
            key is not None
            and _keepable(response)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            page = (current, response.content, dict(response.headers))  # type: ignore[attr-defined]
            if shared:
                cache.set(key, page, spec.timeout)
            caches["pages"].set(key, page, spec.timeout)
        return response

    @staticmethod
    def _key(
        request: HttpRequest, spec: _Cached, args: Any, kwargs: Any, language: str
    ) -> str | None:
        """The page's key, or None when this request's copy is not cached (a member's, a
        variant that is not kept). The copy carries the versions read before its view
        ran: a write during rendering moves one on, and that copy is never served."""
        if not _plain_visitor(request):
            return None
        query = _query_variant(request, spec.query)
        variant = spec.vary(request, *args, **kwargs) if spec.vary is not None else ""
        if query is None or variant is None:
            return None
        return _page_key("page", request, query, variant, theme_of(request), language)


class MemberPageMiddleware:
    """Serves a member the copy of a page they got last, while nothing it may show has
    changed: the page's namespaces, "community" (anything of any member's) and "members"
    (anything else: their notifications, their watchlist, their account) are all still
    at the versions it was rendered at. It runs after the member is known and their
    account's state checked (a suspended member is signed out before it).

    A copy belongs to one member, one session's contents and one CSRF secret (the
    page's forms carry tokens made from it), and is kept only in this process: members'
    pages never go to the shared cache, and at most MAX_ENTRIES of them are kept here.
    Staff are always rendered afresh (their pages count moderation queues and their
    sessions move on every minute), as is any page with a flash message waiting, or
    whose rendering set a cookie or changed the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        found = self._key(request)
        if found is None:
            return self.get_response(request)
        key, spec, secret = found
        namespaces = tuple(dict.fromkeys((*spec.namespaces, "community", MEMBERS)))
        current, cached = _cached_page(key, namespaces, shared=False, store="member-pages")
        if cached is not None:
            _versions, content, headers, csrf = cached
            if csrf:  # renew the CSRF cookie's expiry, as rendering the forms would
                request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if (
            _keepable(response)
            and not request.session.modified
            and request.META.get("CSRF_COOKIE") == secret  # not rotated while rendering
        ):
            csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            content = response.content  # type: ignore[attr-defined]
            page = (current, content, dict(response.headers), csrf)
            caches["member-pages"].set(key, page, spec.timeout)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> tuple[str, _Cached, str] | None:
        """The member's copy's key, the view's caching and the CSRF secret the request
        came with (CsrfViewMiddleware read it from the cookie); None when not cached."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
            return None
        secret = request.META.get("CSRF_COOKIE")
        if not secret or "messages" in request.COOKIES or "_messages" in request.session:
            return None
        found = _marked_view(request)
        if found is None:
            return None
        spec, _args, _kwargs, language = found
        query = _query_variant(request, spec.query)
        if query is None:
            return None
        held = repr(sorted(request.session.items()))
        parts = (theme_of(request), language, user.pk, secret, held)
        return _page_key("member-page", request, query, *parts), spec, secret
