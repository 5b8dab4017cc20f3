"""What one client "transaction" sends, per benchmark target (used by bench.loadgen in forked clients).

CONFIG is filled in by the parent before the clients fork: paths, cookies, tokens.
"""

from urllib.parse import urlencode

from bench.loadgen import BROWSER_ENCODING

CONFIG: dict = {}
HTMX = {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://kiosk/daftar/periksa"}


def _headers(**extra):
    return {"Accept-Encoding": BROWSER_ENCODING, "User-Agent": "kios-bench", **extra}


def hello(_job):
    return [("GET", "/", None, _headers(), 200)]


def status(_job):
    return [("GET", f"/s/{CONFIG['status_token']}", None, _headers(), 200)]


def search(_job):
    return [("GET", CONFIG["search_path"], None, _headers(Cookie=CONFIG["staff_cookie"]), 200)]


def submit(job):
    """The person taps Kirim on the review screen (htmx): the POST, its 303, and the receipt with the QR."""
    cookie, csrf = job
    body = urlencode({"csrf_token": csrf})
    return [
        ("POST", "/daftar/kirim", body,
         _headers(Cookie=cookie, **HTMX, **{"Content-Type": "application/x-www-form-urlencoded"}), 303),
        ("GET", "/tanda-terima", None, _headers(Cookie=cookie, **HTMX), 200),
    ]
