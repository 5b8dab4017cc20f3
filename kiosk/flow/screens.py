"""Render a screen as a whole page or, for an htmx step, as just the #screen fragment."""

from flask import render_template

from kiosk.web.htmx import wants_fragment

SCREEN = "screen"  # the element every kiosk step swaps


def render_screen(template: str, *, status: int = 200, page_template: str = "page.html", **context):
    """Render template (a fragment that extends screen.html) standalone or inside the full page
    (page_template: a flow with its own styles has its own page around the same fragment)."""
    if wants_fragment(SCREEN):
        # htmx does not swap 4xx responses; an invalid form is still a normal answer to show.
        return render_template(template, partial=True, **context), 200
    return render_template(page_template, fragment=template, partial=False, **context), status
