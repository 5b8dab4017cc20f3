"""Check an Indonesian NIK (Nomor Induk Kependudukan) offline.

Layout: ``PP KK CC DDMMYY SSSS`` (province, regency, district, birth date
with +40 on the day for women, serial from 0001). There is no check digit,
so the best we can do offline is a format and plausibility check; whether
the NIK really exists is checked later by BPJS against Dukcapil.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kiosk.services.errors import DomainError

NIK_LENGTH = 16
_ASCII_DIGITS = frozenset("0123456789")
# U+2212 MINUS SIGN is not in category Pd but is typed/pasted as a dash.
_EXTRA_DASHES = frozenset("\u2212")
_FEMALE_DAY_OFFSET = 40
_AGE_MIN, _AGE_MAX = 15, 80


class RegionLookup(Protocol):
    """Resolve a Kemendagri dotted region code to its name."""

    def name(self, code: str) -> str | None:
        """Return the name for ``"35"``, ``"35.78"`` or ``"35.78.01"``; None if unknown."""
        ...


class InvalidNik(DomainError):
    """Raise when a NIK fails an offline check; ``code`` says which one."""

    CODES = (
        "empty", "chars", "length", "province", "regency",
        "birth_day", "birth_month", "birth_date", "serial",
    )
    what = "invalid NIK"


@dataclass(frozen=True)
class NikInfo:
    """Hold what a well-formed NIK tells us."""

    nik: str
    province_code: str
    regency_code: str
    district_code: str
    district_known: bool
    birth_date: date
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    serial: str
    warnings: tuple[str, ...] = ()


def _is_separator(ch: str) -> bool:
    """Tell whether ``ch`` is whitespace, a dot or a dash people type inside a NIK."""
    return ch.isspace() or ch == "." or ch in _EXTRA_DASHES or unicodedata.category(ch) == "Pd"


def normalise_nik(raw: str | None) -> str:
    """Strip all whitespace, dots and dashes; keep every other character.

    >>> normalise_nik(" 3578.0117-0885 0003 ")
    '3578011708850003'
    """
    if not raw:
        return ""
    return "".join(ch for ch in str(raw) if not _is_separator(ch))


def mask_nik(nik: str) -> str:
    """Show the first and last 4 digits only: ``3578********0003``.

    Anything that is not a 16-character NIK is masked completely, so a bad
    value never leaks into a log or a page.
    """
    digits = normalise_nik(nik)
    if len(digits) != NIK_LENGTH:
        return "*" * NIK_LENGTH
    return digits[:4] + "*" * 8 + digits[-4:]


def mask_nik_public(nik_or_masked: str) -> str:
    """Show the last 4 digits only, for pages anyone with the link may open: ``************0003``.

    Takes a NIK or its stored mask. The first 4 digits (province and regency) plus a birth month left
    only 8 digits to guess, which an oracle found in 1,922 tries; the serial alone leaves 12.
    """
    tail = (nik_or_masked or "")[-4:]
    if len(nik_or_masked or "") != NIK_LENGTH or not (tail.isascii() and tail.isdigit()):
        return "*" * NIK_LENGTH
    return "*" * (NIK_LENGTH - 4) + tail


def _birth_day_and_sex(dd: int) -> tuple[int, str]:
    """Split the encoded day into the real day and sex (women add 40)."""
    if 1 <= dd <= 31:
        return dd, "L"
    if 1 + _FEMALE_DAY_OFFSET <= dd <= 31 + _FEMALE_DAY_OFFSET:
        return dd - _FEMALE_DAY_OFFSET, "P"
    raise InvalidNik("birth_day", f"day field {dd:02d} is neither 01-31 nor 41-71")


def _birth_year(yy: int, month: int, day: int, today: date) -> int:
    """Pick 20YY unless that birthday is after ``today``, else 19YY.

    Compared as tuples so an impossible day (31 Feb) is reported by the
    later date check, not here.

    >>> _birth_year(99, 2, 1, date(2026, 1, 1))
    1999
    >>> _birth_year(5, 2, 1, date(2026, 1, 1))
    2005
    """
    recent = 2000 + yy
    if (recent, month, day) > (today.year, today.month, today.day):
        return 1900 + yy
    return recent


def _age_on(born: date, today: date) -> int:
    """Return full years between ``born`` and ``today``."""
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def _check_characters(nik: str) -> None:
    """Reject empty input, non-ASCII-digits and the wrong length, in that order."""
    if not nik:
        raise InvalidNik("empty")
    # str.isdigit() would accept Arabic-Indic and full-width digits; we must not.
    if not set(nik) <= _ASCII_DIGITS:
        raise InvalidNik("chars", "only the digits 0-9 are allowed")
    if len(nik) != NIK_LENGTH:
        raise InvalidNik("length", f"{len(nik)} digits instead of {NIK_LENGTH}")


def _decode_birth(nik: str, today: date) -> tuple[date, str]:
    """Decode the DDMMYY block into a birth date and sex."""
    day, sex = _birth_day_and_sex(int(nik[6:8]))
    month = int(nik[8:10])
    if not 1 <= month <= 12:
        raise InvalidNik("birth_month", f"month field {month:02d}")
    year = _birth_year(int(nik[10:12]), month, day, today)
    try:
        return date(year, month, day), sex
    except ValueError:
        raise InvalidNik("birth_date", f"{day:02d}-{month:02d}-{year} is not a calendar date") from None


def parse_nik(raw: str | None, regions: RegionLookup, today: date) -> NikInfo:
    """Check a NIK offline and decode it; raise InvalidNik on the first failed check.

    An unknown district is only a warning: codes get renumbered and the NIK
    keeps the code of the district where it was first issued.
    """
    nik = normalise_nik(raw)
    _check_characters(nik)
    province, regency = nik[:2], f"{nik[:2]}.{nik[2:4]}"
    district = f"{regency}.{nik[4:6]}"
    if regions.name(province) is None:
        raise InvalidNik("province", f"no province {province}")
    if regions.name(regency) is None:
        raise InvalidNik("regency", f"no regency {regency}")
    born, sex = _decode_birth(nik, today)
    serial = nik[12:]
    if serial == "0000":
        raise InvalidNik("serial", "serials start at 0001")

    warnings: list[str] = []
    district_known = regions.name(district) is not None
    if not district_known:
        warnings.append("district_unknown")
    if not _AGE_MIN <= _age_on(born, today) <= _AGE_MAX:
        warnings.append("age_unusual")
    return NikInfo(
        nik=nik, province_code=province, regency_code=regency,
        district_code=district, district_known=district_known,
        birth_date=born, sex=sex, serial=serial, warnings=tuple(warnings),
    )
