"""Cursor paging for the read API's lists."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class CursorPages(CursorPagination):
    """Cursor paging over a stable order (`cursor_ordering` on the view, ids by default):
    no COUNT over the table, and no row skipped or repeated while rows are added. A
    malformed cursor or page size is a 400 that says what is wrong."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("id",)
    invalid_cursor_message = "This cursor is not one the API gave: start again without it."

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "cursor_ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = f"A whole number from 1 to {self.max_page_size}, not {raw[:40]!r}."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except APIException as err:
            raise self._invalid() from err
        if cursor is not None and cursor.position is not None:
            self._check_position(str(cursor.position))
        return cursor

    def _invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def _check_position(self, position: str) -> None:
        """The cursor's position must be a value of the ordering's first field: anything
        else would reach the database as a malformed lookup (a 500)."""
        name = str(self.ordering[0]).lstrip("-")
        try:
            self._model._meta.get_field(name).to_python(position)
        except (FieldDoesNotExist, DjangoValidationError, ValueError, TypeError) as err:
            raise self._invalid() from err
        if "\x00" in position:
            raise self._invalid()

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
