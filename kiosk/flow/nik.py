"""What a NIK typed on a kiosk step tells the person, in both flows: how far the typing is, and what the
NIK says (sex, birth date, region) for them to confirm."""

from flask_babel import gettext as _

from kiosk import forms, messages
from kiosk.regions import DbRegionLookup, name_of
from kiosk.services.nik import InvalidNik, parse_nik


def typing_state(raw: str) -> tuple[int, bool]:
    """(digits typed, still typing): no verdict until 16 digits, unless something other than a digit or
    separator was typed."""
    digits = "".join(ch for ch in raw if ch.isascii() and ch.isdigit())
    still_typing = len(digits) < 16 and all(ch.isascii() and (ch.isdigit() or ch in " .-") for ch in raw)
    return len(digits), still_typing


def quiet_parse(raw):
    """Return NikInfo for raw, or None if it is not a valid NIK (messages come from the form)."""
    try:
        return parse_nik(raw, DbRegionLookup(), forms.today())
    except InvalidNik:
        return None


def identity_summary(info):
    """Describe what the NIK says, for the person to confirm."""
    return {
        "sex": _("Laki-laki") if info.sex == "L" else _("Perempuan"),
        "birth_date": info.birth_date,
        "province": name_of(info.province_code),
        "regency": name_of(info.regency_code),
        "district": name_of(info.district_code) if info.district_known else None,
        "warnings": [messages.WARNINGS[w] for w in info.warnings],
    }
