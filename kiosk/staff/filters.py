"""Queue and export filters: read from the query string, checked, turned into a peewee WHERE.

Every value is checked and an unknown or malformed one is dropped (never an error): a status
that is not a status, a kiosk or event id that does not exist, a regency code that is not a
regency, a date that is not a date. Dates are calendar days in the desk's time zone
(BABEL_DEFAULT_TIMEZONE, WIB); ``created_at`` is stored in UTC, so the bounds are converted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import to_utc
from peewee import fn

from kiosk.models import Event, Kiosk, Region, Registration
from kiosk.services.workflow import STATUSES

REGENCY_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")
MAX_ID = 2**31 - 1  # an integer column on every backend; a bigger number cannot be a row
# Dates outside this range are dropped: nothing was registered before, and the UTC conversion of
# a day near date.max would overflow.
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _text(args, name: str, limit: int = 40) -> str:
    value = args.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _id(args, name: str) -> int | None:
    value = _text(args, name, 12)
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _date(args, name: str) -> dt.date | None:
    value = _text(args, name, 10)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


@dataclass(frozen=True)
class QueueFilter:
    """The checked filter values; all None means "everything"."""

    status: str | None = None
    kiosk: Kiosk | None = None
    event: Event | None = None
    regency: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_args(cls, args) -> QueueFilter:
        """Read status, kiosk, event, regency, from, to; drop whatever is not valid."""
        status = _text(args, "status", 16)
        kiosk_id, event_id = _id(args, "kiosk"), _id(args, "event")
        regency = _text(args, "regency", 5)
        return cls(
            status=status if status in STATUSES else None,
            kiosk=Kiosk.get_or_none(Kiosk.id == kiosk_id) if kiosk_id else None,
            event=Event.get_or_none(Event.id == event_id) if event_id else None,
            regency=regency if REGENCY_CODE.match(regency) and Region.select().where(
                Region.code == regency, Region.level == Region.REGENCY).exists() else None,
            date_from=_date(args, "from"),
            date_to=_date(args, "to"),
        )

    def conditions(self, *, with_status: bool = True) -> list:
        """Return the WHERE terms; without the status one for the per-status counts."""
        terms = []
        if with_status and self.status:
            terms.append(Registration.status == self.status)
        if self.kiosk is not None:
            terms.append(Registration.kiosk == self.kiosk.id)
        if self.event is not None:
            terms.append(Registration.event == self.event.id)
        if self.regency:
            terms.append(Registration.regency_code == self.regency)
        if self.date_from:
            terms.append(Registration.created_at >= to_utc(dt.datetime.combine(self.date_from, dt.time())))
        if self.date_to:
            next_day = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time())
            terms.append(Registration.created_at < to_utc(next_day))
        return terms

    def apply(self, query, *, with_status: bool = True):
        terms = self.conditions(with_status=with_status)
        return query.where(*terms) if terms else query

    def args(self, **changes) -> dict:
        """Query-string values for links (only those set), e.g. url_for(..., **f.args(page=2))."""
        values = {
            "status": self.status or "",
            "kiosk": self.kiosk.id if self.kiosk is not None else "",
            "event": self.event.id if self.event is not None else "",
            "regency": self.regency or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}

    def audit_detail(self) -> dict:
        """The filter as written to the audit log: codes and ids only, never personal data."""
        return self.args()

    def status_counts(self) -> dict[str, int]:
        """Applications per status under every filter except the status itself."""
        query = self.apply(Registration.select(Registration.status, fn.COUNT(Registration.id).alias("n")),
                           with_status=False).group_by(Registration.status)
        counts = {status: 0 for status in STATUSES}
        for status, n in query.tuples():
            counts[status] = n
        return counts
