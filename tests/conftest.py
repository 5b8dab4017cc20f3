"""Shared fixtures: one database per test session (SQLite file, or a fresh PostgreSQL database when
KIOSK_TEST_PG_ADMIN_URL is set), emptied of applications between tests; app, client, runner."""

import os
import secrets
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet
from werkzeug.serving import make_server

from kiosk import create_app, regions
from kiosk.cli import migrate_database
from kiosk.db import db
from kiosk.models import (
    AuditEntry,
    Business,
    Draft,
    Event,
    Kiosk,
    KioskEvent,
    Registration,
    SigninCounter,
    StaffSession,
    StaffUser,
)

TEST_KEYS = {
    "SECRET_KEY": "test-secret-" + secrets.token_hex(8),
    "DATA_KEYS": Fernet.generate_key().decode(),
    "INDEX_KEY": "test-index-" + secrets.token_hex(8),
}


def postgres_database(admin_url: str, prefix: str = "kiosk_test_"):
    """Create a fresh database on the server; return its URL and a function that drops it."""
    import psycopg2

    name = prefix + secrets.token_hex(6)
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    conn.close()
    parts = urlsplit(admin_url)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))

    def drop():
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        conn.cursor().execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')  # a fault test may close it
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return url, drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Migrated database with the region data (villages of Jawa Timur only, for speed)."""
    admin_url = os.environ.get("KIOSK_TEST_PG_ADMIN_URL")
    if admin_url:
        url, drop = postgres_database(admin_url)
    else:
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kiosk.db'}", None
    app = create_app({"DATABASE_URL": url, "TESTING": True, **TEST_KEYS})
    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        db.close()
    yield url
    if db.obj is not None and not db.is_closed():
        db.close()
    if drop:
        drop()


def make_app(database_url, tmp_path, **overrides):
    config = {"DATABASE_URL": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
              "RATELIMIT_ENABLED": True, **TEST_KEYS, **overrides}
    os.environ["KIOSK_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(config)
    finally:
        del os.environ["KIOSK_INSTANCE_PATH"]


def empty_tables():
    db.connect(reuse_if_open=True)
    with db.atomic():
        for model in (Draft, Registration, Business, KioskEvent, Event, Kiosk, AuditEntry, StaffSession, StaffUser,
                      SigninCounter):
            model.delete().execute()
    db.close()


def with_empty_tables(app):
    """Yield app with no applications, drafts, kiosks, events, staff, sessions, sign-in counts or audit
    entries around the test."""
    with app.app_context():
        empty_tables()
    yield app
    with app.app_context():
        empty_tables()


@pytest.fixture
def app(database_url, tmp_path):
    from kiosk.web.extensions import limiter

    app = make_app(database_url, tmp_path)
    limiter.reset()  # after make_app: the counters live in this app's database
    yield from with_empty_tables(app)


@pytest.fixture
def csrf_app(database_url, tmp_path):
    """The app as deployed: CSRF protection on."""
    yield from with_empty_tables(make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def htmx_headers():
    """Headers htmx sends when a step swaps #screen."""
    return {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://localhost/"}


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def live_server(database_url, tmp_path):
    """The app served over real HTTP on a free loopback port (for the browser tests), CSRF on."""
    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        empty_tables()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["TEST_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        empty_tables()
