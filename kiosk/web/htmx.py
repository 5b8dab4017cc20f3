"""Page or fragment: decided by where the answer goes (HX-Target), not by whether htmx asked."""

from htmx_flask import request


def wants_fragment(target: str) -> bool:
    """True for an htmx swap of #target; first loads, reloads, history misses and other targets get the page."""
    return bool(request.htmx) and request.htmx.target == target and not request.htmx.history_restore_request
