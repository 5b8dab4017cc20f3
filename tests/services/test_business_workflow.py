"""Tests for kiosk.services.business_workflow."""

import pytest

from kiosk.services import business_workflow as bw
from kiosk.services.business_workflow import (
    ACTIONS,
    ACTIVATE,
    REJECT,
    VERIFY,
    VERIFY_ALL,
    BusinessTransitionError,
    WorkerState,
    allowed_actions,
    workers_fingerprint,
)
from kiosk.services.workflow import (
    ACTIVE,
    ADMIN,
    NEEDS_FIX,
    PETUGAS,
    REJECTED,
    SUBMITTED,
    SUPERVISOR,
    VERIFIED,
    TransitionError,
)

W = WorkerState
MIXED = (W(11, SUBMITTED, 1), W(12, SUBMITTED, 4), W(13, NEEDS_FIX, 2), W(14, VERIFIED, 3), W(15, ACTIVE, 5))
ALL_FINAL = (W(21, ACTIVE, 3), W(22, REJECTED, 2), W(23, ACTIVE, 4))


def plan(action, status=SUBMITTED, role=ADMIN, *, workers=MIXED, version=3, expected_version=3, seen="same",
         reason="Usaha tidak ada di alamat"):
    """Plan an action with defaults that satisfy every requirement."""
    seen_workers = workers_fingerprint(workers) if seen == "same" else seen
    return bw.plan(action, status=status, role=role, version=version, expected_version=expected_version,
                   workers=workers, seen_workers=seen_workers, reason=reason)


def error_code(*args, **kwargs):
    with pytest.raises(BusinessTransitionError) as caught:
        plan(*args, **kwargs)
    return caught.value.code


# --- verify together ------------------------------------------------------------------------------

def test_verify_all_moves_the_business_and_every_submitted_worker():
    result = plan(VERIFY_ALL, role=PETUGAS, reason="")
    assert (result.source, result.target, result.new_version) == (SUBMITTED, VERIFIED, 4)
    assert [(m.key, m.source, m.target, m.version, m.new_version) for m in result.workers] == [
        (11, SUBMITTED, VERIFIED, 1, 2), (12, SUBMITTED, VERIFIED, 4, 5)]
    assert result.reason is None


def test_verify_all_on_a_verified_business_moves_only_the_workers_left():
    result = plan(VERIFY_ALL, VERIFIED, PETUGAS)
    assert result.target is None and result.new_version == 3  # the business row is not touched
    assert [m.key for m in result.workers] == [11, 12]


def test_verify_all_with_nothing_left_is_refused():
    done = (W(1, VERIFIED, 2), W(2, ACTIVE, 3))
    assert error_code(VERIFY_ALL, VERIFIED, workers=done) == "nothing_to_verify"
    alone = plan(VERIFY_ALL, SUBMITTED, workers=done)  # the business itself still moves
    assert alone.target == VERIFIED and alone.workers == ()


def test_verify_business_only_leaves_the_workers():
    result = plan(VERIFY, role=PETUGAS)
    assert result.target == VERIFIED and result.workers == ()


# --- activate --------------------------------------------------------------------------------------

def test_activate_once_every_worker_is_active_or_rejected():
    result = plan(ACTIVATE, VERIFIED, PETUGAS, workers=ALL_FINAL)
    assert (result.source, result.target, result.workers) == (VERIFIED, ACTIVE, ())


@pytest.mark.parametrize("workers, code", [
    (MIXED, "workers_open"),
    ((W(1, ACTIVE, 2), W(2, VERIFIED, 2)), "workers_open"),
    ((W(1, REJECTED, 2), W(2, REJECTED, 2)), "no_active_worker"),
    ((), "no_active_worker"),
])
def test_activate_waits_for_the_workers(workers, code):
    assert error_code(ACTIVATE, VERIFIED, workers=workers) == code
    assert ACTIVATE not in allowed_actions(VERIFIED, ADMIN, workers)


def test_activate_only_from_verified():
    assert error_code(ACTIVATE, SUBMITTED, workers=ALL_FINAL) == "illegal"


# --- reject ----------------------------------------------------------------------------------------

def test_reject_takes_every_open_worker_with_it_but_keeps_active_members():
    result = plan(REJECT, VERIFIED, SUPERVISOR, reason="  NIB milik usaha lain  ")
    assert result.target == REJECTED and result.reason == "NIB milik usaha lain"
    assert [(m.key, m.source) for m in result.workers] == [(11, SUBMITTED), (12, SUBMITTED), (13, NEEDS_FIX),
                                                          (14, VERIFIED)]
    assert all(m.target == REJECTED for m in result.workers)


