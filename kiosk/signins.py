"""Failed staff sign-ins counted per typed username in the database, so every worker and app server sees
one count whatever address or cookie a client sends. After STAFF_LOCK_AFTER_FAILURES failures the name is
locked, and each further failure locks it for longer (STAFF_LOCK_MINUTES); while locked even the right
password is refused, unchecked. A successful sign-in or an admin's unlock clears the count. A name that
is no account is counted and answered exactly the same way, so the answers do not tell which names exist.

Audit rows of these anonymous attempts are rate-limited, so a flood of attempts cannot flood the log:
per name at most one row per STAFF_SIGNIN_AUDIT_WINDOW_MINUTES and overall STAFF_SIGNIN_AUDIT_PER_MINUTE
rows; a row says how many attempts went unwritten before it. An account's lock is always written.
"""

import dataclasses
import datetime as dt

from flask import current_app

from kiosk import audit
from kiosk.crypto import vault
from kiosk.db import db
from kiosk.models import SigninCounter, StaffUser, utcnow

OVERALL = "*"  # the counter row of the overall audit budget (no username key looks like it)


@dataclasses.dataclass
class Attempt:
    key: str
    typed: str
    user: StaffUser | None  # the account the typed name is, active or not
    failures: int  # counted failures under this name, this attempt included
    refused_until: dt.datetime | None = None  # locked before this attempt: its password was not checked
    locks_until: dt.datetime | None = None  # the lock this attempt set (it stands unless the password was right)

    @property
    def locked_until(self) -> dt.datetime | None:
        return self.refused_until or self.locks_until


def key_for(user: StaffUser | None, typed: str) -> str:
    # Not the typed text itself: someone may type their password into the username field.
    return f"user:{user.id}" if user is not None else "name:" + vault().blind_index("staff-username", typed)


def _setting(name: str):
    return current_app.config[name]


def _locked_row(key: str, *, create: bool = True) -> SigninCounter | None:
    """The counter row of key (created if new), locked until the transaction ends (PostgreSQL; SQLite's
    write transactions are exclusive anyway)."""
    if create:
        SigninCounter.insert(key=key).on_conflict_ignore().execute()
    query = SigninCounter.select().where(SigninCounter.key == key)
    return (query.for_update() if db.for_update else query).first()


def lock_minutes(failures: int) -> int | None:
    """Minutes of the lock that this many failures set, or None below the threshold."""
    over = failures - _setting("STAFF_LOCK_AFTER_FAILURES")
    if over < 0:
        return None
    steps = _setting("STAFF_LOCK_MINUTES")
    return steps[min(over, len(steps) - 1)]


def begin(user: StaffUser | None, typed: str) -> Attempt:
    """Count a sign-in attempt as failed before its password is checked (so parallel requests cannot slip
    past the limit); succeeded() forgives it. Refuse it, uncounted, while the name is locked."""
    now = utcnow()
    key = key_for(user, typed)
    forgotten = now - dt.timedelta(hours=_setting("STAFF_FAILURES_FORGOTTEN_HOURS"))
    with db.atomic():
        SigninCounter.delete().where(SigninCounter.last_failure_at < forgotten,
                                     SigninCounter.locked_until.is_null() | (SigninCounter.locked_until < now),
                                     SigninCounter.key != key).execute()
        row = _locked_row(key)
        if row.locked_until is not None and row.locked_until > now:
            row.unaudited += 1
            row.save()
            return Attempt(key, typed, user, row.failures, refused_until=row.locked_until)
        if row.last_failure_at is not None and row.last_failure_at < forgotten:
            row.failures = 0
        row.failures += 1
        row.unaudited += 1
        row.last_failure_at = now
        minutes = lock_minutes(row.failures)
        row.locked_until = now + dt.timedelta(minutes=minutes) if minutes else None
        row.save()
    return Attempt(key, typed, user, row.failures, locks_until=row.locked_until)


def succeeded(attempt: Attempt) -> int:
    """Clear the name's count after a right password; return the failures before this sign-in."""
    SigninCounter.delete().where(SigninCounter.key == attempt.key).execute()
    return attempt.failures - 1


def failed(attempt: Attempt) -> None:
    """Audit a wrong password or a refused attempt, within the audit budget; an account's lock always."""
    if attempt.refused_until is not None:
        _audit(attempt, None)  # counted; reported by the next row written
    elif attempt.locks_until is not None:
        _audit(attempt, audit.LOGIN_LOCKED, force=attempt.user is not None)
    else:
        _audit(attempt, audit.LOGIN_FAILED)


def throttled() -> None:
    """Audit a sign-in refused by the per-address limit, within the overall budget."""
    _audit(None, audit.LOGIN_THROTTLED)


def masked(typed: str) -> str:
    """What the audit keeps of a name that is no account: its first two characters and its length."""
    return f"{typed[:2]}… ({len(typed)})"


def _audit(attempt: Attempt | None, action: str | None, *, force: bool = False) -> None:
    now = utcnow()
    per_name = dt.timedelta(minutes=_setting("STAFF_SIGNIN_AUDIT_WINDOW_MINUTES"))
    overall = dt.timedelta(seconds=60 / max(1, _setting("STAFF_SIGNIN_AUDIT_PER_MINUTE")))
    with db.atomic():
        row = _locked_row(attempt.key, create=False) if attempt else None  # gone if a sign-in just succeeded
        everyone = _locked_row(OVERALL)
        everyone.unaudited += 1
        due = action is not None and (force or (
            (everyone.audited_at is None or everyone.audited_at <= now - overall)
            and (row is None or row.audited_at is None or row.audited_at <= now - per_name)))
        if not due:
            everyone.save()
            return
        counts = {"attempts_all": everyone.unaudited}
        everyone.unaudited, everyone.audited_at = 0, now
        everyone.save()
        if row is not None:
            counts.update(attempts=row.unaudited, failures=row.failures)
            SigninCounter.update(unaudited=0, audited_at=now).where(SigninCounter.id == row.id).execute()
    if attempt is None:
        audit.record(action, actor_name="anonymous", **counts)
        return
    if attempt.locks_until is not None:
        counts["locked_until"] = attempt.locks_until.isoformat(timespec="seconds")
    user = attempt.user
    audit.record(action, actor_name="anonymous", subject=f"account:{user.id}" if user is not None else "",
                 username=user.username if user is not None else masked(attempt.typed), **counts)


def lock_of(user: StaffUser) -> SigninCounter | None:
    """The account's standing lock, if any (for the admin's account page)."""
    return SigninCounter.get_or_none((SigninCounter.key == key_for(user, user.username))
                                     & (SigninCounter.locked_until > utcnow()))


def unlock(user: StaffUser) -> int:
    """Clear the account's count and lock; return the failures that were counted (0: nothing to clear)."""
    row = SigninCounter.get_or_none(SigninCounter.key == key_for(user, user.username))
    if row is None:
        return 0
    SigninCounter.delete().where(SigninCounter.id == row.id).execute()
    return row.failures
