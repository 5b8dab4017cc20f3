"""The public status pages a receipt's QR opens: an application's /s/<token>, a business's /u/<token>; with the
staff panel and its actions for a signed-in officer."""

from flask import Blueprint

bp = Blueprint("status", __name__)

from kiosk.status import actions, business, views  # noqa: E402,F401  (routes register on bp)
