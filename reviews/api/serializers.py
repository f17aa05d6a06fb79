"""The community as JSON: public reviews, public collections and members' public faces.

What the site shows the public, and nothing more: a deleted account's posts are
credited to "a deleted user" with no username or link; a hidden profile shows its
username only (no display name, bio or avatar); e-mail addresses never appear.

A review flagged as a spoiler has no title and no body (null) unless the request asks
for spoilers; the inline spoilers of any other review read "[spoiler]"
(`spoiler_free()`), as everywhere the site's text leaves its guarded pages.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse as url_for
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from films.api.serializers import FilmRef, QuoteRef
from leonsite.accounts.models import DELETED_USER_LABEL, Profile
from leonsite.lib.api.fields import GuardedField, LinksField, PageField, spoilers_wanted
from leonsite.lib.spoilers import guard_inline, spoiler_free, spoiler_free_text
from reviews import selectors
from reviews.models import CollectionItem, QuoteCollection, Review


def _profile(user: Any) -> Profile | None:
    if user is None or (not user.is_active and not hasattr(user, "profile")):
        return None
    return Profile.objects.for_user(user)


def is_public(user: Any) -> bool:
    """A member with a public profile: an active account, not deleted."""
    profile = _profile(user)
    return bool(user is not None and user.is_active and profile and not profile.deleted_at)


class MemberRef(serializers.Serializer):
    """Who wrote a post: a deleted or closed account is "a deleted user", unlinked."""

    username = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    url = serializers.URLField(allow_null=True)

    def to_representation(self, user: Any) -> dict[str, Any]:
        profile = _profile(user)
        if not is_public(user):
            name = profile.name if profile is not None and user.is_active else DELETED_USER_LABEL
            return {"username": None, "name": name, "url": None}
        url = reverse(
            "api:member-detail", kwargs={"username": user.username}, request=self.context["request"]
        )
        return {"username": user.username, "name": profile.name, "url": url}  # type: ignore[union-attr]


# Reviews -----------------------------------------------------------------------------------


def _flagged(review: Review) -> bool:
    return review.is_spoiler


@extend_schema_field(OpenApiTypes.STR)
class ReviewBodyHtml(serializers.Field):
    """The body as sanitised HTML; its inline spoilers become "[spoiler]" unless asked for
    (they are then `<span class="spoiler">` elements)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, html: str) -> str:
        return html if spoilers_wanted(self.context) else spoiler_free(html)


@extend_schema_field(OpenApiTypes.STR)
class ReviewBodyText(serializers.Field):
    """The body as plain text, inline spoilers as "[spoiler]" unless asked for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="body_html", read_only=True, **kwargs)

    def to_representation(self, html: str) -> str:
        if spoilers_wanted(self.context):
            html = guard_inline(html, shown=True)
        return spoiler_free_text(html)


class ReviewSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:review-detail")
    page = PageField()
    film = FilmRef(read_only=True)
    author = MemberRef(read_only=True)
    stars = serializers.FloatField(read_only=True, help_text="The rating in stars, 0.5 to 5.")
    title = GuardedField(serializers.CharField(), spoils=_flagged)
    body_html = GuardedField(ReviewBodyHtml(), spoils=_flagged)
    body_text = GuardedField(ReviewBodyText(), spoils=_flagged)

    class Meta:
        model = Review
        fields = [
            "id", "url", "page", "film", "author", "rating", "stars", "title", "body_html",
            "body_text", "is_spoiler", "like_count", "comment_count", "created_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {"rating": {"help_text": "In half stars: 1 (half a star) to 10 (five)."}}


# Quote collections ---------------------------------------------------------------------------


class CollectionRef(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:collection-detail")

    class Meta:
        model = QuoteCollection
        fields = ["id", "title", "url"]


def _anyone() -> AnonymousUser:
    return AnonymousUser()


class CollectionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:collection-detail")
    page = PageField()
    owner = MemberRef(read_only=True)
    copied_from = serializers.SerializerMethodField()

    class Meta:
        model = QuoteCollection
        fields = [
            "id", "url", "page", "owner", "title", "description", "item_count", "like_count",
            "copied_from", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(CollectionRef(allow_null=True))
    def get_copied_from(self, collection: QuoteCollection) -> Any:
        """The original, when the public may see it (never an unlisted one's link)."""
        original = selectors.shown_original(collection, _anyone())
        if original is None:
            return None
        return CollectionRef(original, context=self.context).data


class CollectionItemSerializer(serializers.ModelSerializer):
    quote = QuoteRef(read_only=True)
    note = GuardedField(serializers.CharField(), spoils=lambda item: item.quote.is_spoiler)

    class Meta:
        model = CollectionItem
        fields = ["position", "quote", "note", "added_at"]


class CollectionDetailSerializer(CollectionSerializer):
    items = CollectionItemSerializer(many=True, read_only=True)

    class Meta(CollectionSerializer.Meta):
        fields = [*CollectionSerializer.Meta.fields, "items"]


# Members -------------------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    """A member's public profile: what /u/<username>/ shows anyone."""

    username = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()
    page = serializers.URLField()
    bio = serializers.CharField(allow_null=True, help_text="Null while the profile is hidden.")
    avatar = serializers.URLField(allow_null=True)
    member_since = serializers.CharField(help_text="The month the member joined, YYYY-MM.")
    links = LinksField(
        reviews=("api:review-list", "author", "username"),
        collections=("api:collection-list", "owner", "username"),
    )

    def to_representation(self, user: Any) -> dict[str, Any]:
        request = self.context["request"]
        profile = Profile.objects.for_user(user)
        shown = not profile.is_hidden
        return {
            "username": user.username,
            "name": profile.name,
            "url": reverse(
                "api:member-detail", kwargs={"username": user.username}, request=request
            ),
            "page": request.build_absolute_uri(
                url_for("accounts:profile", kwargs={"username": user.username})
            ),
            "bio": profile.bio if shown else None,
            "avatar": request.build_absolute_uri(profile.avatar.url)
            if shown and profile.avatar
            else None,
            "member_since": user.date_joined.strftime("%Y-%m"),
            "links": self.fields["links"].to_representation(user),
        }
