"""HTTP security headers (Flask-Talisman): a strict CSP, no framing, same-origin referrer, HSTS over https."""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman

talisman = Talisman()

# Scripts and styles come only from our own files: no inline code, no eval (htmx is configured
# with allowEval false and no indicator styles), no third-party hosts.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over https, not only when HTTPS is set."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def init_app(app):
    https = bool(app.config.get("HTTPS"))
    app.session_interface = SessionInterface()
    talisman.init_app(
        app,
        content_security_policy=CSP,
        force_https=False,  # TLS ends at the reverse proxy; it redirects plain http
        frame_options="DENY",
        # Status URLs carry the token: never send them to another site. Same-origin requests do carry a
        # Referer, which Flask-WTF's https check needs (with "no-referrer" every POST over TLS was a 400).
        referrer_policy="same-origin",
        strict_transport_security=True,  # only ever sent on https requests
        session_cookie_secure=https,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()",
                            "browsing-topics": "()"},
    )
