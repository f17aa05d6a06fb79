"""The community lists' filters: a film by its slug, a member by their username (an
account that is closed names nothing: a 400), a rating in half stars."""

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters

from films.models import Film
from leonsite.lib.api.filtering import StrictFilterSet
from reviews.models import QuoteCollection, Review


def _member(field_name: str, help_text: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=get_user_model().objects.filter(is_active=True),
        to_field_name="username",
        help_text=help_text,
    )


class ReviewFilter(StrictFilterSet):
    film = filters.ModelChoiceFilter(
        queryset=Film.objects.all(), to_field_name="slug", help_text="A film's slug."
    )
    author = _member("author", "A member's username.")
    rating = filters.TypedChoiceFilter(
        choices=Review.RATING_CHOICES,
        coerce=int,
        help_text="In half stars: 1 (half a star) to 10 (five stars).",
    )

    class Meta:
        model = Review
        fields = ["film", "author", "rating"]


class CollectionFilter(StrictFilterSet):
    owner = _member("owner", "A member's username.")

    class Meta:
        model = QuoteCollection
        fields = ["owner"]
