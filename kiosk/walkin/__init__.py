"""The walk-in worker's screens: welcome, consent, five answer steps, receipt, reprint."""

from flask import Blueprint

bp = Blueprint("walkin", __name__)

from kiosk.walkin import views  # noqa: E402,F401  (routes register on bp)
