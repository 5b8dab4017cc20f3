"""Error pages in the person's language, and the 503 "try again" answer when the database is away."""

import logging

from flask import Response, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import SecurityError

from kiosk.db import UNAVAILABLE, describe_error

log = logging.getLogger(__name__)

# Seconds a client should wait before trying again (Retry-After of the 503 answers).
RETRY_AFTER_SECONDS = 5


def _error_page(status: int, title: str, message: str):
    if isinstance(request.routing_exception, SecurityError):  # a Host not ours: no URL can be built
        return Response(f"{status} {title}\n", status=status, mimetype="text/plain")
    # lang_next: an error page echoes nothing of the URL that led to it (unknown tokens look alike).
    return render_template("error.html", title=title, message=message, lang_next="/"), status

def forget_unloaded_staff_user() -> None:
    """Let templates run without the database: a staff user that could not be loaded is anonymous."""
    manager = getattr(current_app, "login_manager", None)
    if manager is not None and "_login_user" not in g:
        g._login_user = manager.anonymous_user()


def messages() -> tuple[str, str]:
    """(title, message) in the person's language; the same words as the app's other error pages."""
    return (_("Maaf, ada gangguan"),
            _("Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan petugas."))


def with_retry_after(response):
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable_response(exc: BaseException):
    """The generic 503 page: the usual error layout, or bare HTML if even that cannot be drawn."""
    log.warning("database unavailable: %s", describe_error(exc))
    forget_unloaded_staff_user()
    title, message = messages()
    try:
        body = render_template("error.html", title=title, message=message, lang_next="/")
    except Exception:
        log.exception("could not render the 503 page")
        body = (f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title>"
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")
    return with_retry_after(make_response(body, 503))


def init_app(app):
    for error in UNAVAILABLE:
        app.register_error_handler(error, unavailable_response)

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
                           _("Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan "
                             "petugas."))
