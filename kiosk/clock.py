"""One clock for the whole app. Instants are stored in UTC (naive, as the database keeps them); "today" and every
time shown to people or staff are in the configured zone: KIOSK_TIMEZONE, default Asia/Jakarta (WIB), or
Asia/Makassar (WITA) / Asia/Jayapura (WIT) for a province in those zones.

A market opens at 06:00 WIB, which is 23:00 UTC the day before: a date taken from UTC would tag the morning's
registrations with yesterday's event and quote yesterday's rates.

Tests freeze time by replacing ``wall_clock`` (every reading of the time comes through it).
"""

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Jakarta"
# What people call the zone beside a time ("09.30 WIB").
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def utcnow() -> dt.datetime:
    """Now, in UTC without tzinfo: the form every stored instant has."""
    return wall_clock().astimezone(dt.timezone.utc).replace(tzinfo=None)


def zone_name() -> str:
    try:
        from flask import current_app

        return current_app.config.get("TIMEZONE") or DEFAULT_ZONE
    except RuntimeError:  # outside an app (a script, a unit test): the default zone
        return DEFAULT_ZONE


def zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def zone_label() -> str:
    return ZONE_LABELS.get(zone_name(), zone_name())


def local(instant: dt.datetime | str) -> dt.datetime:
    """A stored instant (naive UTC, or its ISO text as the audit log keeps it) in the configured zone."""
    if isinstance(instant, str):
        instant = dt.datetime.fromisoformat(instant)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.timezone.utc)
    return instant.astimezone(zone())


def now() -> dt.datetime:
    """Now in the configured zone (aware)."""
    return local(utcnow())


def today() -> dt.date:
    """Today's date where the kiosks stand: the date of rules, events, ages and every date shown."""
    return now().date()
