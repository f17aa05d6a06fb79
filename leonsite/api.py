"""The read API's wiring under /api/v1/: the catalogue's and the community's routes, the
index, search over both, the OpenAPI schema and its docs page.

Search spans the apps the way the site's own search does (leonsite/views.py): the
engine is the catalogue's (films/search.py), the community registers its reviews in
it, and only here are both known, so here each hit gets its link in the API.
"""

from django.db.models import Model
from django.urls import path, re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from films import search as search_engine
from films.api.urls import urlpatterns as catalogue_routes
from films.models import Film, Person
from leonsite.lib.api.views import ConditionalView
from reviews.api.urls import urlpatterns as community_routes

app_name = "api"

# What each kind of search hit is in the API: its item's route, and the model whose slug
# names it when it is named by slug.
SEARCH_RESOURCES: dict[str, tuple[str, type[Model] | None]] = {
    "film": ("api:film-detail", Film),
    "person": ("api:person-detail", Person),
    "character": ("api:character-detail", None),
    "quote": ("api:quote-detail", None),
    "track": ("api:track-detail", None),
    "review": ("api:review-detail", None),
}
# The lists, by the name of their path.
INDEX = {
    "films": "film", "people": "person", "characters": "character", "credits": "credit",
    "scenes": "scene", "quotes": "quote", "albums": "album", "tracks": "track",
    "track-credits": "track-credit", "trivia": "trivia", "awards": "award",
    "critic-scores": "critic-score", "figures": "figure", "locations": "location",
    "reviews": "review", "collections": "collection",
}  # fmt: skip


class IndexView(ConditionalView):
    """The API's entry point: a link to every list, the search, the schema and the docs."""

    cache_namespaces = ()

    @extend_schema(
        summary="The API's index",
        tags=["index"],
        responses=inline_serializer(
            "Index", {"links": serializers.DictField(child=serializers.URLField())}
        ),
    )
    def get(self, request):
        links = {
            name: reverse(f"api:{route}-list", request=request) for name, route in INDEX.items()
        }
        links["search"] = reverse("api:search", request=request)
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response({"links": links})


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(help_text="The words to look for (typos are forgiven).")
    kind = serializers.ChoiceField(
        choices=sorted(SEARCH_RESOURCES), required=False, help_text="Only hits of this kind."
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=50, default=5, help_text="Hits at most of each kind."
    )

    def validate_q(self, value: str) -> str:
        # As the site's search box: a long query is cut, not refused.
        value = value[:200].replace("\x00", "").strip()
        if not value:
            raise ValidationError("Give the words to look for.")
        return value


class SearchHit(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    inside_spoiler = serializers.BooleanField(
        help_text="Found only inside a spoiler: nothing of it is shown."
    )
    page = serializers.URLField(help_text="Its page on the site.")
    url = serializers.URLField(allow_null=True, help_text="It in the API.")


class SearchResults(serializers.Serializer):
    query = serializers.CharField()
    suggestion = serializers.CharField(
        help_text='The query as the catalogue spells it ("Did you mean"), or "".'
    )
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Hits per kind.")
    results = SearchHit(many=True)


class SearchView(ConditionalView):
    """The site's search (/search/) over films, people, characters, quotes, tracks and
    public reviews, best first. Titles never hold a spoiler: a spoiler quote's is
    "[spoiler]", and a hit found only inside a spoiler says so and shows nothing of it."""

    cache_namespaces = ("catalogue", "community")

    @extend_schema(
        summary="Search the catalogue and the reviews",
        tags=["search"],
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=sorted(SEARCH_RESOURCES), description="One kind."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
                description="Hits at most of each kind.",
            ),
        ],
        responses=SearchResults,
    )
    def get(self, request):
        query = SearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q, kind, limit = (query.validated_data.get(name) for name in ("q", "kind", "limit"))
        found = search_engine.search(q, kind=kind, per_kind=limit)
        entries = [entry for group in found.groups.values() for entry in group[:limit]]
        return Response(
            {
                "query": q,
                "suggestion": found.suggestion,
                "counts": found.counts,
                "results": [hit(request, entry, slugs) for entry, slugs in _with_slugs(entries)],
            }
        )


def _with_slugs(entries):
    """Each entry with the slugs of its kind's items, read once per kind named by slug."""
    slugs: dict[str, dict[int, str]] = {}
    for kind, (_, model) in SEARCH_RESOURCES.items():
        ids = [entry.object_id for entry in entries if entry.kind == kind]
        if model is not None and ids:
            slugs[kind] = dict(model.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [(entry, slugs.get(entry.kind)) for entry in entries]


def hit(request, entry, slugs):
    route, model = SEARCH_RESOURCES.get(entry.kind, (None, None))
    url = None
    if route is not None:
        key = slugs.get(entry.object_id) if model is not None else entry.object_id
        if key is not None:
            url = reverse(route, args=[key], request=request)
    return {
        "kind": entry.kind,
        "id": entry.object_id,
        "title": entry.title,
        "subtitle": entry.subtitle,
        "inside_spoiler": getattr(entry, "inside_spoiler", False),
        "page": request.build_absolute_uri(entry.url),
        "url": url,
    }


class DocsView(SpectacularSwaggerView):
    """Swagger UI from the sidecar's static files, started by a script of our own
    (static/js/api-docs.js): the page has no inline script or style, so the site's CSP
    holds as it is."""

    template_name = "api/docs.html"
    url_name = "api:schema"
    title = "Leonsite API"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular opens the opener policy for OAuth pop-ups, which we have none of.
        if "Cross-Origin-Opener-Policy" in response:
            del response["Cross-Origin-Opener-Policy"]
        return response


class NotFoundView(APIView):
    """Any other address under /api/v1/ ending in a slash (others get one added first):
    a JSON 404, never the site's HTML page."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound("No such resource here: the index at /api/v1/ lists them.")


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("search/", SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    *catalogue_routes,
    *community_routes,
    re_path(r"^.*/$", NotFoundView.as_view()),
]
