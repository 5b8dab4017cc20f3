"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from kiosk import create_app

app = create_app()
