"""Administration: kiosks and their enrolment, events, staff accounts (/admin, admin role only).

Changes are POST-redirect-GET with a flash message and an audit entry (no passwords, enrolment codes or
personal data in it). Enrolment codes are shown once, in the response to the POST that issued them, and never
again.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from kiosk.admin import accounts, events, kiosks, views  # noqa: E402,F401  (routes register on bp)
