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
  (BEGIN IMMEDIATE) and a short retry on "database is locked" (below). Connections are pooled
  the same way (opening one costs its pragmas, and closing the last one checkpoints the WAL);
  DB_POOL_SIZE=0 opens and closes one per request instead. The database file is created 0600 (its
  -wal and -shm files take its mode), and an existing one readable by others is tightened.

Lock retries: SQLite has one writer at a time. Writers queue behind each other for `busy_timeout`; write
transactions start with BEGIN IMMEDIATE, so a transaction never has to upgrade a read lock (which SQLite
refuses at once, without waiting). What can still come back at once as "database is locked" is retried a
few times with a short jittered back-off, but only within a small window: when the busy handler already
waited out the whole busy timeout, another wait would only keep the person at the kiosk waiting longer, so
the error goes on to the 503 page instead.

PostgreSQL and SQLite both report an unreachable, refusing or locked database as peewee's OperationalError
or InterfaceError (and a full connection pool as MaxConnectionsExceeded): UNAVAILABLE, answered with a 503
"try again" page (kiosk.web.errors), never 500.
"""

import logging
import os
import random
import time
from functools import wraps
from pathlib import Path

from peewee import DatabaseProxy, InterfaceError, OperationalError, SqliteDatabase
from playhouse.db_url import connect, parse
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

log = logging.getLogger(__name__)

db = DatabaseProxy()

# What "the database cannot answer right now" looks like to the application.
UNAVAILABLE = (OperationalError, InterfaceError, MaxConnectionsExceeded)

LOCKED_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")

RETRY_ATTEMPTS = 5
RETRY_BASE_DELAY = 0.02  # seconds; doubled per attempt, with jitter
RETRY_WINDOW = 2.0  # seconds; no new attempt once this much time has gone by


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" family (another connection holds the write lock)."""
    return isinstance(exc, OperationalError) and any(m in str(exc).lower() for m in LOCKED_MESSAGES)


def retry_locked(fn, *args, database=None, attempts: int = RETRY_ATTEMPTS, base_delay: float = RETRY_BASE_DELAY,
                 window: float | None = None, **kwargs):
    """Return fn(*args, **kwargs), running it again when SQLite answers "database is locked".

    Only whole units of work are retried: when an enclosing transaction is open on `database` (the
    caller's own atomic block) the error goes up to that block's owner. Other errors are never retried.
    """
    if database is None:
        database = db
    if window is None:
        window = getattr(database, "retry_window", RETRY_WINDOW)
    started = time.monotonic()
    for attempt in range(attempts):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if (not is_locked(exc) or attempt == attempts - 1 or database.in_transaction()
                    or time.monotonic() - started >= window):
                raise
            delay = base_delay * (2 ** attempt) * (0.5 + random.random())
            log.info("database is locked; retrying in %.0f ms (attempt %d)", delay * 1000, attempt + 2)
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def retrying(fn):
    """Decorator form of retry_locked for a function that is one unit of work (e.g. one transaction)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        return retry_locked(fn, *args, **kwargs)

    return wrapper


class LockRetryMixin:
    """For a SqliteDatabase: autocommit statements and BEGINs are retried on "database is locked".

    A single statement outside a transaction (Visit.save's UPDATE of the draft, say) either ran or
    did not, so running it again is safe; statements inside a transaction are left to the code that
    owns the transaction (registrations.submit wraps its whole transaction in retry_locked).

    retry_window: an error that took longer than this to come back means the busy handler already
    waited (half the busy timeout is a good value); it is not retried.
    """

    def __init__(self, database, *args, retry_window: float = RETRY_WINDOW, **kwargs):
        self.retry_window = retry_window
        super().__init__(database, *args, **kwargs)

    def execute_sql(self, sql, params=None):
        if self.in_transaction():
            return super().execute_sql(sql, params)
        return retry_locked(super().execute_sql, sql, params, database=self)

    def begin(self, lock_type=None):
        return retry_locked(super().begin, lock_type, database=self)


class LockRetrySqliteDatabase(LockRetryMixin, SqliteDatabase):
    """One connection per request (opened and closed each time)."""


class PooledLockRetrySqliteDatabase(LockRetryMixin, PooledSqliteDatabase):
    """Connections kept open between requests: no connect, pragmas and WAL checkpoint-on-close per request."""

def describe_error(exc: BaseException) -> str:
    """The error's class and first line: driver messages about connections carry no personal data."""
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first_line}"



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
                      retry_window=min(RETRY_WINDOW, busy_ms / 2000))
        if ":memory:" in params["database"] or not settings["DB_POOL_SIZE"]:
            return LockRetrySqliteDatabase(params.pop("database"), timeout=busy_ms / 1000, **common, **params)
        # A pooled connection serves one thread at a time, but not always the thread that opened it.
        return PooledLockRetrySqliteDatabase(
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
        log.warning("dropping a broken database connection: %s", describe_error(exc))
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
