"""Check a BPJS Ketenagakerjaan membership number (KPJ, Kartu Peserta Jamsostek).

A KPJ is usually exactly 11 digits. That is what the project's domain notes
say; it is not confirmed by an official BPJS specification, so the length
lives in one constant. There is no known check digit, so this is only a
format check; whether the number really exists is BPJS's business.
"""

from __future__ import annotations

import unicodedata

from kiosk.services.errors import DomainError

KPJ_LENGTH = 11
_ASCII_DIGITS = frozenset("0123456789")
# U+2212 MINUS SIGN is not in category Pd but is typed/pasted as a dash.
_EXTRA_DASHES = frozenset("\u2212")


class InvalidKpj(DomainError):
    """Raise when a KPJ number fails the format check; ``code`` says which part."""

    CODES = ("empty", "chars", "length")
    what = "invalid KPJ number"


def _is_separator(ch: str) -> bool:
    """Tell whether ``ch`` is whitespace, a dot or a dash people type inside a number."""
    return ch.isspace() or ch == "." or ch in _EXTRA_DASHES or unicodedata.category(ch) == "Pd"


def normalise_kpj(raw: str | None) -> str:
    """Return the 11 ASCII digits of a KPJ number; raise InvalidKpj otherwise.

    Whitespace, dots and dashes are removed first; every other character is
    kept and then refused. The error never echoes the input, so a hostile
    value cannot end up in a log or a page.

    >>> normalise_kpj(" 123.4567-8901 ")
    '12345678901'
    """
    kpj = "".join(ch for ch in str(raw or "") if not _is_separator(ch))
    if not kpj:
        raise InvalidKpj("empty")
    # str.isdigit() would accept Arabic-Indic and full-width digits; we must not.
    if not set(kpj) <= _ASCII_DIGITS:
        raise InvalidKpj("chars", "only the digits 0-9 are allowed")
    if len(kpj) != KPJ_LENGTH:
        raise InvalidKpj("length", f"{len(kpj)} digits instead of {KPJ_LENGTH}")
    return kpj
