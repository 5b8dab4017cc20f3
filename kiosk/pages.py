"""What every page shares: no-store caching, language switch, error pages, template helpers."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date, gettext as _
from flask_wtf.csrf import CSRFError

bp = Blueprint("pages", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
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


def _error_page(status: int, title: str, message: str):
    # lang_next: an error page echoes nothing of the URL that led to it (unknown tokens look alike).
    return render_template("error.html", title=title, message=message, lang_next="/"), status


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""

    @app.context_processor
    def _globals():
        return {"languages": current_app.config["LANGUAGES"],
                "current_lang": session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]}

    @app.after_request
    def _no_store(response):
        # Kiosk and status pages carry personal data: never keep them in any cache, so Back after
        # a wipe shows nothing. Static files (no personal data) may be cached.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
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
        if request.endpoint == "staff.login":
            from kiosk import audit
            audit.record(audit.LOGIN_THROTTLED, actor_name="anonymous")
        return _error_page(429, _("Terlalu banyak percobaan"),
                           _("Demi keamanan, tunggu 15 menit lalu coba lagi, atau minta bantuan petugas."))

    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return _error_page(400, _("Halaman sudah kedaluwarsa"),
                           _("Demi keamanan, halaman ini perlu dibuka ulang. Kembali ke awal lalu coba lagi."))

    @app.errorhandler(400)
    def _bad_request(_e):
        return _error_page(400, _("Permintaan tidak dapat diproses"), _("Kembali ke awal dan coba lagi."))

    @app.errorhandler(500)
    def _server_error(_e):
        return _error_page(500, _("Maaf, ada gangguan"),
                           _("Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan petugas."))
