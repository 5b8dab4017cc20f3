"""Which kiosk this browser is: a long-lived signed cookie set when the device is enrolled."""

import datetime as dt
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from kiosk.models import Kiosk, utcnow

COOKIE = "kiosk"
TEN_YEARS = 10 * 365 * 24 * 3600
ENROL_CODE_VALID = dt.timedelta(days=7)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kiosk-device")


def issue_enrol_code(kiosk: Kiosk) -> str:
    """Give the kiosk a fresh one-time enrolment code (valid for a week); return it."""
    kiosk.enrol_code = secrets.token_urlsafe(16)
    kiosk.enrol_expires_at = utcnow() + ENROL_CODE_VALID
    kiosk.save()
    return kiosk.enrol_code


def _signed_cookie() -> tuple[int, str] | None:
    """(kiosk id, device key) from this browser's kiosk cookie if our signature holds, else None."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        kiosk_id, device_key = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(kiosk_id, int) or not isinstance(device_key, str):
        return None
    return kiosk_id, device_key


def signed_kiosk_id() -> int | None:
    """The kiosk id this browser was enrolled as, checked by signature only (no database): a client
    cannot make one up, so rate limits can tell kiosks behind one address apart."""
    signed = _signed_cookie()
    return signed[0] if signed else None


def current_kiosk() -> Kiosk | None:
    """Return the enrolled kiosk of this browser, or None for the plain web channel."""
    signed = _signed_cookie()
    if signed is None:
        return None
    kiosk_id, device_key = signed
    return Kiosk.get_or_none((Kiosk.id == kiosk_id) & (Kiosk.device_key == device_key)
                             & (Kiosk.active == True))  # noqa: E712


def enrol(code: str, response) -> Kiosk | None:
    """Bind this browser to the kiosk whose unused, unexpired code this is; the code is used up."""
    if not code or len(code) > 64 or "\x00" in code:  # no such code (and PostgreSQL refuses a NUL)
        return None
    kiosk = Kiosk.get_or_none((Kiosk.enrol_code == code) & (Kiosk.active == True))  # noqa: E712
    if kiosk is None or (kiosk.enrol_expires_at and kiosk.enrol_expires_at < utcnow()):
        return None
    kiosk.enrol_code = None
    kiosk.enrol_expires_at = None
    kiosk.device_key = secrets.token_urlsafe(24)
    kiosk.enrolled_at = utcnow()
    kiosk.save()
    response.set_cookie(COOKIE, _serializer().dumps([kiosk.id, kiosk.device_key]), max_age=TEN_YEARS,
                        httponly=True, samesite="Lax", secure=request.is_secure)
    return kiosk
