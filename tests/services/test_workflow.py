"""Tests for kiosk.services.workflow."""

import itertools

import pytest

from kiosk.services import workflow as wf
from kiosk.services.workflow import (
    ACTIVE,
    ADMIN,
    NEEDS_FIX,
    OPEN_STATUSES,
    PETUGAS,
    REJECTED,
    ROLES,
    STATUSES,
    SUBMITTED,
    SUPERVISOR,
    VERIFIED,
    Change,
    Transition,
    TransitionError,
    allowed_targets,
    plan_transition,
    role_at_least,
)

KPJ = "12345678901"

# The spec, written out independently of the module's table: (source, target) -> lowest role.
ALLOWED = {
    (SUBMITTED, VERIFIED): PETUGAS,
    (SUBMITTED, NEEDS_FIX): PETUGAS,
    (VERIFIED, ACTIVE): PETUGAS,
    (VERIFIED, NEEDS_FIX): PETUGAS,
    (NEEDS_FIX, SUBMITTED): PETUGAS,
    (SUBMITTED, REJECTED): SUPERVISOR,
    (VERIFIED, REJECTED): SUPERVISOR,
    (NEEDS_FIX, REJECTED): SUPERVISOR,
}
RANK = {PETUGAS: 0, SUPERVISOR: 1, ADMIN: 2}


def plan(status, target, role=ADMIN, *, version=3, expected_version=3, reason="Foto KTP buram", kpj=KPJ):
    """Plan a change with defaults that satisfy every requirement."""
    return plan_transition(
        status, target, role=role, version=version, expected_version=expected_version, reason=reason, kpj=kpj,
    )


def error_code(*args, **kwargs):
    """Return the TransitionError code raised by ``plan(...)``."""
    with pytest.raises(TransitionError) as caught:
        plan(*args, **kwargs)
    return caught.value.code


# --- constants ---------------------------------------------------------------


def test_status_values():
    assert STATUSES == ("submitted", "verified", "active", "needs_fix", "rejected")
    assert OPEN_STATUSES == ("submitted", "verified", "active", "needs_fix")
    assert REJECTED not in OPEN_STATUSES


def test_role_values():
    assert (PETUGAS, SUPERVISOR, ADMIN) == ("petugas", "supervisor", "admin") == ROLES


def test_module_table_matches_spec():
    table = {(t.source, t.target): t.min_role for t in wf.TRANSITIONS}
    assert table == ALLOWED
    assert all(isinstance(t, Transition) for t in wf.TRANSITIONS)


# --- the full cross product ----------------------------------------------------


@pytest.mark.parametrize("status, target, role", list(itertools.product(STATUSES, STATUSES, ROLES)))
def test_every_move_for_every_role(status, target, role):
    minimum = ALLOWED.get((status, target))
    if minimum is None:
        assert error_code(status, target, role) == "illegal"
    elif RANK[role] < RANK[minimum]:
        assert error_code(status, target, role) == "role"
    else:
        change = plan(status, target, role)
        assert (change.source, change.target, change.new_version) == (status, target, 4)


@pytest.mark.parametrize("status, role", list(itertools.product(STATUSES, ROLES)))
def test_allowed_targets_agree_with_plan(status, role):
    expected = tuple(t for t in STATUSES if (status, t) in ALLOWED and RANK[role] >= RANK[ALLOWED[(status, t)]])
    assert allowed_targets(status, role) == expected


# --- allowed_targets -----------------------------------------------------------


@pytest.mark.parametrize(
    "status, role, targets",
    [
        (SUBMITTED, PETUGAS, (VERIFIED, NEEDS_FIX)),
        (SUBMITTED, SUPERVISOR, (VERIFIED, NEEDS_FIX, REJECTED)),
        (SUBMITTED, ADMIN, (VERIFIED, NEEDS_FIX, REJECTED)),
        (VERIFIED, PETUGAS, (ACTIVE, NEEDS_FIX)),
        (VERIFIED, SUPERVISOR, (ACTIVE, NEEDS_FIX, REJECTED)),
        (NEEDS_FIX, PETUGAS, (SUBMITTED,)),
        (NEEDS_FIX, ADMIN, (SUBMITTED, REJECTED)),
    ],
)
def test_allowed_targets_order(status, role, targets):
    assert allowed_targets(status, role) == targets


@pytest.mark.parametrize("status", [ACTIVE, REJECTED])
@pytest.mark.parametrize("role", ROLES)
def test_final_states_have_no_targets(status, role):
    assert allowed_targets(status, role) == ()


@pytest.mark.parametrize(
    "status, role, code",
    [("approved", PETUGAS, "unknown_status"), (SUBMITTED, "root", "unknown_role"), ("", "", "unknown_status")],
)
def test_allowed_targets_unknown(status, role, code):
    with pytest.raises(TransitionError) as caught:
        allowed_targets(status, role)
    assert caught.value.code == code


# --- roles -------------------------------------------------------------------


@pytest.mark.parametrize("role, minimum", list(itertools.product(ROLES, ROLES)))
def test_role_at_least(role, minimum):
    assert role_at_least(role, minimum) is (RANK[role] >= RANK[minimum])


@pytest.mark.parametrize("role, minimum", [("root", PETUGAS), (PETUGAS, "root"), ("Admin", PETUGAS), (None, ADMIN)])
def test_role_at_least_unknown_role(role, minimum):
    with pytest.raises(TransitionError) as caught:
        role_at_least(role, minimum)
    assert caught.value.code == "unknown_role"


