"""Flask extensions: htmx, CSRF, Babel, rate limits."""

from flask import request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

csrf = CSRFProtect()
babel = Babel()
htmx = Htmx()


def _rate_key() -> str:
    # Kiosks behind one NAT share an IP; the kiosk id keeps their limits apart.
    return f"{get_remote_address()}|{request.cookies.get('kiosk', '')[:80]}"


limiter = Limiter(key_func=_rate_key, default_limits=[])


def select_locale() -> str:
    from flask import current_app

    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    htmx.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="../translations")
    limiter.init_app(app)
