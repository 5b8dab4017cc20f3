"""Where an answer sends the browser: See Other after a POST, and only ever to a path on this site."""

from urllib.parse import urlsplit

from flask import redirect, url_for


def see_other(endpoint: str, **values):
    """303 to the next GET (htmx follows it with the same HX-Target)."""
    return redirect(url_for(endpoint, **values), code=303)


# Longer than any of our own paths with a query: anything beyond is not a link we made.
NEXT_MAX_CHARS = 2000


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback (no open redirects, never a 500).

    Control characters are refused, not stripped: browsers drop tab and newlines from a URL, so
    "/\\t/evil.example" would become "//evil.example", and CR/LF cannot go into a Location header.
    """
    if not target or len(target) > NEXT_MAX_CHARS:
        return fallback
    if any(ch < " " or ch == "\x7f" or ch == "\\" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
