"""The visit's language and how numbers and dates read: the language switch, template filters and globals."""

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import format_date, format_datetime

from kiosk import clock
from kiosk.labels import PAYER_LABELS
from kiosk.services.nik import mask_nik_public
from kiosk.services.phone import display_phone
from kiosk.services.rupiah import format_rupiah
from kiosk.web.navigation import safe_next

bp = Blueprint("pages", __name__)


@bp.post("/bahasa")
def set_language():
    """Switch the visit's language and go back to the same screen."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("walkin.welcome")), code=303)


def when(instant, fmt: str = "d MMM yyyy HH.mm") -> str:
    """A stored instant (naive UTC, or the audit log's ISO text) as a time in the kiosks' zone, named: "1 Des 2026
    09.23 WIB"."""
    if not instant:
        return ""
    return f"{format_datetime(clock.local(instant), fmt)} {clock.zone_label()}"


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["public_nik"] = mask_nik_public
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["phone"] = display_phone

    @app.context_processor
    def _globals():
        from kiosk.kiosks import COOKIE

        return {"languages": current_app.config["LANGUAGES"], "zone_label": clock.zone_label(),
                "payer_labels": PAYER_LABELS,
                "current_lang": session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"],
                # An enrolled kiosk device (the cookie's signature is checked where it matters, not for
                # this): it has no keyboard, so number fields open the on-screen keypad on focus.
                "kiosk_device": bool(request.cookies.get(COOKIE))}
