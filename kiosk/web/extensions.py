"""Flask extensions: htmx, CSRF, Babel, rate limits, compression."""

import contextlib
import gzip
import ipaddress

from flask import request, session
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

csrf = CSRFProtect()
babel = Babel()
htmx = Htmx()
compress = Compress()


def _client() -> str:
    """The client address; for IPv6 its /64, which one subscriber holds whole (a new address per request
    from it would otherwise start a fresh counter each time)."""
    address = get_remote_address() or ""
    if ":" in address:
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def _rate_key() -> str:
    """The client address, plus the kiosk id when its signed cookie holds: kiosks behind one NAT keep
    apart, and nothing a client makes up (a new cookie per request) starts a fresh counter."""
    from kiosk.kiosks import signed_kiosk_id

    kiosk_id = signed_kiosk_id()
    return _client() if kiosk_id is None else f"{_client()}|k{kiosk_id}"


limiter = Limiter(key_func=_rate_key, default_limits=[])


def select_locale() -> str:
    from flask import current_app

    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# Headers that only mean something on a document (a page, or an SVG opened on its own), never on a
# stylesheet or script: browsers enforce CSP, framing and permissions per document (and per worker: the
# kiosk starts none). Dropping them from CSS/JS saves ~0.5 KB per file on a kiosk's first load.
DOCUMENT_ONLY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options")
SUBRESOURCE_TYPES = ("text/css", "text/javascript", "application/javascript")


def _accepts_gzip() -> bool:
    from kiosk.web.assets import accepted_encodings

    return "gzip" in accepted_encodings(request.headers.get("Accept-Encoding", ""))


def _lean_response(response):
    """Trim static responses to what a browser uses; gzip error pages too (Flask-Compress does 2xx only)."""
    if request.endpoint == "static" and response.status_code in (200, 304):
        if response.mimetype in SUBRESOURCE_TYPES:
            for name in DOCUMENT_ONLY_HEADERS:
                response.headers.pop(name, None)
        response.headers.pop("Content-Disposition", None)  # send_file's "inline; filename=...": no use here
        if "immutable" in response.headers.get("Cache-Control", "") and response.mimetype in SUBRESOURCE_TYPES:
            # Never revalidated (its URL changes with its content): validators would only add bytes. (Images
            # keep theirs: Chromium revalidates the favicon on every step regardless, a 304 is then enough.)
            response.headers.pop("ETag", None)
            response.headers.pop("Last-Modified", None)
        if "Content-Encoding" in response.headers:
            response.headers.pop("Accept-Ranges", None)  # ranges of a compressed body are not offered
        response.headers["Vary"] = "Accept-Encoding"  # a static file never depends on the cookie
    elif (400 <= response.status_code < 500 and response.mimetype == "text/html"
          and "Content-Encoding" not in response.headers and not response.is_streamed
          and (response.content_length or 0) >= 500 and _accepts_gzip()):
        response.set_data(gzip.compress(response.get_data(), 9))
        response.headers["Content-Encoding"] = "gzip"
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    return response


def init_app(app):
    htmx.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="../translations")

    from kiosk import ratestore  # noqa: F401  (registers the kiosk-db:// limits storage)

    limiter.init_app(app)
    # Responses are compressed (brotli, else gzip, zstd, deflate: what the browser accepts) so a kiosk
    # page with htmx stays under 30 KB on a market's mobile data (tests/browser/test_page_weight.py).
    # Headers (CSP, no-store, cookies) are left as they are; Vary: Accept-Encoding is added. BREACH
    # (guessing a secret in a compressed page from its size) needs the attacker to make the victim's
    # browser send requests with its cookies and reflected input: SameSite=Lax cookies keep cross-site
    # requests out. Brotli level 5 is ~10% smaller than gzip on our pages at ~1 ms a page; versioned
    # static files come precompressed at the strongest settings (kiosk/web/assets.py).
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip", "zstd", "deflate"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "zstd", "deflate"])
    app.config.setdefault("COMPRESS_LEVEL", 9)  # gzip: the few extra CPU microseconds buy bytes on the air
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    # Registered before Flask-Compress and Talisman, so it runs after both (after_request runs in reverse).
    app.after_request(_lean_response)
    compress.init_app(app)
