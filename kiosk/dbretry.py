"""When the database is busy or away: SQLite lock retries, and a polite "try again" answer (503).

SQLite has one writer at a time. Writers queue behind each other for `busy_timeout` (kiosk.db);
write transactions start with BEGIN IMMEDIATE, so a transaction never has to upgrade a read lock
(which SQLite refuses at once, without waiting). What can still come back at once as "database is
locked" is retried here a few times with a short jittered back-off, but only within a small window:
when the busy handler already waited out the whole busy timeout, another wait would only keep the
person at the kiosk waiting longer, so the error goes on to the 503 page instead.

PostgreSQL and SQLite both report an unreachable, refusing or locked database as peewee's
OperationalError or InterfaceError (and a full connection pool as MaxConnectionsExceeded); those are
answered with HTTP 503 and the translated "try again, your answers are kept" message. The walk-in
steps re-render the form with what the person typed (kiosk.walkin.views).
"""

from __future__ import annotations

import logging
import random
import time
from functools import wraps

from markupsafe import escape
from peewee import InterfaceError, OperationalError, SqliteDatabase
from playhouse.pool import MaxConnectionsExceeded, PooledSqliteDatabase

log = logging.getLogger(__name__)

# What "the database cannot answer right now" looks like to the application.
UNAVAILABLE = (OperationalError, InterfaceError, MaxConnectionsExceeded)

LOCKED_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")

RETRY_ATTEMPTS = 5
RETRY_BASE_DELAY = 0.02  # seconds; doubled per attempt, with jitter
RETRY_WINDOW = 2.0  # seconds; no new attempt once this much time has gone by

# Seconds a client should wait before trying again (Retry-After of the 503 answers).
RETRY_AFTER_SECONDS = 5


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
        from kiosk.db import db as database
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


# --- the 503 answer ----------------------------------------------------------------------------------

def describe_error(exc: BaseException) -> str:
    """The error's class and first line: driver messages about connections carry no personal data."""
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first_line}"


def forget_unloaded_staff_user() -> None:
    """Let templates run without the database: a staff user that could not be loaded is anonymous."""
    from flask import current_app, g

    manager = getattr(current_app, "login_manager", None)
    if manager is not None and "_login_user" not in g:
        g._login_user = manager.anonymous_user()


def messages() -> tuple[str, str]:
    """(title, message) in the person's language; the same words as the app's other error pages."""
    from flask_babel import gettext as _

    return (_("Maaf, ada gangguan"),
            _("Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan petugas."))


def with_retry_after(response):
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable_response(exc: BaseException):
    """The generic 503 page: the usual error layout, or bare HTML if even that cannot be drawn."""
    from flask import make_response, render_template

    log.warning("database unavailable: %s", describe_error(exc))
    forget_unloaded_staff_user()
    title, message = messages()
    try:
        body = render_template("error.html", title=title, message=message, lang_next="/")
    except Exception:  # noqa: BLE001 - the layout itself needed something that is down
        log.exception("could not render the 503 page")
        body = (f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title>"
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")
    return with_retry_after(make_response(body, 503))