def test_reject_needs_a_supervisor_and_a_reason():
    assert error_code(REJECT, role=PETUGAS) == "role"
    assert error_code(REJECT, reason="   ") == "reason_required"
    assert error_code(REJECT, reason=None) == "reason_required"
    assert error_code(REJECT, reason="x" * 501) == "reason_too_long"
    assert error_code(REJECT, ACTIVE, workers=ALL_FINAL) == "illegal"
    assert error_code(REJECT, REJECTED) == "illegal"


# --- versions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_business_version_is_refused_first(action):
    assert error_code(action, VERIFIED, workers=ALL_FINAL, version=4, expected_version=3, role=PETUGAS,
                      reason="") == "stale"


@pytest.mark.parametrize("action", [VERIFY_ALL, REJECT])
def test_actions_that_move_workers_refuse_workers_changed_since_the_page(action):
    seen = workers_fingerprint(MIXED)
    changed = (W(11, NEEDS_FIX, 2),) + MIXED[1:]
    added = MIXED + (W(16, SUBMITTED, 1),)
    for workers in (changed, added, MIXED[1:]):
        assert error_code(action, workers=workers, seen=seen) == "stale"
    assert error_code(action, seen=None) == "stale"
    assert error_code(action, seen="") == "stale"


def test_single_row_actions_do_not_care_about_the_workers_fingerprint():
    assert plan(VERIFY, seen="anything").target == VERIFIED
    assert plan(ACTIVATE, VERIFIED, workers=ALL_FINAL, seen=None).target == ACTIVE


def test_fingerprint_ignores_order_and_sees_every_change():
    assert workers_fingerprint(MIXED) == workers_fingerprint(reversed(MIXED))
    assert workers_fingerprint(MIXED) != workers_fingerprint((W(11, SUBMITTED, 2),) + MIXED[1:])
    assert workers_fingerprint(MIXED) != workers_fingerprint((W(11, VERIFIED, 1),) + MIXED[1:])
    assert len(workers_fingerprint(())) == 20


# --- what is offered --------------------------------------------------------------------------------

@pytest.mark.parametrize("status, role, workers, expected", [
    (SUBMITTED, PETUGAS, MIXED, (VERIFY_ALL, VERIFY)),
    (SUBMITTED, SUPERVISOR, MIXED, (VERIFY_ALL, VERIFY, REJECT)),
    (SUBMITTED, ADMIN, (W(1, VERIFIED, 2),), (VERIFY, REJECT)),
    (VERIFIED, PETUGAS, MIXED, (VERIFY_ALL,)),
    (VERIFIED, PETUGAS, ALL_FINAL, (ACTIVATE,)),
    (VERIFIED, SUPERVISOR, ALL_FINAL, (ACTIVATE, REJECT)),
    (ACTIVE, ADMIN, ALL_FINAL, ()),
    (REJECTED, ADMIN, MIXED, ()),
])
def test_allowed_actions(status, role, workers, expected):
    assert allowed_actions(status, role, workers) == expected


def test_every_offered_action_plans_and_every_other_is_refused():
    for status in bw.BUSINESS_STATUSES:
        for role in (PETUGAS, SUPERVISOR, ADMIN):
            for workers in (MIXED, ALL_FINAL, ()):
                offered = allowed_actions(status, role, workers)
                for action in ACTIONS:
                    try:
                        plan(action, status, role, workers=workers)
                        planned = True
                    except BusinessTransitionError:
                        planned = False
                    if action in offered:
                        assert planned, (status, role, workers, action)
                    elif action != VERIFY_ALL:  # verify_all is hidden when "verify" does the same
                        assert not planned, (status, role, workers, action)


@pytest.mark.parametrize("kwargs, code", [
    ({"status": "needs_fix"}, "unknown_status"),
    ({"status": "bogus"}, "unknown_status"),
    ({"role": "kasir"}, "unknown_role"),
])
def test_unknown_values_are_refused(kwargs, code):
    assert error_code(VERIFY, **kwargs) == code


def test_unknown_action_is_refused():
    assert error_code("<script>") == "unknown_action"


def test_it_is_a_transition_error():
    with pytest.raises(TransitionError):
        plan(VERIFY, version=1, expected_version=2)
