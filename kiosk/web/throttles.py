"""Counters a client cannot reset: keyed on what is being guessed (a NIK's blind index) or on nothing at all
(a ceiling for everyone), counted in the limiter's shared store (the database or Redis)."""

from flask import current_app
from limits import parse_many

from kiosk.web.extensions import limiter


def _items(setting: str):
    return parse_many(current_app.config[setting])


def _key(name: str, identifier: str) -> tuple[str, str]:
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + "|" + name, identifier


def take(setting: str, name: str, identifier: str = "all") -> bool:
    """Count one attempt under (name, identifier) in every window of the setting, before the attempt is
    made (each hit is one atomic increment, so parallel requests cannot all pass a check first); False
    when a window was already full."""
    allowed = True
    for item in _items(setting):
        allowed = limiter.limiter.hit(item, *_key(name, identifier)) and allowed
    return allowed


def give_back(setting: str, name: str, identifier: str = "all") -> None:
    """Return the attempt take() counted, when it succeeded: only failures use up the windows."""
    for item in _items(setting):
        limiter.limiter.hit(item, *_key(name, identifier), cost=-1)
