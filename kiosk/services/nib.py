"""Check a business's NIB (Nomor Induk Berusaha) as issued by OSS RBA.

An NIB is 13 digits. There is no published check digit, so this is a format
check only; whether the NIB really belongs to the business is checked by
BPJS against OSS later.
"""

from __future__ import annotations

from kiosk.services.errors import DomainError
from kiosk.services.nik import normalise_nik

NIB_LENGTH = 13
_ASCII_DIGITS = frozenset("0123456789")


class InvalidNib(DomainError):
    """Raise when an NIB fails the format check; ``code`` says which part."""

    CODES = ("empty", "characters", "length")
    what = "invalid NIB"


def normalise_nib(raw: str | None) -> str:
    """Drop whitespace, dots and dashes; keep every other character so errors can name it.

    People copy the NIB from the OSS certificate with its spacing, the same
    way they type a NIK, so the NIK's separator rule applies.

    >>> normalise_nib(" 9120.0011-22 334 ")
    '9120001122334'
    """
    return normalise_nik(raw)


def parse_nib(raw: str | None) -> str:
    """Return the 13 ASCII digits of an NIB; raise InvalidNib otherwise.

    The error never echoes the input, so a hostile value cannot reach a log.

    >>> parse_nib("9120001122334")
    '9120001122334'
    """
    nib = normalise_nib(raw)
    if not nib:
        raise InvalidNib("empty")
    # str.isdigit() would accept Arabic-Indic and full-width digits; we must not.
    if not set(nib) <= _ASCII_DIGITS:
        raise InvalidNib("characters", "only the digits 0-9 are allowed")
    if len(nib) != NIB_LENGTH:
        raise InvalidNib("length", f"{len(nib)} digits instead of {NIB_LENGTH}")
    return nib