# --- order of checks ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, code",
    [
        (("approved", VERIFIED), {}, "unknown_status"),
        ((SUBMITTED, "approved"), {}, "unknown_status"),
        ((SUBMITTED, VERIFIED, "root"), {}, "unknown_role"),
        ((SUBMITTED, "Verified"), {}, "unknown_status"),
        # unknown beats stale
        (("approved", VERIFIED), {"version": 1, "expected_version": 2}, "unknown_status"),
        # stale beats illegal, role, reason and KPJ
        ((ACTIVE, SUBMITTED), {"version": 5, "expected_version": 4}, "stale"),
        ((SUBMITTED, REJECTED, PETUGAS), {"version": 5, "expected_version": 4}, "stale"),
        ((VERIFIED, ACTIVE), {"version": 5, "expected_version": 4, "kpj": None}, "stale"),
        # illegal beats role
        ((ACTIVE, REJECTED, PETUGAS), {}, "illegal"),
        # role beats reason
        ((VERIFIED, REJECTED, PETUGAS), {"reason": None}, "role"),
        # reason beats KPJ is not observable (no move needs both); KPJ is last
        ((VERIFIED, ACTIVE, PETUGAS), {"kpj": None, "reason": "x" * 501}, "reason_too_long"),
    ],
)
def test_checks_run_in_documented_order(args, kwargs, code):
    assert error_code(*args, **kwargs) == code


# --- stale version -----------------------------------------------------------


@pytest.mark.parametrize("version, expected", [(2, 1), (1, 2), (0, 1), (10, 9)])
def test_stale_version(version, expected):
    with pytest.raises(TransitionError) as caught:
        plan(SUBMITTED, VERIFIED, version=version, expected_version=expected)
    assert caught.value.code == "stale"
    assert "someone" in str(caught.value)


@pytest.mark.parametrize("version", [0, 1, 41])
def test_new_version_is_one_more(version):
    assert plan(SUBMITTED, VERIFIED, version=version, expected_version=version).new_version == version + 1


# --- reasons -----------------------------------------------------------------

NEEDS_REASON = [move for move in ALLOWED if move[1] in (NEEDS_FIX, REJECTED)]


@pytest.mark.parametrize("status, target", NEEDS_REASON)
@pytest.mark.parametrize("reason", [None, "", "   ", "\t\n", "\u3000"])
def test_reason_required(status, target, reason):
    assert error_code(status, target, reason=reason) == "reason_required"


@pytest.mark.parametrize("status, target", NEEDS_REASON)
def test_reason_is_stripped(status, target):
    assert plan(status, target, reason="  Foto KTP buram \n").reason == "Foto KTP buram"


@pytest.mark.parametrize(
    "reason, code",
    [("x" * 500, None), ("  " + "x" * 500 + "  ", None), ("x" * 501, "reason_too_long"),
     ("x" * 100_000, "reason_too_long")],
)
def test_reason_length_limit(reason, code):
    if code is None:
        assert len(plan(SUBMITTED, NEEDS_FIX, reason=reason).reason) == 500
    else:
        assert error_code(SUBMITTED, NEEDS_FIX, reason=reason) == code


@pytest.mark.parametrize("status, target", [(SUBMITTED, VERIFIED), (NEEDS_FIX, SUBMITTED), (VERIFIED, ACTIVE)])
def test_reason_optional_elsewhere(status, target):
    assert plan(status, target, reason=None).reason is None
    assert plan(status, target, reason="  ").reason is None
    assert plan(status, target, reason=" dicek ").reason == "dicek"


# --- KPJ ---------------------------------------------------------------------


def test_activation_returns_normalised_kpj():
    change = plan(VERIFIED, ACTIVE, PETUGAS, reason=None, kpj=" 123.4567-8901 ")
    assert change == Change(source=VERIFIED, target=ACTIVE, reason=None, kpj="12345678901", new_version=4)


@pytest.mark.parametrize("kpj", [None, "", "   ", " - . "])
def test_kpj_required(kpj):
    assert error_code(VERIFIED, ACTIVE, kpj=kpj) == "kpj_required"


@pytest.mark.parametrize("kpj", ["1234567890", "123456789012", "1234567890A", "١٢٣٤٥٦٧٨٩٠١", "x" * 100_000])
def test_kpj_invalid(kpj):
    with pytest.raises(TransitionError) as caught:
        plan(VERIFIED, ACTIVE, kpj=kpj)
    assert caught.value.code == "kpj_invalid"
    assert "KPJ" in str(caught.value)


@pytest.mark.parametrize("status, target", [m for m in ALLOWED if m != (VERIFIED, ACTIVE)])
def test_kpj_ignored_on_other_moves(status, target):
    assert plan(status, target, kpj="not a kpj").kpj is None


# --- the error ---------------------------------------------------------------


def test_error_is_value_error_with_english_message():
    with pytest.raises(TransitionError) as caught:
        plan(SUBMITTED, REJECTED, PETUGAS)
    assert isinstance(caught.value, ValueError)
    assert "role" in str(caught.value) and "supervisor" in str(caught.value)


def test_unknown_status_message_is_bounded():
    with pytest.raises(TransitionError) as caught:
        plan("x" * 100_000, VERIFIED)
    assert len(str(caught.value)) < 200


def test_fix_sections_keep_flow_order_and_drop_unknown():
    from kiosk.services.workflow import FIX_SECTIONS, clean_fix_sections

    assert clean_fix_sections(["work", "identity", "bogus", "work"]) == ("identity", "work")
    assert clean_fix_sections([]) == () == clean_fix_sections(None) == clean_fix_sections(["x"])
    assert clean_fix_sections(list(FIX_SECTIONS)) == FIX_SECTIONS
