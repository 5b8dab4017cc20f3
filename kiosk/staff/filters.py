"""Queue and export filters (applications, businesses): read from the query string, checked, turned
into a peewee WHERE.

Every value is checked and an unknown or malformed one is dropped (never an error): a status
that is not a status, a kiosk or event id that does not exist, a regency code that is not a
regency, a date that is not a date. Dates are calendar days in the desk's time zone
(BABEL_DEFAULT_TIMEZONE, WIB); ``created_at`` is stored in UTC, so the bounds are converted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from flask_babel import to_utc
from peewee import fn

from kiosk.models import Business, Event, Kiosk, Region, Registration
from kiosk.services import receipt_codes
from kiosk.services.business_workflow import BUSINESS_STATUSES
from kiosk.services.nib import InvalidNib, parse_nib
from kiosk.services.receipt_codes import parse_code
from kiosk.services.workflow import STATUSES

REGENCY_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")
KINDS = ("bpu", "pu")  # a walk-in (bukan penerima upah) or a worker registered by a business
BUSINESS_KINDS = ("umkm", "koperasi")
SCALES = ("mikro", "kecil", "menengah")
MIN_NAME = 2
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


def _choice(args, name: str, choices: tuple) -> str | None:
    value = _text(args, name, 16)
    return value if value in choices else None


def _regency(args) -> str | None:
    regency = _text(args, "regency", 5)
    if REGENCY_CODE.match(regency) and Region.select().where(
            Region.code == regency, Region.level == Region.REGENCY).exists():
        return regency
    return None


def _date(args, name: str) -> dt.date | None:
    value = _text(args, name, 10)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


class _StatusFilter:
    """What the application and business filters share: WHERE terms from conditions(), links, counts."""

    MODEL: ClassVar = None
    STATUSES: ClassVar[tuple] = ()

    def conditions(self, *, with_status: bool = True) -> list:
        raise NotImplementedError

    def apply(self, query, *, with_status: bool = True):
        terms = self.conditions(with_status=with_status)
        return query.where(*terms) if terms else query

    @staticmethod
    def _only_set(values: dict, changes: dict) -> dict:
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}

    def status_counts(self) -> dict[str, int]:
        """Rows per status under every filter except the status itself."""
        model = self.MODEL
        query = model.select(model.status, fn.COUNT(model.id).alias("n"))
        return _counts(self.apply(query, with_status=False).group_by(model.status), self.STATUSES)


@dataclass(frozen=True)
class QueueFilter(_StatusFilter):
    """The checked filter values; all None means "everything"."""

    MODEL: ClassVar = Registration
    STATUSES: ClassVar[tuple] = STATUSES

    status: str | None = None
    kiosk: Kiosk | None = None
    event: Event | None = None
    regency: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None

    @classmethod
    def from_args(cls, args) -> QueueFilter:
        """Read status, kiosk, event, regency, from, to, kind; drop whatever is not valid."""
        kiosk_id, event_id = _id(args, "kiosk"), _id(args, "event")
        return cls(
            status=_choice(args, "status", STATUSES),
            kiosk=Kiosk.get_or_none(Kiosk.id == kiosk_id) if kiosk_id else None,
            event=Event.get_or_none(Event.id == event_id) if event_id else None,
            regency=_regency(args),
            date_from=_date(args, "from"),
            date_to=_date(args, "to"),
            kind=_choice(args, "kind", KINDS),
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
        terms += _day_terms(Registration.created_at, self.date_from, self.date_to)
        if self.kind:
            terms.append(Registration.kind == self.kind)
        return terms

    def args(self, **changes) -> dict:
        """Query-string values for links (only those set), e.g. url_for(..., **f.args(page=2))."""
        values = {
            "status": self.status or "",
            "kiosk": self.kiosk.id if self.kiosk is not None else "",
            "event": self.event.id if self.event is not None else "",
            "regency": self.regency or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "kind": self.kind or "",
        }
        return self._only_set(values, changes)

    def audit_detail(self) -> dict:
        """The filter as written to the audit log: codes and ids only, never personal data."""
        return self.args()


def _day_terms(column, date_from: dt.date | None, date_to: dt.date | None) -> list:
    """created_at bounds for whole local days (the column is UTC)."""
    terms = []
    if date_from:
        terms.append(column >= to_utc(dt.datetime.combine(date_from, dt.time())))
    if date_to:
        terms.append(column < to_utc(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())))
    return terms


def _counts(query, statuses: tuple) -> dict[str, int]:
    counts = {status: 0 for status in statuses}
    for status, n in query.tuples():
        if status in counts:
            counts[status] = n
    return counts


@dataclass(frozen=True)
class BusinessFilter(_StatusFilter):
    """The business queue's checked filter values and search text; all None means "every business".

    The search text q finds a business by its NIB (13 digits, any spacing), its receipt code
    (KU-XXXX-XXXX in any case, with or without dashes) or a part of its name (2 characters or more).
    """

    status: str | None = None
    kind: str | None = None
    scale: str | None = None
    event: Event | None = None
    regency: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    MODEL: ClassVar = Business
    STATUSES: ClassVar[tuple] = BUSINESS_STATUSES

    @classmethod
    def from_args(cls, args) -> BusinessFilter:
        """Read status, kind, scale, event, regency, from, to, q; drop whatever is not valid."""
        event_id = _id(args, "event")
        return cls(
            status=_choice(args, "status", BUSINESS_STATUSES),
            kind=_choice(args, "kind", BUSINESS_KINDS),
            scale=_choice(args, "scale", SCALES),
            event=Event.get_or_none(Event.id == event_id) if event_id else None,
            regency=_regency(args),
            date_from=_date(args, "from"),
            date_to=_date(args, "to"),
            q=_search_text(args.get("q", "")),
        )

    @property
    def search_kind(self) -> str:
        """What q is read as: "" (none), "nib", "receipt", "short" (too short a name) or "name"."""
        if not self.q:
            return ""
        try:
            parse_nib(self.q)
            return "nib"
        except InvalidNib:
            pass
        if (parse_code(self.q) or ("",))[0] == receipt_codes.BUSINESS:
            return "receipt"
        return "short" if len(self.q) < MIN_NAME else "name"

    def conditions(self, *, with_status: bool = True) -> list:
        terms = []
        if with_status and self.status:
            terms.append(Business.status == self.status)
        if self.kind:
            terms.append(Business.kind == self.kind)
        if self.scale:
            terms.append(Business.scale == self.scale)
        if self.event is not None:
            terms.append(Business.event == self.event.id)
        if self.regency:
            terms.append(Business.regency_code == self.regency)
        terms += _day_terms(Business.created_at, self.date_from, self.date_to)
        kind = self.search_kind
        if kind == "nib":
            terms.append(Business.nib == parse_nib(self.q))
        elif kind == "receipt":
            terms.append(Business.receipt_code == parse_code(self.q)[1])
        elif kind == "name":
            terms.append(Business.name.contains(self.q))  # ILIKE with % and _ escaped
        elif kind == "short":
            terms.append(Business.id < 0)  # a one-letter name matches nothing rather than everything
        return terms

    def args(self, **changes) -> dict:
        """Query-string values for links (only those set)."""
        values = {
            "status": self.status or "", "kind": self.kind or "", "scale": self.scale or "",
            "event": self.event.id if self.event is not None else "", "regency": self.regency or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "", "q": self.q,
        }
        return self._only_set(values, changes)

    def audit_detail(self) -> dict:
        """The filter for the audit log: codes and ids, and the search text only when it is a NIB or a
        receipt code (a name typed into the box stays out of the log)."""
        detail = self.args()
        if self.search_kind in ("name", "short"):
            detail["q"] = "(nama)"
        return detail


def _search_text(raw) -> str:
    """Drop control and format characters (NUL would break PostgreSQL), collapse spaces, cap length."""
    text = raw if isinstance(raw, str) else ""
    text = "".join(ch for ch in text[:400] if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.split())[:100]
