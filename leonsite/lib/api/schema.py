"""The read API's schema: the spoilers parameter, guarded fields, the error responses."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .fields import EXCLUDE, INCLUDE, SPOILERS, SPOILERS_HELP, GuardedField

SPOILERS_PARAMETER = OpenApiParameter(
    SPOILERS,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=[EXCLUDE, INCLUDE],
    default=EXCLUDE,
    description=SPOILERS_HELP,
)


class SpoilerAwareSchema(AutoSchema):
    """Documents `?spoilers=` on every operation of a view that sets `spoiler_aware`."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "spoiler_aware", False):
            parameters.append(SPOILERS_PARAMETER)
        return parameters


class GuardedFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A guarded field has its inner field's schema, nullable."""

    target_class = GuardedField

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        return auto_schema._map_serializer_field(  # type: ignore[no-untyped-call]
            self.target.inner, direction
        )


ERROR_RESPONSES = {
    "400": "A malformed filter, cursor, page size or spoilers value: the body says which.",
    "404": "No such resource (or not one the public may see).",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests from this address: retry after `Retry-After` seconds.",
}


def error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """A drf-spectacular postprocessing hook: every operation documents the errors the
    API answers with, each a JSON object (`detail`, or a list of messages per parameter),
    and the 304 of a conditional request."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "`detail` says what went wrong; a 400 names each bad parameter.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    retry = {
        "Retry-After": {
            "description": "Seconds until the limit allows another request.",
            "schema": {"type": "integer"},
        }
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("304", {"description": "Not modified since the ETag or date."})
            for status, description in ERROR_RESPONSES.items():
                entry: dict[str, Any] = {"description": description, "content": error}
                if status == "429":
                    entry["headers"] = retry
                responses.setdefault(status, entry)
    return result
