"""HTTP security headers (Flask-Talisman): a strict CSP, no framing, same-origin referrer, HSTS over https."""

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


def init_app(app):
    https = bool(app.config.get("HTTPS"))
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
