"""Decide which status changes staff may make to a registration application.

The life of an application::

    submitted ──> verified ──> active            (final)
        │  ^          │
        v  │          v
      needs_fix <─────┘
    submitted | verified | needs_fix ──> rejected (final, supervisor+)

``plan_transition`` only checks and plans a change; the caller stores it,
ideally with ``UPDATE ... WHERE version = expected_version`` so two staff
members cannot both change the same application.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.errors import DomainError
from kiosk.services.kpj import InvalidKpj, normalise_kpj

SUBMITTED = "submitted"  # Diterima
VERIFIED = "verified"  # Diverifikasi
ACTIVE = "active"  # Aktif
NEEDS_FIX = "needs_fix"  # Perlu perbaikan
REJECTED = "rejected"  # Ditolak

STATUSES: tuple[str, ...] = (SUBMITTED, VERIFIED, ACTIVE, NEEDS_FIX, REJECTED)
# A NIK with an application in one of these cannot register again.
OPEN_STATUSES: tuple[str, ...] = (SUBMITTED, VERIFIED, ACTIVE, NEEDS_FIX)
FINAL_STATUSES: tuple[str, ...] = (ACTIVE, REJECTED)

PETUGAS = "petugas"
SUPERVISOR = "supervisor"
ADMIN = "admin"
ROLES: tuple[str, ...] = (PETUGAS, SUPERVISOR, ADMIN)  # lowest rank first
_RANK = {role: rank for rank, role in enumerate(ROLES)}

MAX_REASON_LENGTH = 500

# The parts of a walk-in an officer can ask the applicant to fix; the correction opens only those.
FIX_SECTIONS: tuple[str, ...] = ("identity", "contact", "work", "program")


def clean_fix_sections(chosen) -> tuple[str, ...]:
    """The sections an officer ticked, in flow order, unknown ones dropped (possibly none)."""
    return tuple(section for section in FIX_SECTIONS if section in set(chosen or ()))


class TransitionError(DomainError):
    """Raise when a status change is not allowed; ``code`` says why."""

    CODES = (
        "unknown_status", "unknown_role", "stale", "illegal", "role",
        "reason_required", "reason_too_long", "kpj_required", "kpj_invalid", "sections_required", "payer",
        "payer_programme",
    )
    what = "status change refused"


@dataclass(frozen=True)
class Transition:
    """Describe one allowed move and what it needs."""

    source: str
    target: str
    min_role: str
    needs_reason: bool
    needs_kpj: bool


@dataclass(frozen=True)
class Change:
    """Hold a checked status change, ready to be stored."""

    source: str
    target: str
    reason: str | None
    kpj: str | None
    new_version: int


TRANSITIONS: tuple[Transition, ...] = (
    Transition(SUBMITTED, VERIFIED, PETUGAS, needs_reason=False, needs_kpj=False),
    Transition(SUBMITTED, NEEDS_FIX, PETUGAS, needs_reason=True, needs_kpj=False),
    Transition(SUBMITTED, REJECTED, SUPERVISOR, needs_reason=True, needs_kpj=False),
    Transition(VERIFIED, ACTIVE, PETUGAS, needs_reason=False, needs_kpj=True),
    Transition(VERIFIED, NEEDS_FIX, PETUGAS, needs_reason=True, needs_kpj=False),
    Transition(VERIFIED, REJECTED, SUPERVISOR, needs_reason=True, needs_kpj=False),
    Transition(NEEDS_FIX, SUBMITTED, PETUGAS, needs_reason=False, needs_kpj=False),
    Transition(NEEDS_FIX, REJECTED, SUPERVISOR, needs_reason=True, needs_kpj=False),
)
_BY_MOVE = {(t.source, t.target): t for t in TRANSITIONS}


def _check_status(status: str) -> None:
    """Raise ``unknown_status`` unless ``status`` is one of STATUSES."""
    if status not in STATUSES:
        raise TransitionError("unknown_status", f"{str(status)[:40]!r} is not a status")


def _check_role(role: str) -> None:
    """Raise ``unknown_role`` unless ``role`` is one of ROLES."""
    if role not in ROLES:
        raise TransitionError("unknown_role", f"{str(role)[:40]!r} is not a role")


def role_at_least(role: str, minimum: str) -> bool:
    """Tell whether ``role`` ranks at or above ``minimum`` (petugas < supervisor < admin)."""
    _check_role(role)
    _check_role(minimum)
    return _RANK[role] >= _RANK[minimum]


def allowed_targets(status: str, role: str) -> tuple[str, ...]:
    """Return the statuses this role may move ``status`` to, in STATUSES order."""
    _check_status(status)
    _check_role(role)
    return tuple(
        target for target in STATUSES
        if (move := _BY_MOVE.get((status, target))) and role_at_least(role, move.min_role)
    )


def _clean_reason(reason: str | None, required: bool) -> str | None:
    """Strip the reason; enforce presence if ``required`` and the length limit always."""
    text = (reason or "").strip()
    if not text:
        if required:
            raise TransitionError("reason_required", "a message for the applicant is required")
        return None
    if len(text) > MAX_REASON_LENGTH:
        raise TransitionError("reason_too_long", f"{len(text)} characters, at most {MAX_REASON_LENGTH}")
    return text


def _clean_kpj(kpj: str | None) -> str:
    """Normalise the KPJ number, mapping InvalidKpj to kpj_required / kpj_invalid."""
    try:
        return normalise_kpj(kpj)
    except InvalidKpj as exc:
        if exc.code == "empty":
            raise TransitionError("kpj_required", "activation needs the KPJ number") from exc
        raise TransitionError("kpj_invalid", str(exc)) from exc


def plan_transition(
    status: str,
    target: str,
    *,
    role: str,
    version: int,
    expected_version: int,
    reason: str | None = None,
    kpj: str | None = None,
) -> Change:
    """Check a status change and return it as a Change; raise TransitionError if refused.

    Checks run in this order: unknown status/target/role, stale version,
    illegal move, role too low, reason, KPJ. ``version`` is the row's
    current version and ``expected_version`` the one the staff member saw
    when they opened the form. A reason is kept (stripped) on any move when
    given, but required only where the move needs one; a KPJ is used only
    for activation and ignored elsewhere.
    """
    _check_status(status)
    _check_status(target)
    _check_role(role)
    if version != expected_version:
        raise TransitionError(
            "stale", f"version is {version}, the form was opened at {expected_version}; someone changed it first",
        )
    move = _BY_MOVE.get((status, target))
    if move is None:
        raise TransitionError("illegal", f"{status} cannot become {target}")
    if not role_at_least(role, move.min_role):
        raise TransitionError("role", f"{status} -> {target} needs {move.min_role} or higher, not {role}")
    clean_reason = _clean_reason(reason, move.needs_reason)
    clean_kpj = _clean_kpj(kpj) if move.needs_kpj else None
    return Change(source=status, target=target, reason=clean_reason, kpj=clean_kpj, new_version=version + 1)
