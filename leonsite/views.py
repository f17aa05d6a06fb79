import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from films import selectors
from films.models import Film

logger = logging.getLogger(__name__)


def home(request):
    featured = Film.objects.filter(slug=settings.FEATURED_FILM_SLUG).first()
    context = {"others": Film.objects.for_list().exclude(pk=getattr(featured, "pk", None))[:8]}
    if featured:
        context.update(selectors.film_detail(featured.slug))
    return render(request, "home.html", context)


def search(request):
    query = request.GET.get("q", "")[:200]
    results = selectors.search(query)
    total = sum(len(items) for items in results.values())
    return render(request, "search.html", {"query": query, "results": results, "total": total})


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_GET
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error"
    except Exception:
        logger.exception("Health check: cache unreachable")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
