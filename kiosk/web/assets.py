"""Static files and caching: content-hashed URLs kept for a year, precompressed once per process; every
other answer is never stored (kiosk and status pages carry personal data)."""

import gzip
import hashlib
import os

from flask import current_app, request
from werkzeug.security import safe_join

# Static files are addressed as /static/<file>?v=<hash of its content>: a new file gets a new URL, so a
# browser may keep each one for a year without asking again (one kiosk loads htmx once, not per visit).
IMMUTABLE = "public, max-age=31536000, immutable"
_static_hashes: dict[str, str] = {}


def static_version(filename: str) -> str | None:
    """First 12 hex digits of the SHA-256 of a static file, computed once per process (None: no such file)."""
    app = current_app
    if filename in _static_hashes and not app.debug:
        return _static_hashes[filename]
    path = safe_join(app.static_folder, filename)
    if not path or not os.path.isfile(path):
        return None  # not remembered: the table holds only files that exist (bounded)
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    _static_hashes[filename] = digest
    return digest


# Versioned static files are compressed once per process, as hard as the format allows (brotli 11 takes
# ~0.1 s for htmx: too slow per request, nothing once cached), and served from memory.
PRECOMPRESSED_TYPES = ("text/css", "text/javascript", "application/javascript", "image/svg+xml")
_precompressed: dict[tuple[str, str, str], bytes] = {}


def accepted_encodings(accept_encoding: str) -> set[str]:
    """Content codings an Accept-Encoding header allows (those with q=0 left out)."""
    accepted = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip())
    return accepted


def precompressed(filename: str, accept_encoding: str) -> tuple[str, bytes] | None:
    """(encoding, body) of a static file compressed for this browser (brotli, else gzip), or None."""
    accepted = accepted_encodings(accept_encoding)
    encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else None
    if encoding is None:
        return None
    key = (filename, static_version(filename) or "", encoding)
    if key not in _precompressed:
        path = safe_join(current_app.static_folder, filename)
        if not path or not os.path.isfile(path):
            return None
        with open(path, "rb") as fh:
            data = fh.read()
        if encoding == "br":
            import brotli  # installed with Flask-Compress

            _precompressed[key] = brotli.compress(data, quality=11)
        else:
            _precompressed[key] = gzip.compress(data, 9, mtime=0)
    return encoding, _precompressed[key]


def _serve_precompressed(response):
    """Swap a versioned static file's body for its precompressed form (Flask-Compress then leaves it)."""
    if response.mimetype not in PRECOMPRESSED_TYPES or request.method != "GET":
        return
    found = precompressed(request.view_args["filename"], request.headers.get("Accept-Encoding", ""))
    if not found:
        return
    encoding, body = found
    original = response.response
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(original, "close"):
        original.close()  # the open file send_file handed over
    response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    etag, weak = response.get_etag()
    if etag and not weak:  # one validator per coding (as Flask-Compress does), then answer If-None-Match
        response.set_etag(f"{etag}:{encoding}")
        response.make_conditional(request)


def _static_cache_busting(endpoint: str, values: dict) -> None:
    # url_for("static", filename=...) adds ?v=<content hash> (url_defaults runs for every url_for).
    if endpoint == "static" and "v" not in values and values.get("filename"):
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def init_app(app):
    app.url_defaults(_static_cache_busting)

    @app.after_request
    def _no_store(response):
        # Kiosk and status pages carry personal data: never keep them in any cache, so Back after
        # a wipe shows nothing. Static files (no personal data) may be cached: for a year when the URL
        # names the current content (?v=<hash>), else revalidated each time (Flask's default).
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        elif (response.status_code in (200, 304) and request.args.get("v")
              and request.args.get("v") == static_version((request.view_args or {}).get("filename", ""))):
            response.headers["Cache-Control"] = IMMUTABLE
            if response.status_code == 200:
                _serve_precompressed(response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
