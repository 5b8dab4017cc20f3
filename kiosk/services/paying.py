"""How an active BPU member pays and what they get, from the dated facts file (paying.toml next to this module).

The kiosk explains, it does not fetch: no public interface gives a member's payment code or payment status.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "paying.toml"
CHANNEL_KINDS = ("bank", "minimarket", "ewallet", "marketplace", "app", "autodebit")
PLACES = ("app", "branch", "call_centre", "sms")


class PayingFactsError(ValueError):
    """paying.toml is malformed or has no entry for a day."""


@dataclass(frozen=True)
class Channel:
    kind: str
    names: tuple[str, ...]
    unconfirmed: bool


@dataclass(frozen=True)
class PayingFacts:
    valid_from: date
    payment_code: str
    code_from: tuple[str, ...]
    channels: tuple[Channel, ...]
    app: str
    digital_card: str
    status_by_nik: tuple[str, ...]
    call_centre: str
    late_fine: bool
    unconfirmed: frozenset[str]
    sources: tuple[str, ...]

    def is_unconfirmed(self, key: str) -> bool:
        return key in self.unconfirmed


def _places(raw, key: str) -> tuple[str, ...]:
    places = tuple(raw[key])
    if not places or any(place not in PLACES for place in places):
        raise PayingFactsError(f"paying.toml: {key} must list some of {PLACES}")
    return places


def facts_from_dict(data) -> tuple[PayingFacts, ...]:
    """Check and order the entries (ascending valid_from)."""
    entries = []
    try:
        for raw in data.get("paying", []):
            unconfirmed = frozenset(raw.get("unconfirmed", []))
            channels = tuple(Channel(c["kind"], tuple(c.get("names", [])), bool(c.get("unconfirmed", False)))
                             for c in raw["channels"])
            if not channels or any(c.kind not in CHANNEL_KINDS for c in channels):
                raise PayingFactsError(f"paying.toml: channel kinds must be some of {CHANNEL_KINDS}")
            entries.append(PayingFacts(
                valid_from=raw["valid_from"], payment_code=str(raw["payment_code"]),
                code_from=_places(raw, "code_from"), channels=channels, app=str(raw["app"]),
                digital_card=str(raw["digital_card"]), status_by_nik=_places(raw, "status_by_nik"),
                call_centre=str(raw["call_centre"]), late_fine=bool(raw["late_fine"]), unconfirmed=unconfirmed,
                sources=tuple(raw.get("sources", [])),
            ))
    except (KeyError, TypeError) as exc:
        raise PayingFactsError(f"paying.toml: missing or malformed value ({exc!r})") from exc
    if not entries:
        raise PayingFactsError("paying.toml: at least one [[paying]] entry is required")
    if any(not isinstance(e.valid_from, date) for e in entries) or \
            [e.valid_from for e in entries] != sorted(e.valid_from for e in entries):
        raise PayingFactsError("paying.toml: valid_from dates must be dates, in ascending order")
    return tuple(entries)


@functools.cache
def load_facts(path: Path | None = None) -> tuple[PayingFacts, ...]:
    with open(path or DEFAULT_PATH, "rb") as handle:
        return facts_from_dict(tomllib.load(handle))


def facts_for(day: date, path: Path | None = None) -> PayingFacts:
    """The facts in force on day (the latest entry that started on or before it)."""
    entries = [e for e in load_facts(path) if e.valid_from <= day]
    if not entries:
        raise PayingFactsError(f"paying.toml: no entry in force on {day}")
    return entries[-1]
