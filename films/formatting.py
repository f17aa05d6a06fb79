"""How catalogue numbers read on a page: "$45.3 million", "18,662,979 tickets"."""

from decimal import Decimal

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CURRENCY_NAMES = {"FRF": "French francs"}


def format_amount(value: int, currency: str) -> str:
    if value >= 1_000_000:
        millions = (Decimal(value) / Decimal(1_000_000)).quantize(Decimal("0.1"))
        number = f"{millions.normalize():f} million"
    else:
        number = f"{value:,}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{symbol}{number}"
    name = CURRENCY_NAMES.get(currency, currency)
    return f"{number} {name}".strip()


def format_figure(figure) -> str:
    prefix = "over " if figure.approximate else ""
    if figure.is_money:
        text = prefix + format_amount(figure.value, figure.currency)
        if figure.converted_usd and figure.currency != "USD":
            text += f" (about {format_amount(figure.converted_usd, 'USD')})"
        return text
    if figure.kind == "tickets":
        return f"{prefix}{figure.value:,} tickets"
    if figure.kind == "weeks_at_number_one":
        unit = "week" if figure.value == 1 else "weeks"
        return f"{prefix}{figure.value} {unit}"
    return f"{prefix}{figure.value:,}"
