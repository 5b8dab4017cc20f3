"""An UMKM or koperasi owner registers the business and its workers at the kiosk."""

from flask import Blueprint

bp = Blueprint("business", __name__)

from kiosk.business import steps, views, workers  # noqa: E402,F401  (routes register on bp)
