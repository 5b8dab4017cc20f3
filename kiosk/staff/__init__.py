"""The staff desk: sign-in, scan, queue, search, status changes, export, audit (/staff)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from kiosk.staff import auth, businesses, queue, views  # noqa: E402,F401
