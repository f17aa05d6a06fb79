"""How catalogue numbers read on a page: "$45.3 million", "18,662,979 tickets"."""

from decimal import Decimal

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CURRENCY_NAMES = {"FRF": "French francs"}
MAX_TIMECODE = 24 * 3600  # no cut of a film runs longer than a day


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


def timecode(seconds: int | None) -> str:
    """3723 -> "1:02:03"; 603 -> "10:03"; None -> ""."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_timecode(text: str) -> int:
    """ "1:02:03", "62:03" or "3723" -> 3723 seconds; ValueError for anything else."""
    parts = [part.strip() for part in str(text).strip().split(":")]
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(text)
    numbers = [int(part) for part in parts]
    if any(n >= 60 for n in numbers[1:]):
        raise ValueError(text)
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    if seconds > MAX_TIMECODE:
        raise ValueError(text)
    return seconds
