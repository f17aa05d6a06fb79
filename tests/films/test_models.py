from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from films.formatting import format_amount
from films.models import Credit, CriticScore, Figure, Film, QuoteLine
from tests import factories as f

pytestmark = pytest.mark.django_db


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_film_slug_is_unique():
    f.make_film(slug="leon")
    assert_rejected(lambda: f.make_film(slug="leon"))


def test_person_slug_is_unique():
    f.make_person(slug="jean-reno")
    assert_rejected(lambda: f.make_person(slug="jean-reno"))


def test_character_slug_is_unique_per_film_only():
    film, other = f.make_film(), f.make_film()
    f.make_character(film, slug="tony")
    f.make_character(other, slug="tony")
    assert_rejected(lambda: f.make_character(film, slug="tony"))


def test_one_billing_order_per_film():
    film = f.make_film()
    f.make_cast_credit(film, billing_order=1)
    f.make_cast_credit(f.make_film(), billing_order=1)
    assert_rejected(lambda: f.make_cast_credit(film, billing_order=1))


def test_many_unbilled_cast_credits_are_allowed():
    film = f.make_film()
    f.make_cast_credit(film)
    f.make_cast_credit(film)
    assert film.credits.count() == 2


def test_cast_credit_needs_a_character():
    film = f.make_film()
    assert_rejected(
        lambda: Credit.objects.create(film=film, person=f.make_person(), role=Credit.Role.CAST)
    )


def test_crew_credit_cannot_have_a_character_or_billing():
    film = f.make_film()
    character = f.make_character(film)
    assert_rejected(lambda: f.make_crew_credit(film, character=character))
    assert_rejected(lambda: f.make_crew_credit(film, billing_order=3))


def test_same_crew_credit_twice_is_rejected():
    film, person = f.make_film(), f.make_person()
    f.make_crew_credit(film, person, Credit.Role.DIRECTOR)
    f.make_crew_credit(film, person, Credit.Role.WRITER)
    assert_rejected(lambda: f.make_crew_credit(film, person, Credit.Role.DIRECTOR))


def test_one_track_per_position_on_an_album():
    album = f.make_album()
    f.make_track(album, position=1)
    f.make_track(f.make_album(), position=1)
    assert_rejected(lambda: f.make_track(album, position=1))


def test_track_position_starts_at_one():
    assert_rejected(lambda: f.make_track(position=0))


def test_quote_lines_have_distinct_order():
    quote = f.make_quote()
    assert_rejected(lambda: QuoteLine.objects.create(quote=quote, order=1, text="again"))


def test_quote_key_is_unique_per_film_but_may_stay_empty():
    film = f.make_film()
    f.make_quote(film, key="no-women-no-kids")
    f.make_quote(film)
    f.make_quote(film)
    assert_rejected(lambda: f.make_quote(film, key="no-women-no-kids"))


def test_critic_score_stays_within_its_scale():
    film = f.make_film()
    assert_rejected(lambda: f.make_score(film, value=Decimal("5"), scale=Decimal("4")))
    assert_rejected(lambda: f.make_score(film, value=Decimal("-1"), scale=Decimal("4")))


def test_one_score_per_outlet_per_film():
    film = f.make_film()
    f.make_score(film, outlet="Metacritic")
    assert_rejected(lambda: f.make_score(film, outlet="Metacritic"))


def test_film_year_must_be_plausible():
    assert_rejected(lambda: Film.objects.create(slug="x", title="X", year=1500))


def test_strings_and_urls():
    film = f.make_film(slug="leon-the-professional", title="Léon: The Professional", year=1994)
    character = f.make_character(film, slug="mathilda", name="Mathilda")
    credit = f.make_cast_credit(
        film, f.make_person(name="Natalie Portman", slug="natalie-portman"), character
    )
    quote = f.make_quote(film, [(character, "I don't ever want to lose you.")])
    track = f.make_track(f.make_album(film), title="Shape of My Heart", position=23)
    assert str(film) == "Léon: The Professional (1994)"
    assert str(credit) == "Natalie Portman as Mathilda in Léon: The Professional (1994)"
    assert str(quote) == "I don't ever want to lose you."
    assert str(track) == "23. Shape of My Heart"
    assert film.get_absolute_url() == "/films/leon-the-professional/"
    assert character.get_absolute_url() == "/films/leon-the-professional/characters/mathilda/"
    assert credit.person.get_absolute_url() == "/people/natalie-portman/"
    assert quote.get_absolute_url() == f"/quotes/{quote.pk}/"
    assert track.get_absolute_url() == "/films/leon-the-professional/soundtrack/#track-23"


@pytest.mark.parametrize(
    ("kind", "value", "currency", "approximate", "converted", "expected"),
    [
        (Figure.Kind.BUDGET, 16_000_000, "USD", False, None, "$16 million"),
        (Figure.Kind.BOX_OFFICE, 45_300_000, "USD", False, None, "$45.3 million"),
        (Figure.Kind.BOX_OFFICE, 46_000_000, "USD", True, None, "over $46 million"),
        (
            Figure.Kind.OPENING_GROSS,
            26_800_000,
            "FRF",
            False,
            5_100_000,
            "26.8 million French francs (about $5.1 million)",
        ),
        (Figure.Kind.TICKETS, 18_662_979, "", False, None, "18,662,979 tickets"),
        (Figure.Kind.WEEKS_AT_NUMBER_ONE, 3, "", False, None, "3 weeks"),
    ],
)
def test_figures_read_naturally(kind, value, currency, approximate, converted, expected):
    figure = Figure(
        kind=kind, value=value, currency=currency, approximate=approximate, converted_usd=converted
    )
    assert figure.display_value == expected


def test_small_amounts_keep_their_digits():
    assert format_amount(950_000, "USD") == "$950,000"


def test_score_display():
    assert CriticScore(kind="approval", value=74, scale=100).display_value == "74%"
    assert CriticScore(value=Decimal("2.5"), scale=Decimal("4")).display_value == "2.5/4"
