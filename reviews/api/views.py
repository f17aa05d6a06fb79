"""The community's read endpoints: what the public may see, through the site's own
visibility rules (`Review.objects.visible()`, `QuoteCollection.objects.public()`, active
accounts), in a fixed number of queries. Newest first, by a cursor."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from films.selectors import quote_lines_prefetch
from leonsite.lib.api.views import ReadOnlyViewSet, ResourceViewSet
from reviews import selectors
from reviews.models import CollectionItem

from . import filters, serializers

NEWEST = ("-created_at", "-id")
# A review names its film, so the catalogue's version counts too.
COMMUNITY = ("catalogue", "community")


@extend_schema_view(
    list=extend_schema(
        summary="List public reviews",
        description="Reviews anyone may read, newest first, paged by cursor and filtered.",
    ),
    retrieve=extend_schema(summary="One public review", description="A review anyone may read."),
)
class ReviewViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ReviewSerializer
    filterset_class = filters.ReviewFilter
    cache_namespaces = COMMUNITY
    cursor_ordering = NEWEST
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.visible_reviews()


@extend_schema_view(
    list=extend_schema(
        summary="List public quote collections",
        description="Public collections, newest first, paged by cursor and filtered.",
    ),
    retrieve=extend_schema(
        summary="One public quote collection",
        description="A public collection with its quotes, in order, and their notes.",
    ),
)
class CollectionViewSet(ReadOnlyViewSet):
    filterset_class = filters.CollectionFilter
    cache_namespaces = COMMUNITY
    cursor_ordering = NEWEST
    lookup_value_regex = r"[0-9]+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CollectionDetailSerializer
        return serializers.CollectionSerializer

    def get_queryset(self):
        collections = selectors.public_collections().select_related("copied_from")
        if self.action == "retrieve":
            items = (
                CollectionItem.objects.select_related("quote__film")
                .prefetch_related(quote_lines_prefetch("quote__lines"))
                .order_by("position")
            )
            collections = collections.prefetch_related(Prefetch("items", queryset=items))
        return collections


@extend_schema_view(
    retrieve=extend_schema(
        summary="A member's public profile",
        description="What /u/<username>/ shows anyone; closed and deleted accounts are a 404.",
    )
)
class MemberViewSet(mixins.RetrieveModelMixin, ResourceViewSet):
    serializer_class = serializers.MemberSerializer
    cache_namespaces = ("community",)
    spoiler_aware = False
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"

    def get_queryset(self):
        # As the profile page: closed and deleted accounts are not found.
        return get_user_model().objects.filter(is_active=True).select_related("profile")
