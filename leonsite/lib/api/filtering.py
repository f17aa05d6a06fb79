"""The read API's filters: strict about what they are given."""

from django_filters import rest_framework as filters

EMPTY = "Give a value, or leave this filter out."


class StrictFilterSet(filters.FilterSet):  # type: ignore[misc]
    """A filter given with no value (`?film=`) is a 400 that says so, as a malformed one
    is, rather than quietly ignored: the client meant something by it."""

    def is_valid(self) -> bool:
        form = self.form
        if self.is_bound and not form.errors:
            for name in self.filters:
                if name in self.data and not str(self.data.get(name, "")).strip():
                    form.add_error(name, EMPTY)
        return bool(self.is_bound and form.is_valid())
