import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from films import search as search_engine
from films import selectors
from films.models import Film
from films.progress import visitor_progress
from films.views import film_page_context

from .forms import SearchForm, ThemeForm
from .lib import language, theme
from .lib.caching import cache_for_visitors, once
from .lib.http import refused_cross_site, safe_next

logger = logging.getLogger(__name__)


def _featured_progress(request, *args, **kwargs) -> str:
    return visitor_progress(request, settings.FEATURED_FILM_SLUG).key


@cache_for_visitors("catalogue", "community", vary=_featured_progress)
def home(request):
    """The featured film's overview, the community's latest, and the other films."""
    try:
        context = film_page_context(request, selectors.film_page(settings.FEATURED_FILM_SLUG))
    except Film.DoesNotExist:
        context = {}
    featured = context.get("film")
    context["others"] = once(
        lambda: list(Film.objects.for_list().exclude(pk=getattr(featured, "pk", None))[:8])
    )
    return render(request, "home.html", context)


SEARCH_PAGE_SIZE = 20


# Cached under the index's versions (the words too, for "did you mean"): the index takes
# in a write only after it commits, after the write's own versions have moved on.
@cache_for_visitors(search_engine.INDEX_VERSION, search_engine.WORDS_VERSION, query=SearchForm)
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": "", "results": None, "kinds": search_engine.KINDS}
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"] or None
        results = search_engine.search(query, kind=kind)
        context.update(query=query, results=results, kind=kind)
        if kind:
            page = Paginator(results.groups.get(kind, []), SEARCH_PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            context.update(
                page_obj=page,
                entries=page.object_list,
                page_query=urlencode({"q": query, "kind": kind}),
            )
    return render(request, "search.html", context)


@cache_for_visitors(search_engine.INDEX_VERSION, search_engine.WORDS_VERSION, query=SearchForm)
@require_GET
def search_suggest(request):
    """Suggestions for the search box as one types (JSON): the catalogue's best matches.
    They hold nothing of any member, so browsers and proxies may keep them a while."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    response = JsonResponse({"query": query, "suggestions": search_engine.suggest(query)})
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database takes a write (inside a transaction rolled back), within
    its busy timeout, and the cache answers. A read-only or locked database is not
    ready, though /healthz (liveness) still answers."""
    checks = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            migrations = connection.ops.quote_name("django_migrations")
            cursor.execute(
                f"UPDATE {migrations} SET app = app "  # noqa: S608 - a fixed statement
                f"WHERE id = (SELECT MAX(id) FROM {migrations})"
            )
            transaction.set_rollback(True)
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("Readiness check: the database does not take writes")
        checks["database"] = "error"
    checks["cache"] = _cache_check()
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
    if not healthy:
        response["Retry-After"] = "30"
    return response


def _cache_check() -> str:
    try:
        cache.set("healthz", "ok", 5)
        return "ok" if cache.get("healthz") == "ok" else "error"
    except Exception:
        logger.exception("Health check: cache unreachable")
        return "error"


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers, the database and the cache respond to a read."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    checks["cache"] = _cache_check()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _page_language(request) -> str | None:
    """The language of the page a switch was used on (its `next`): the switches live at
    unprefixed URLs, which are English, but a refusal should speak the page's language."""
    return language.language_of(safe_next(request, ""))


# Exempt from the middleware only: a visitor's cached pages carry no CSRF token, so the
# origin is checked instead (a member's token is checked as usual).
@csrf_exempt
@require_POST
def set_theme(request):
    """The footer's theme switch: keeps the choice in a cookie and goes back."""
    with override(_page_language(request)):
        refusal = refused_cross_site(request, gettext("Choose a theme from this site's pages."))
        if refusal is not None:
            return refusal
        form = ThemeForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(gettext("Choose light, dark or your device's setting."))
    response = redirect(safe_next(request, reverse("home")))
    theme.remember(response, form.cleaned_data["theme"])
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """The footer's language switch: the same page in the chosen language, and the
    choice kept in Django's language cookie (leonsite.lib.language)."""
    with override(_page_language(request)):
        refusal = refused_cross_site(request, gettext("Choose a language from this site's pages."))
        if refusal is not None:
            return refusal
        chosen = request.POST.get("language", "")
        if chosen not in dict(settings.LANGUAGES):
            return HttpResponseBadRequest(gettext("Choose English or French."))
    response = redirect(language.url_in(safe_next(request, reverse("home")), chosen))
    language.remember(response, chosen)
    return response
