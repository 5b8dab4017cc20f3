"""Staff accounts: argon2 password hashes, roles; server-side sessions and sign-out everywhere."""

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.models import StaffSession, StaffUser, utcnow
from kiosk.services.workflow import ADMIN, PETUGAS, SUPERVISOR

ROLES = (PETUGAS, SUPERVISOR, ADMIN)
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


class AccountError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "username_taken", "username_invalid", "password_short", "role"


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError("password_short")


def create_user(username: str, full_name: str, role: str, password: str) -> StaffUser:
    username = (username or "").strip().lower()
    if not username or len(username) > 40 or not all(c.isascii() and (c.isalnum() or c in "._-") for c in username):
        raise AccountError("username_invalid")
    if role not in ROLES:
        raise AccountError("role")
    check_password_rules(password)
    if StaffUser.select().where(StaffUser.username == username).exists():
        raise AccountError("username_taken")
    return StaffUser.create(username=username, full_name=full_name.strip()[:100] or username, role=role,
                            password_hash=_hasher.hash(password))


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:40]


def find_user(username: str) -> StaffUser | None:
    """The account with this (normalised) username, active or not."""
    return StaffUser.get_or_none(StaffUser.username == normalise_username(username))


def authenticate(username: str, password: str) -> StaffUser | None:
    """Return the active user whose password matches, else None (same work either way)."""
    user = find_user(username)
    if user is None:
        # Hash anyway so an unknown username takes as long as a wrong password.
        _hasher.hash(password or "")
        return None
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    user.save()
    return user


def set_password(user: StaffUser, password: str, *, keep_session: str | None = None) -> None:
    """Change the password and end every session of the user (but keep_session, the one asking)."""
    check_password_rules(password)
    user.password_hash = _hasher.hash(password)
    user.save()
    revoke_sessions(user, keep=keep_session)


def set_role(user: StaffUser, role: str) -> None:
    """Change the role; the person signs in again, so the new role applies at once."""
    if role not in ROLES:
        raise AccountError("role")
    user.role = role
    user.save()
    revoke_sessions(user)


def set_active(user: StaffUser, active: bool) -> None:
    user.active = active
    user.save()
    revoke_sessions(user)


# --- sessions ------------------------------------------------------------------------------------
# The Flask session cookie is only signed: a copy of it stays valid wherever it is replayed. So it
# carries a random id whose row here can be revoked; the row's times decide idle and absolute expiry.

LAST_SEEN_STEP = dt.timedelta(minutes=1)  # last_seen_at is written at most this often per session


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(user: StaffUser, *, lifetime: dt.timedelta) -> str:
    """Open a session for user; return the id for the cookie. Sessions past lifetime are deleted."""
    now = utcnow()
    StaffSession.delete().where(StaffSession.created_at < now - lifetime).execute()
    token = secrets.token_urlsafe(32)
    StaffSession.create(token_hash=_token_hash(token), user=user, created_at=now, last_seen_at=now)
    return token


def find_session(token: str, *, idle: dt.timedelta, lifetime: dt.timedelta) -> StaffSession | None:
    """The open session with this id, its user active, seen within idle and begun within lifetime."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    now = utcnow()
    found = (StaffSession
             .select(StaffSession, StaffUser)
             .join(StaffUser)
             .where(StaffSession.token_hash == _token_hash(token),
                    StaffSession.revoked_at.is_null(),
                    StaffSession.created_at > now - lifetime,
                    StaffSession.last_seen_at > now - idle,
                    StaffUser.active == True)  # noqa: E712
             .first())
    if found is not None and now - found.last_seen_at >= LAST_SEEN_STEP:
        StaffSession.update(last_seen_at=now).where(StaffSession.id == found.id).execute()
        found.last_seen_at = now
    return found


def end_session(token: str) -> None:
    """Revoke one session (sign-out): a saved copy of its cookie opens nothing afterwards."""
    (StaffSession.update(revoked_at=utcnow())
     .where(StaffSession.token_hash == _token_hash(token), StaffSession.revoked_at.is_null())
     .execute())


def revoke_sessions(user: StaffUser, *, keep: str | None = None) -> int:
    """Revoke every open session of user, but keep (a session id); return how many."""
    query = StaffSession.update(revoked_at=utcnow()).where(StaffSession.user == user.id,
                                                           StaffSession.revoked_at.is_null())
    if keep:
        query = query.where(StaffSession.token_hash != _token_hash(keep))
    return query.execute()
