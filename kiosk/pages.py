"""What every page shares: no-store caching, language switch, error pages, template helpers."""

import gzip
import hashlib
import os
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.security import safe_join
from flask_babel import format_date, gettext as _
from flask_wtf.csrf import CSRFError

from kiosk.services.nik import mask_nik_public

bp = Blueprint("pages", __name__)


# Longer than any of our own paths with a query: anything beyond is not a link we made.
NEXT_MAX_CHARS = 2000


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback (no open redirects, never a 500).

    Control characters are refused, not stripped: browsers drop tab and newlines from a URL, so
    "/\\t/evil.example" would become "//evil.example", and CR/LF cannot go into a Location header.
    """
    if not target or len(target) > NEXT_MAX_CHARS:
        return fallback
    if any(ch < " " or ch == "\x7f" or ch == "\\" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.post("/bahasa")
def set_language():
    """Switch the visit's language and go back to the same screen."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("walkin.welcome")), code=303)


def rupiah(amount) -> str:
    """Format an amount the Indonesian way: Rp 16.800."""
    return "Rp\u00a0" + f"{int(amount):,}".replace(",", ".")  # no-break: "Rp" never ends a line


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


def takes_upload(max_bytes: int):
    """Mark a view as one that receives a file of at most max_bytes (all other POSTs refuse files)."""

    def mark(view):
        view.upload_max_bytes = max_bytes
        return view

    return mark


def upload_limit(endpoint: str | None) -> int | None:
    """The file size a view marked with takes_upload() accepts, else None."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "upload_max_bytes", None)


def _error_page(status: int, title: str, message: str):
    if isinstance(request.routing_exception, SecurityError):  # a Host not ours: no URL can be built
        return Response(f"{status} {title}\n", status=status, mimetype="text/plain")
    # lang_next: an error page echoes nothing of the URL that led to it (unknown tokens look alike).
    return render_template("error.html", title=title, message=message, lang_next="/"), status


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.filters["public_nik"] = mask_nik_public
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""
    app.url_defaults(_static_cache_busting)

    @app.context_processor
    def _globals():
        from kiosk.kiosks import COOKIE

        return {"languages": current_app.config["LANGUAGES"],
                "current_lang": session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"],
                # An enrolled kiosk device (the cookie's signature is checked where it matters, not for
                # this): it has no keyboard, so number fields open the on-screen keypad on focus.
                "kiosk_device": bool(request.cookies.get(COOKIE))}

    @app.url_value_preprocessor
    def _upload_limit(endpoint, _values):
        # Runs before every before_request (CSRF reads the body first): a view marked with
        # takes_upload() may receive its file's limit plus the usual allowance for the other fields.
        limit = upload_limit(endpoint)
        if limit:
            request.max_content_length = limit + current_app.config["MAX_CONTENT_LENGTH"]

    @app.before_request
    def _form_fields_only():
        # Flask-WTF takes a JSON body, and a file part named like a field, as that field's value: the
        # validators expect text and would crash. The kiosk only posts form fields, except to the
        # views marked with takes_upload(), which read their file themselves.
        if request.method == "POST" and (request.is_json or (request.files and not upload_limit(request.endpoint))):
            abort(400)

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

    @app.errorhandler(404)
    def _not_found(_e):
        return _error_page(404, _("Halaman tidak ditemukan"),
                           _("Halaman ini tidak ada. Kembali ke awal untuk mendaftar atau cek status."))

    @app.errorhandler(405)
    def _bad_method(_e):
        return _error_page(405, _("Tidak bisa dilakukan"), _("Kembali ke awal dan coba lagi."))

    @app.errorhandler(413)
    def _too_large(_e):
        return _error_page(413, _("Isian terlalu panjang"), _("Periksa lagi isian Anda lalu coba lagi."))

    @app.errorhandler(429)
    def _too_many(_e):
        if getattr(_e, "response", None) is not None:  # a limit that drew its own screen (on_breach)
            return _e.response
        if request.endpoint == "staff.login":
            from kiosk import signins
            signins.throttled()  # within the audit budget: a flood of 429s writes a few rows
        return _error_page(429, _("Terlalu banyak percobaan"),
                           _("Demi keamanan, tunggu 15 menit lalu coba lagi, atau minta bantuan petugas."))

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return _error_page(400, _("Halaman sudah kedaluwarsa"),
                           _("Demi keamanan, halaman ini perlu dibuka ulang. Kembali ke awal lalu coba lagi."))

    @app.errorhandler(SecurityError)
    def _untrusted_host(_e):
        # A Host that is not ours: no URL can be built for it, so no page with links (nor a receipt).
        return Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(400)
    def _bad_request(_e):
        return _error_page(400, _("Permintaan tidak dapat diproses"), _("Kembali ke awal dan coba lagi."))

    @app.errorhandler(500)
    def _server_error(_e):
        return _error_page(500, _("Maaf, ada gangguan"),
                           _("Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan petugas."))
