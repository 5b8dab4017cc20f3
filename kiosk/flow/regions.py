"""The address selects of both kiosk flows: province, regency, district, village, each filled from the one above;
and the same without the database (the choices this process has already shown)."""

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from kiosk.db import UNAVAILABLE, db
from kiosk.models import Region
from kiosk.regions import choices as region_choices

REGION_LEVELS = (("province", Region.PROVINCE), ("regency", Region.REGENCY),
                 ("district", Region.DISTRICT), ("village", Region.VILLAGE))


def cascade(form, fields):
    """Fill each select's choices from its parent's value; clear values that do not belong."""
    parent = None
    for name, level in fields:
        field = form[name]
        options = region_choices(parent, level) if (parent or level == Region.PROVINCE) else []
        _remember_choices(parent, level, options)
        field.choices = [SelectChoice("", _("— pilih —"))] + [SelectChoice(code, name) for code, name in options]
        if field.data not in {code for code, _ in options}:
            field.data = ""
        parent = field.data or None


WORK_LEVELS = (("work_province", Region.PROVINCE), ("work_regency", Region.REGENCY))


# Region choices this process has shown, so an offline re-render still names the chosen areas.
_KNOWN_CHOICES: dict = {}
_KNOWN_CHOICES_MAX = 4096


def _remember_choices(parent, level, options) -> None:
    if len(_KNOWN_CHOICES) >= _KNOWN_CHOICES_MAX:
        _KNOWN_CHOICES.clear()
    _KNOWN_CHOICES[(parent, level)] = options


def cascade_offline(form, fields):
    """cascade() without the database: remembered choices, else the submitted code itself."""
    parent = None
    for name, level in fields:
        field = form[name]
        value = field.data or ""
        options = _KNOWN_CHOICES.get((parent, level)) or ([(value, value)] if value else [])
        field.choices = [SelectChoice("", _("— pilih —"))] + [SelectChoice(code, label) for code, label in options]
        parent = value or None


def cascade_offline_safe(form, fields):
    """cascade() while the database answers; without it, cascade_offline()."""
    if not db.is_closed():  # SQLite locked for writing still reads; a lost connection is not retried
        try:
            return cascade(form, fields)
        except UNAVAILABLE:
            pass
    cascade_offline(form, fields)
