"""Reading an amount of rupiah typed the Indonesian way: dots (or spaces) group thousands, a comma starts the
decimals, and only a zero fraction (",00") or the ",-" suffix may follow ("1,5" is refused rather than guessed).
With units allowed (a wage), "2,5 juta" and "750 rb" are read too: before a unit a decimal comma cannot be
mistaken for a thousands separator.

>>> read_rupiah("Rp1.500.000,00")
Amount(value=Decimal('1500000'), negative=False)
>>> read_rupiah("Rp 2,5 juta", units=True).value
Decimal('2500000.0')
"""

import re
from decimal import Decimal
from typing import NamedTuple

MAX_TEXT = 40  # "Rp 1.000.000.000,00" is 19; longer is never a real figure

_PREFIX = r"(?P<sign>-)?\s?(?:(?:rp|idr)\.?\s?)?(?P<sign2>-)?\s?"
_GROUPED = r"(?P<num>[0-9]{1,3}(?P<sep>[. ])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)(?:,(?:0{1,2}|-))?"
_WITH_UNIT = r"(?P<short>[0-9]{1,4}(?:,[0-9]{1,6})?)\s?(?P<unit>juta|jt|ribu|rb)\.?"
_PLAIN = re.compile(_PREFIX + _GROUPED, re.IGNORECASE | re.ASCII)
_UNITS_ALLOWED = re.compile(_PREFIX + f"(?:{_GROUPED}|{_WITH_UNIT})", re.IGNORECASE | re.ASCII)
UNITS = {"juta": 1_000_000, "jt": 1_000_000, "ribu": 1_000, "rb": 1_000}


def format_rupiah(amount) -> str:
    """An amount written the Indonesian way: Rp 16.800 (a no-break space, so "Rp" never ends a line)."""
    return "Rp\u00a0" + f"{int(amount):,}".replace(",", ".")


class Amount(NamedTuple):
    value: Decimal  # may have a fraction only when read with a unit ("2,5 rb" is 2500, "1,0005 rb" is not whole)
    negative: bool


class NotRupiah(ValueError):
    """The text is empty ("empty") or does not read as an amount ("not_number")."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def read_rupiah(raw: str | None, *, units: bool = False) -> Amount:
    """The amount in raw (spaces collapsed, a typographic minus read as "-"), or NotRupiah."""
    text = " ".join((raw or "").split()).replace("\u2212", "-")
    if not text:
        raise NotRupiah("empty")
    # Length check first keeps the regex and Decimal away from huge inputs.
    pattern = _UNITS_ALLOWED if units else _PLAIN
    match = pattern.fullmatch(text) if len(text) <= MAX_TEXT else None
    if match is None:
        raise NotRupiah("not_number")
    if match["num"] is not None:
        value = Decimal(match["num"].replace(".", "").replace(" ", ""))
    else:
        value = Decimal(match["short"].replace(",", ".")) * UNITS[match["unit"].lower()]
    return Amount(value, bool(match["sign"] or match["sign2"]))
