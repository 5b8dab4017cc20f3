"""Counters a client cannot reset: keyed on what is being guessed (a NIK's blind index) or on nothing at all
(a ceiling for everyone), counted in the limiter's shared store (the database or Redis)."""

from flask import current_app
from limits import parse_many

from kiosk.extensions import limiter


def _items(setting: str):
    return parse_many(current_app.config[setting])


def _key(name: str, identifier: str) -> tuple[str, str]:
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + "|" + name, identifier


def exhausted(setting: str, name: str, identifier: str = "all") -> bool:
    """True when the failures counted under (name, identifier) have reached a limit of the setting."""
    return not all(limiter.limiter.test(item, *_key(name, identifier)) for item in _items(setting))


def count(setting: str, name: str, identifier: str = "all") -> None:
    """Count one failure under (name, identifier) in every window of the setting."""
    for item in _items(setting):
        limiter.limiter.hit(item, *_key(name, identifier))
