"""A kiosk step sent while the database cannot answer (PostgreSQL down or refusing, SQLite locked past its busy
timeout): answered 503 with the same step re-rendered from the submitted form plus the "try again" message (an
htmx swap gets it with 200, as every step answer: htmx swaps no 5xx). Pressing Lanjut again once the database is
back saves the same answers. Nothing here may need the database.
"""

from flask import current_app, make_response, request
from flask_wtf.csrf import generate_csrf

from kiosk.db import describe_error
from kiosk.flow.screens import render_screen
from kiosk.web.errors import forget_unloaded_staff_user, messages, unavailable_response, with_retry_after


def _retry_fields() -> list:
    fields = list(request.form.items(multi=True))
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not any(k == "csrf_token" for k, _v in fields):
        fields.append(("csrf_token", generate_csrf()))  # htmx sent it as a header only
    return fields


def keep_what_was_typed(exc, *, step_screen, retry_screen, context):
    """The 503 answer of a flow's POST: step_screen(endpoint) gives (template, title, form, context) of a step
    that can be drawn from the form alone; retry_screen(endpoint) gives (button label, step) of a step whose
    screen needs the draft; any other request gets the generic page."""
    endpoint = request.endpoint
    if request.method != "POST":
        return unavailable_response(exc)
    current_app.logger.warning("database unavailable on %s: %s", endpoint, describe_error(exc))
    forget_unloaded_staff_user()
    title, message = messages()
    try:
        step = step_screen(endpoint)
        retry = None if step else retry_screen(endpoint)
        if step:
            template, step_title, form, step_context = step
            response = render_screen("flow/unavailable_step.html", status=503, step_template=template,
                                     title=step_title, form=form, unavailable_title=title,
                                     unavailable_message=message, **step_context)
        elif retry:
            label, step_name = retry
            query = request.query_string.decode("latin-1")
            response = render_screen("flow/unavailable_retry.html", status=503, title=title, unavailable_title=title,
                                     unavailable_message=message, retry_label=label,
                                     retry_action=request.path + ("?" + query if query else ""),
                                     retry_fields=_retry_fields(), **context(step_name))
        else:
            return unavailable_response(exc)
    except Exception:
        current_app.logger.exception("could not re-render %s without the database", endpoint)
        return unavailable_response(exc)
    body, status = response
    return with_retry_after(make_response(body, status))
