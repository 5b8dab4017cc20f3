"""Administration: kiosks and their enrolment, events, staff accounts (/admin, admin role only)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from kiosk.admin import views  # noqa: E402,F401
