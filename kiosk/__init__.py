"""Kios Jamsos: a self-registration kiosk for BPJS Ketenagakerjaan."""

import os
from urllib.parse import urlsplit

from flask import Flask

from kiosk import crypto, db


def _check_public_address(config) -> None:
    """Refuse to run without a well-formed public base URL (outside the demo and tests) and trust only its
    host (plus ALLOWED_HOSTS)."""
    base = config.get("PUBLIC_BASE_URL")
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname):
        raise RuntimeError(f"KIOSK_PUBLIC_BASE_URL must be a full address such as https://kios.example.go.id, "
                           f"not {base!r}")
    if not base and not (config.get("DEMO") or config.get("TESTING")):
        raise RuntimeError("KIOSK_PUBLIC_BASE_URL is not set: receipts' QR codes would follow whatever Host a "
                           "client sends. Set it to the public address, e.g. https://kios.example.go.id "
                           "(for a local demo: KIOSK_DEMO=1, as `make run` does).")
    if base and not config.get("TRUSTED_HOSTS"):
        extra = [host.strip() for host in str(config.get("ALLOWED_HOSTS") or "").split(",") if host.strip()]
        config["TRUSTED_HOSTS"] = [urlsplit(base).hostname, *extra]


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the application."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("KIOSK_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object("kiosk.config")
    app.config.from_prefixed_env("KIOSK")
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    _check_public_address(app.config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]  # one zone for the clock and the dates shown
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)  # keys and the SQLite file live here
    crypto.load_keys(app.config, app.instance_path)

    from kiosk import auth, panels, web

    db.init_app(app)
    crypto.init_app(app)
    web.init_app(app)

    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx/a load balancer: take client IP (rate limits) and https from its headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from kiosk.admin import bp as admin_bp
    from kiosk.business import bp as business_bp
    from kiosk.staff import bp as staff_bp
    from kiosk.status import bp as status_bp
    from kiosk.walkin import bp as walkin_bp

    app.register_blueprint(walkin_bp)
    app.register_blueprint(business_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(admin_bp)
    auth.init_app(app)
    panels.init_app(app)

    from kiosk import cli

    cli.init_app(app)
    return app
