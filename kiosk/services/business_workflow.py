"""Decide which status changes staff may make to a business (UMKM, koperasi) and its workers.

A business goes::

    submitted ──> verified ──> active        (final; only once no worker is still open)
        │             │
        └─────────────┴──> rejected           (final, supervisor+, with a reason)

Its workers are registrations (kind "pu") with the walk-in status machine of
``kiosk.services.workflow``; each of them can also be changed one by one.
The four business actions:

- ``verify_all``: the business (when still submitted) and every worker still
  submitted become verified together, in one transaction. Offered while a
  worker is still submitted, also on a business that is already verified.
- ``verify``: the business alone becomes verified.
- ``activate``: a verified business becomes active once every worker is final
  (active or rejected) and at least one is active. Staff press it; nothing
  changes the business by itself when the last worker is activated, so a
  business status only ever changes by a recorded staff action.
- ``reject``: the business becomes rejected and so does every worker not yet
  final, with the same reason (a worker cannot be registered through a
  business that was refused). Active workers keep their membership.

``plan`` only checks and plans; the caller stores the plan with
``UPDATE ... WHERE version = expected`` for the business and each worker, so
of two staff members acting at once exactly one succeeds. An action that
moves workers also checks that the workers are as the staff member saw them
(``workers_fingerprint``), so nobody verifies a worker that someone else just
sent back for a fix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from kiosk.services.workflow import (
    ACTIVE,
    FINAL_STATUSES,
    MAX_REASON_LENGTH,
    PETUGAS,
    REJECTED,
    SUBMITTED,
    SUPERVISOR,
    VERIFIED,
    TransitionError,
    plan_transition,
    role_at_least,
)

BUSINESS_STATUSES: tuple[str, ...] = (SUBMITTED, VERIFIED, ACTIVE, REJECTED)

VERIFY_ALL = "verify_all"
VERIFY = "verify"
ACTIVATE = "activate"
REJECT = "reject"
ACTIONS: tuple[str, ...] = (VERIFY_ALL, VERIFY, ACTIVATE, REJECT)

# Who may take each action, and which business statuses it starts from.
_MIN_ROLE = {VERIFY_ALL: PETUGAS, VERIFY: PETUGAS, ACTIVATE: PETUGAS, REJECT: SUPERVISOR}
_SOURCES = {VERIFY_ALL: (SUBMITTED, VERIFIED), VERIFY: (SUBMITTED,), ACTIVATE: (VERIFIED,),
            REJECT: (SUBMITTED, VERIFIED)}
_WORKER_MOVERS = (VERIFY_ALL, REJECT)


class BusinessTransitionError(TransitionError):
    """Raise when a business action is refused; ``code`` says why.

    Besides the walk-in codes: ``unknown_action``; ``workers_open`` (activate
    while a worker is not yet active or rejected); ``no_active_worker``
    (activate with every worker rejected); ``nothing_to_verify`` (verify_all on
    a verified business with no worker left in submitted).
    """

    CODES = TransitionError.CODES + ("unknown_action", "workers_open", "no_active_worker", "nothing_to_verify")


@dataclass(frozen=True)
class WorkerState:
    """One worker as read from the database: its key (the row id), status and version."""

    key: int
    status: str
    version: int


@dataclass(frozen=True)
class WorkerMove:
    """A checked change of one worker: update where the version is still ``version``."""

    key: int
    source: str
    target: str
    version: int
    new_version: int


@dataclass(frozen=True)
class BusinessPlan:
    """A checked business action, ready to be stored.

    ``target`` is None when the business itself keeps its status (verify_all on
    a verified business moves only workers).
    """

    action: str
    source: str
    target: str | None
    reason: str | None
    new_version: int
    workers: tuple[WorkerMove, ...]


def workers_fingerprint(workers: Iterable[WorkerState]) -> str:
    """Return a short digest of every worker's key, status and version.

    The staff page carries it in its forms instead of the row ids (which never
    leave the server); any worker added, removed or changed since gives
    another digest.

    >>> workers_fingerprint([WorkerState(1, "submitted", 1)]) == workers_fingerprint([WorkerState(1, "submitted", 2)])
    False
    """
    text = "|".join(f"{w.key}:{w.status}:{w.version}" for w in sorted(workers, key=lambda w: w.key))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _check(status: str, action: str, role: str) -> None:
    if status not in BUSINESS_STATUSES:
        raise BusinessTransitionError("unknown_status", f"{str(status)[:40]!r} is not a business status")
    if action not in ACTIONS:
        raise BusinessTransitionError("unknown_action", f"{str(action)[:40]!r} is not an action")
    try:
        role_at_least(role, PETUGAS)
    except TransitionError as exc:
        raise BusinessTransitionError(exc.code, str(exc)) from None


def _clean_reason(reason: str | None, required: bool) -> str | None:
    """Strip the reason; require it for a rejection; the walk-in length limit always."""
    text = (reason or "").strip()
    if not text:
        if required:
            raise BusinessTransitionError("reason_required", "a reason for the owner is required")
        return None
    if len(text) > MAX_REASON_LENGTH:
        raise BusinessTransitionError("reason_too_long", f"{len(text)} characters, at most {MAX_REASON_LENGTH}")
    return text


def _activation_problem(workers: tuple[WorkerState, ...]) -> str | None:
    if any(w.status not in FINAL_STATUSES for w in workers):
        return "workers_open"
    if not any(w.status == ACTIVE for w in workers):
        return "no_active_worker"
    return None


def _worker_moves(action: str, workers: tuple[WorkerState, ...], role: str, reason: str | None):
    if action == VERIFY_ALL:
        movable, target = [w for w in workers if w.status == SUBMITTED], VERIFIED
    elif action == REJECT:
        movable, target = [w for w in workers if w.status not in FINAL_STATUSES], REJECTED
    else:
        return ()
    moves = []
    for worker in movable:
        # The walk-in machine has the final word on each worker's move (role, reason).
        try:
            change = plan_transition(worker.status, target, role=role, version=worker.version,
                                     expected_version=worker.version, reason=reason)
        except TransitionError as exc:
            raise BusinessTransitionError(exc.code, f"worker {worker.key}: {exc}") from None
        moves.append(WorkerMove(worker.key, worker.status, target, worker.version, change.new_version))
    return tuple(moves)


def allowed_actions(status: str, role: str, workers: Iterable[WorkerState]) -> tuple[str, ...]:
    """Return the actions this role may take on a business in ``status`` with these workers, in ACTIONS order."""
    workers = tuple(workers)
    allowed = []
    for action in ACTIONS:
        _check(status, action, role)
        if status not in _SOURCES[action] or not role_at_least(role, _MIN_ROLE[action]):
            continue
        if action == ACTIVATE and _activation_problem(workers):
            continue
        if action == VERIFY_ALL and not any(w.status == SUBMITTED for w in workers):
            continue  # nothing besides the business to verify: the plain "verify" does that
        allowed.append(action)
    return tuple(allowed)


def plan(
    action: str,
    *,
    status: str,
    role: str,
    version: int,
    expected_version: int,
    workers: Iterable[WorkerState],
    seen_workers: str | None = None,
    reason: str | None = None,
) -> BusinessPlan:
    """Check a business action and return it as a BusinessPlan; raise BusinessTransitionError if refused.

    Checks run in this order: unknown status/action/role, stale business
    version, stale workers (actions that move workers, when ``seen_workers``
    is not the fingerprint of ``workers``), illegal action from this status,
    role too low, reason, then what the action needs of the workers.
    ``workers`` are the business's workers as they are now.
    """
    _check(status, action, role)
    workers = tuple(workers)
    if version != expected_version:
        raise BusinessTransitionError(
            "stale", f"version is {version}, the page was opened at {expected_version}; someone changed it first")
    if action in _WORKER_MOVERS and seen_workers != workers_fingerprint(workers):
        raise BusinessTransitionError("stale", "the workers changed since the page was opened")
    if status not in _SOURCES[action]:
        raise BusinessTransitionError("illegal", f"{action} is not possible on a {status} business")
    if not role_at_least(role, _MIN_ROLE[action]):
        raise BusinessTransitionError("role", f"{action} needs {_MIN_ROLE[action]} or higher, not {role}")
    clean_reason = _clean_reason(reason, action == REJECT)
    if action == ACTIVATE and (problem := _activation_problem(workers)):
        raise BusinessTransitionError(problem, "every worker must be active or rejected, one at least active")
    moves = _worker_moves(action, workers, role, clean_reason)
    target = {VERIFY_ALL: VERIFIED, VERIFY: VERIFIED, ACTIVATE: ACTIVE, REJECT: REJECTED}[action]
    if status == target:  # verify_all on a verified business: only its workers move
        if not moves:
            raise BusinessTransitionError("nothing_to_verify", "no worker is waiting for verification")
        return BusinessPlan(action, status, None, clean_reason, version, moves)
    return BusinessPlan(action, status, target, clean_reason, version + 1, moves)
