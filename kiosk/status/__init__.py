"""The public status page a receipt's QR opens: /s/<token>."""

from flask import Blueprint

bp = Blueprint("status", __name__)

from kiosk.status import staff_panel, views  # noqa: E402,F401
