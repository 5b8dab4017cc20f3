"""What every request goes through, whatever its audience: the request class, extensions (htmx, CSRF, babel,
limits, compression), security headers, language, static assets and caching, uploads, error pages, logs."""

from kiosk.web import assets, errors, extensions, i18n, logs, security, uploads
from kiosk.web.request import KioskRequest


def init_app(app):
    logs.init_app(app)
    extensions.init_app(app)
    app.request_class = KioskRequest  # after htmx, whose init_app sets its own request class
    security.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    uploads.init_app(app)
    errors.init_app(app)
