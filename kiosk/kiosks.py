"""Which kiosk this browser is: a long-lived signed cookie set when the device is enrolled."""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from kiosk.models import Kiosk

COOKIE = "kiosk"
TEN_YEARS = 10 * 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kiosk-device")


def current_kiosk() -> Kiosk | None:
    """Return the enrolled kiosk of this browser, or None for the plain web channel."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        kiosk_id = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(kiosk_id, int):
        return None
    return Kiosk.get_or_none((Kiosk.id == kiosk_id) & (Kiosk.active == True))  # noqa: E712


def enrol(code: str, response) -> Kiosk | None:
    """Bind the browser to the kiosk whose enrolment code this is; None if no such kiosk."""
    kiosk = Kiosk.get_or_none((Kiosk.enrol_code == code) & (Kiosk.active == True))  # noqa: E712
    if kiosk is None:
        return None
    response.set_cookie(COOKIE, _serializer().dumps(kiosk.id), max_age=TEN_YEARS, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return kiosk
