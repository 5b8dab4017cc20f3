"""Database connection per request (peewee), SQLite by default, PostgreSQL through DATABASE_URL.

Each request takes a connection in before_request and gives it back in teardown_request. peewee
keeps connection state per thread, so every gunicorn gthread thread has its own connection while it
serves a request.

- PostgreSQL (several workers, several app servers): a pool per worker process
  (playhouse.pool.PooledPostgresqlDatabase). "Closing" returns the connection to the pool; a pooled
  connection is checked with a round trip when it is taken out (a server restart or a terminated
  backend is noticed there, not in the middle of a request) and replaced after
  DB_POOL_STALE_SECONDS. A worker never holds more than DB_POOL_SIZE connections and waits up to
  DB_POOL_WAIT_SECONDS for a free one.
- SQLite (one server): WAL, a busy timeout, write transactions that take the write lock up front
  (BEGIN IMMEDIATE) and a short retry on "database is locked" (kiosk.dbretry). Connections are pooled
  the same way (opening one costs its pragmas, and closing the last one checkpoints the WAL);
  DB_POOL_SIZE=0 opens and closes one per request instead. The database file is created 0600 (its
  -wal and -shm files take its mode), and an existing one readable by others is tightened.

A database that cannot be reached is answered with a 503 "try again" page (kiosk.dbretry), never 500.
"""

import logging
import os
from pathlib import Path

from peewee import DatabaseProxy
from playhouse.db_url import connect, parse
from playhouse.pool import PooledDatabase, PooledPostgresqlDatabase

from kiosk import dbretry

log = logging.getLogger(__name__)

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",  # readers never wait for the one writer
    "foreign_keys": 1,
    "busy_timeout": 10_000,  # ms: queue behind another writer instead of failing at once
    "synchronous": "normal",  # safe with WAL; a receipt handed out survives a process crash
}

# Settings (app.config, or KIOSK_<NAME> in the environment); see README "Several kiosks and app servers".
DEFAULTS = {
    "DB_POOL_SIZE": 8,  # connections per worker process at most (>= gunicorn threads); SQLite 0: no pool
    "DB_POOL_STALE_SECONDS": 300,  # a pooled connection is replaced after this long
    "DB_POOL_WAIT_SECONDS": 10,  # wait this long for a free pooled connection, then 503
    "DB_CONNECT_TIMEOUT_SECONDS": 5,  # PostgreSQL connect timeout (unreachable host: 503 after this)
    "DB_BUSY_TIMEOUT_MS": SQLITE_PRAGMAS["busy_timeout"],  # SQLite: wait this long for the write lock
}

POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def make_private(path: str) -> None:
    """Create the SQLite file 0600 before SQLite would create it 0644; tighten it and its side files.

    SQLite gives a new -wal, -shm or -journal file the database file's mode, so this file decides theirs.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:  # e.g. a read-only mount: SQLite will say what is wrong when it opens it
        log.warning("cannot create %s: %s", path, exc.strerror)
        return
    for name in (path, path + "-wal", path + "-shm", path + "-journal"):
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("%s is readable by others and not ours to chmod; make it 0600", name)


def open_database(url: str, instance_path: str, settings: dict | None = None):
    """Return a peewee Database for url; relative sqlite paths live in the instance folder."""
    settings = {**DEFAULTS, **(settings or {})}
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        relative = url[len("sqlite:///"):]
        url = "sqlite:///" + str(Path(instance_path) / relative)
    if url.startswith("sqlite:"):
        params = parse(url)
        path = params["database"]
        if path and ":memory:" not in path and not path.startswith("file:"):
            make_private(path)
        busy_ms = int(settings["DB_BUSY_TIMEOUT_MS"])
        common = dict(pragmas={**SQLITE_PRAGMAS, "busy_timeout": busy_ms}, lock_type="IMMEDIATE",
                      retry_window=min(dbretry.RETRY_WINDOW, busy_ms / 2000))
        if ":memory:" in params["database"] or not settings["DB_POOL_SIZE"]:
            return dbretry.LockRetrySqliteDatabase(params.pop("database"), timeout=busy_ms / 1000, **common, **params)
        # A pooled connection serves one thread at a time, but not always the thread that opened it.
        return dbretry.PooledLockRetrySqliteDatabase(
            params.pop("database"), max_connections=int(settings["DB_POOL_SIZE"]),
            stale_timeout=int(settings["DB_POOL_STALE_SECONDS"]), timeout=float(settings["DB_POOL_WAIT_SECONDS"]),
            check_same_thread=False, **common, **params)
    if url.startswith(POSTGRES_SCHEMES):
        params = parse(url)
        params.setdefault("connect_timeout", int(settings["DB_CONNECT_TIMEOUT_SECONDS"]))
        return PooledPostgresqlDatabase(
            params.pop("database"), max_connections=int(settings["DB_POOL_SIZE"]),
            stale_timeout=int(settings["DB_POOL_STALE_SECONDS"]), timeout=float(settings["DB_POOL_WAIT_SECONDS"]),
            **params)
    return connect(url)


def describe(url: str) -> str:
    """Return url without its password, for messages."""
    parts = parse(url)
    return f"{url.split(':', 1)[0]}:{parts.get('database')}"


def release_connection() -> None:
    """Give this thread's connection back (to the pool) or close it; a broken one is dropped quietly."""
    if db.obj is None or db.is_closed():
        return
    try:
        db.close()
    except Exception as exc:  # noqa: BLE001 - a dead connection must not turn the answer into a 500
        log.warning("dropping a broken database connection: %s", dbretry.describe_error(exc))
        database = db.obj
        conn = database._state.conn
        database._state.reset()
        try:
            if isinstance(database, PooledDatabase):
                database._close(conn, close_conn=True)
            else:
                conn.close()
        except Exception:  # noqa: BLE001
            pass


def init_app(app):
    """Bind the proxy to the configured database and open/close a connection around each request."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    database = open_database(app.config["DATABASE_URL"], app.instance_path, app.config)
    db.initialize(database)
    app.extensions["database"] = database

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        release_connection()

    for error in dbretry.UNAVAILABLE:
        app.register_error_handler(error, dbretry.unavailable_response)
