"""Normalise Indonesian mobile numbers to E.164 with libphonenumber."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from kiosk.services.errors import DomainError

REGION = "ID"
COUNTRY_CODE = 62
MAX_RAW_LENGTH = 30
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
# Only ASCII digits, a leading "+" and the separators people really type.
# libphonenumber would otherwise accept "++62...", turn letters into keypad
# digits ("0812 ABCD EFGH") and silently drop extensions ("... ext 5").
_ALLOWED = re.compile(r"\+?[0-9()\-.\s]+")
# \s also matches a few control characters (\x1c-\x1f, \x85); refuse them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class InvalidPhone(DomainError):
    """Raise when a phone number is not an Indonesian mobile number; see ``code``."""

    CODES = ("empty", "invalid", "not_mobile")
    what = "invalid phone number"


def _parse(text: str) -> phonenumbers.PhoneNumber:
    """Parse with region ID, turning parser errors into InvalidPhone."""
    try:
        return phonenumbers.parse(text, REGION)
    except NumberParseException as exc:
        raise InvalidPhone("invalid", str(exc)) from None


def normalise_mobile(raw: str | None) -> str:
    """Return the E.164 form of an Indonesian mobile number.

    >>> normalise_mobile("(0812) 345-67890")
    '+6281234567890'
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("empty")
    # Checked before parsing so nobody can feed the parser huge strings.
    if len(text) > MAX_RAW_LENGTH:
        raise InvalidPhone("invalid", f"longer than {MAX_RAW_LENGTH} characters")
    if not _ALLOWED.fullmatch(text) or _CONTROL.search(text):
        raise InvalidPhone("invalid", "only digits, spaces, + ( ) - . are allowed")
    number = _parse(text)
    if number.country_code != COUNTRY_CODE or phonenumbers.region_code_for_number(number) != REGION:
        raise InvalidPhone("invalid", "only Indonesian (+62) numbers are accepted")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("invalid", "not a valid Indonesian number")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidPhone("not_mobile", "a landline or other non-mobile number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    """A stored number as people here write it: ``+6281234567890`` is ``0812 3456 7890``.

    >>> display_phone("+628123456789")
    '0812 3456 789'
    """
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, REGION)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace("-", " ")


def mask_phone(e164: str) -> str:
    """Show the operator prefix and last 4 digits as people write them: ``0812 **** 7890``.

    Always four stars, so the mask does not reveal the number's length;
    anything that is not a +62 number is masked completely.
    """
    prefix = f"+{COUNTRY_CODE}"
    national = (e164 or "")[len(prefix):]
    if not (e164 or "").startswith(prefix) or not national.isascii() or not national.isdigit() or len(national) < 8:
        return "**** ****"
    return f"0{national[:3]} **** {national[-4:]}"
