"""How catalogue numbers read on a page: "$45.3 million", "18,662,979 tickets"."""

from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CURRENCY_NAMES = {"FRF": gettext_lazy("French francs")}
MAX_TIMECODE = 24 * 3600  # no cut of a film runs longer than a day


def grouped(value: int) -> str:
    """A whole number in the active language: "18,662,979" in English, "18 662 979"
    (no-break spaces) in French."""
    return number_format(value, use_l10n=True, force_grouping=True)


def format_amount(value: int, currency: str) -> str:
    if value >= 1_000_000:
        millions = (Decimal(value) / Decimal(1_000_000)).quantize(Decimal("0.1"))
        digits = f"{millions.normalize():f}".replace(".", get_format("DECIMAL_SEPARATOR"))
        number = ngettext("%(number)s million", "%(number)s million", int(millions)) % {
            "number": digits
        }
    else:
        number = grouped(value)
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        # Translators: an amount of money; French puts the symbol after the number.
        return _("%(symbol)s%(amount)s") % {"symbol": symbol, "amount": number}
    name = CURRENCY_NAMES.get(currency, currency)
    if value >= 1_000_000 and name:
        # Translators: "26.8 million French francs"; French says "millions de francs".
        return pgettext("millions of a named currency", "%(amount)s %(currency)s") % {
            "amount": number,
            "currency": name,
        }
    return f"{number} {name}".strip()


def format_figure(figure) -> str:
    prefix = _("over ") if figure.approximate else ""
    if figure.is_money:
        text = prefix + format_amount(figure.value, figure.currency)
        if figure.converted_usd and figure.currency != "USD":
            about = format_amount(figure.converted_usd, "USD")
            text += _(" (about %(amount)s)") % {"amount": about}
        return text
    if figure.kind == "tickets":
        return prefix + _("%(number)s tickets") % {"number": grouped(figure.value)}
    if figure.kind == "weeks_at_number_one":
        weeks = ngettext("%(number)s week", "%(number)s weeks", figure.value)
        return prefix + weeks % {"number": figure.value}
    return f"{prefix}{grouped(figure.value)}"


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
