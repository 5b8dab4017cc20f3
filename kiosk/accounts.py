"""Staff accounts: argon2 password hashes, roles, sign-out everywhere."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.models import StaffUser, utcnow
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


def authenticate(username: str, password: str) -> StaffUser | None:
    """Return the active user whose password matches, else None (same work either way)."""
    user = StaffUser.get_or_none(StaffUser.username == (username or "").strip().lower()[:40])
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


def set_password(user: StaffUser, password: str) -> None:
    """Change the password and sign the user out of every other session."""
    check_password_rules(password)
    user.password_hash = _hasher.hash(password)
    user.session_version += 1
    user.save()


def set_role(user: StaffUser, role: str) -> None:
    if role not in ROLES:
        raise AccountError("role")
    user.role = role
    user.session_version += 1
    user.save()


def set_active(user: StaffUser, active: bool) -> None:
    user.active = active
    user.session_version += 1
    user.save()
