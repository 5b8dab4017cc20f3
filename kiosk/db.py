"""Database connection per request (peewee), SQLite by default, PostgreSQL through DATABASE_URL."""

from pathlib import Path

from peewee import DatabaseProxy
from playhouse.db_url import connect, parse

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",  # readers never wait for the one writer
    "foreign_keys": 1,
    "busy_timeout": 10_000,  # ms: queue behind another writer instead of failing at once
    "synchronous": "normal",  # safe with WAL; a receipt handed out survives a process crash
}


def open_database(url: str, instance_path: str):
    """Return a peewee Database for url; relative sqlite paths live in the instance folder."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        relative = url[len("sqlite:///"):]
        url = "sqlite:///" + str(Path(instance_path) / relative)
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS)
    return connect(url)


def describe(url: str) -> str:
    """Return url without its password, for messages."""
    parts = parse(url)
    return f"{url.split(':', 1)[0]}:{parts.get('database')}"


def init_app(app):
    """Bind the proxy to the configured database and open/close a connection around each request."""
    database = open_database(app.config["DATABASE_URL"], app.instance_path)
    db.initialize(database)
    app.extensions["database"] = database

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()
