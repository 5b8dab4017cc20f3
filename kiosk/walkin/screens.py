"""Render a screen as a whole page or, for an htmx step, as just the #screen fragment."""

from flask import render_template
from htmx_flask import request


def wants_fragment() -> bool:
    """htmx swaps of #screen get the fragment; first loads, reloads and history misses get the page."""
    return bool(request.htmx) and request.htmx.target == "screen" and not request.htmx.history_restore_request


def render_screen(template: str, *, status: int = 200, page_template: str = "page.html", **context):
    """Render template (a fragment that extends _screen.html) standalone or inside the full page
    (page_template: a flow with its own styles has its own page around the same fragment)."""
    if wants_fragment():
        # htmx does not swap 4xx responses; an invalid form is still a normal answer to show.
        return render_template(template, partial=True, **context), 200
    return render_template(page_template, fragment=template, partial=False, **context), status
