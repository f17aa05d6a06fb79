"""The spoilers switch, and the fields every resource of the read API uses."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.reverse import reverse

SPOILERS = "spoilers"
INCLUDE = "include"
EXCLUDE = "exclude"
SPOILERS_HELP = (
    "Spoilers are left out unless asked for: a spoiler quote's lines, context and notes, "
    "spoiler trivia, a late scene's title, description and characters (and every "
    "reference to it), the full plot, the title and body of a review flagged as a "
    'spoiler (null), and inline spoilers in a review\'s body ("[spoiler]"). '
    "`include` gives them all."
)


def include_spoilers(request: HttpRequest) -> bool:
    """Whether the request asked for spoilers (`?spoilers=include`); a 400 for any value
    other than include or exclude, so a typo never shows what the reader did not want."""
    value = request.GET.get(SPOILERS, EXCLUDE)
    if value not in (EXCLUDE, INCLUDE):
        raise ValidationError({SPOILERS: [f"Choose {EXCLUDE} or {INCLUDE}, not {value[:40]!r}."]})
    return value == INCLUDE


def spoilers_wanted(context: dict[str, Any]) -> bool:
    """For serializers: the view puts the request's choice in their context."""
    return bool(context.get(SPOILERS, False))


AnyField = serializers.Field[Any, Any, Any, Any]


class GuardedField(AnyField):
    """A field left out (null) when its object spoils and the request did not ask for
    spoilers. `spoils(obj)` says whether it does; `inner` renders the value otherwise."""

    def __init__(self, inner: AnyField, spoils: Callable[[Any], bool], **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)
        self.inner = inner
        self.spoils = spoils

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self.inner.bind(field_name, parent)

    def get_attribute(self, instance: Any) -> Any:
        if self.spoils(instance) and not spoilers_wanted(self.context):
            return None
        return self.inner.get_attribute(instance)

    def to_representation(self, value: Any) -> Any:
        return self.inner.to_representation(value)


@extend_schema_field(OpenApiTypes.URI)
class PageField(AnyField):
    """The absolute URL of the object's page on the site."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(self.context["request"].build_absolute_uri(value.get_absolute_url()))


class PictureSchema(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


@extend_schema_field(PictureSchema)
class PictureField(AnyField):
    """An uploaded picture as {url, width, height}, or null when there is none."""

    def __init__(self, image: str, **kwargs: Any) -> None:
        self.image = image
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> dict[str, Any] | None:
        picture = getattr(value, self.image)
        if not picture:
            return None
        return {
            "url": self.context["request"].build_absolute_uri(picture.url),
            "width": getattr(value, f"{self.image}_width", None),
            "height": getattr(value, f"{self.image}_height", None),
        }


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}
)
class LinksField(AnyField):
    """Links to the lists of related resources, filtered on this object:
    `LinksField(quotes=("api:quote-list", "film", "slug"))` gives
    {"quotes": ".../quotes/?film=<the film's slug>"}."""

    def __init__(self, **targets: tuple[str, str, str]) -> None:
        self.targets = targets
        super().__init__(source="*", read_only=True)

    def to_representation(self, value: Any) -> dict[str, str]:
        request = self.context["request"]
        links = {}
        for name, (view_name, parameter, attribute) in self.targets.items():
            url = reverse(view_name, request=request)
            links[name] = f"{url}?{urlencode({parameter: getattr(value, attribute)})}"
        return links
