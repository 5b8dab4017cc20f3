"""Tests for kiosk.services.audit_chain."""

import hashlib
import json

import pytest

from kiosk.services.audit_chain import GENESIS, ChainProblem, entry_hash, verify_chain

FIELDS = ("seq", "at", "actor", "action", "subject", "detail", "prev_hash")


def seal(entry):
    """Return ``entry`` with its hash recomputed from its content."""
    content = {k: entry[k] for k in FIELDS}
    return {**content, "hash": entry_hash(**content)}


def build_chain(n=100):
    """Build an intact chain of ``n`` entries."""
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = seal({
            "seq": seq, "at": f"2026-06-01T08:{seq // 60:02d}:{seq % 60:02d}+07:00",
            "actor": "petugas:budi" if seq % 2 else "kiosk",
            "action": "application.status" if seq % 3 else "application.submitted",
            "subject": f"app:{seq}" if seq % 5 else "",
            "detail": {"from": "submitted", "to": "verified", "n": seq, "catatan": "Foto KTP buram ✓"},
            "prev_hash": prev,
        })
        entries.append(entry)
        prev = entry["hash"]
    return entries


@pytest.fixture
def chain():
    """Give each test a fresh 100-entry chain."""
    return build_chain()


def kinds(problems):
    """Return (seq, kind) pairs."""
    return [(p.seq, p.kind) for p in problems]


# --- entry_hash --------------------------------------------------------------


def test_entry_hash_is_sha256_of_canonical_json():
    fields = dict(seq=1, at="2026-06-01T08:00:00+07:00", actor="kiosk", action="a", subject="",
                  detail={"b": 1, "a": "é"}, prev_hash=GENESIS)
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry_hash(**fields) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_entry_hash_ignores_dict_order_and_survives_json_round_trip():
    a = entry_hash(seq=1, at="t", actor="x", action="y", subject="", detail={"a": 1, "b": [1, 2.5]}, prev_hash=GENESIS)
    detail = json.loads(json.dumps({"b": [1, 2.5], "a": 1}))
    assert a == entry_hash(seq=1, at="t", actor="x", action="y", subject="", detail=detail, prev_hash=GENESIS)


@pytest.mark.parametrize(
    "field, value",
    [("seq", 2), ("at", "u"), ("actor", "z"), ("action", "w"), ("subject", "s"), ("detail", {"a": 2}),
     ("prev_hash", "1" * 64)],
)
def test_every_field_changes_the_hash(field, value):
    fields = dict(seq=1, at="t", actor="x", action="y", subject="", detail={"a": 1}, prev_hash=GENESIS)
    assert entry_hash(**fields) != entry_hash(**{**fields, field: value})


def test_field_boundaries_cannot_be_shifted():
    one = entry_hash(seq=1, at="t", actor="ab", action="c", subject="", detail={}, prev_hash=GENESIS)
    two = entry_hash(seq=1, at="t", actor="a", action="bc", subject="", detail={}, prev_hash=GENESIS)
    assert one != two


def test_lone_surrogate_does_not_crash():
    assert len(entry_hash(seq=1, at="t", actor="\ud800", action="a", subject="", detail={}, prev_hash=GENESIS)) == 64


# --- intact chains -------------------------------------------------------------


def test_intact_chain(chain):
    assert verify_chain(chain) == []


def test_empty_and_single_entry_chains():
    assert verify_chain([]) == []
    assert verify_chain(build_chain(1)) == []


def test_verify_streams_from_a_generator(chain):
    assert verify_chain(entry for entry in chain) == []


# --- edits -------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("detail", {"from": "submitted", "to": "active", "n": 50, "catatan": "Foto KTP buram ✓"}),
        ("actor", "admin:mallory"),
        ("at", "2026-06-02T08:00:50+07:00"),
        ("action", "application.deleted"),
        ("subject", "app:999"),
    ],
)
def test_edited_field(chain, field, value):
    chain[49] = {**chain[49], field: value}
    assert kinds(verify_chain(chain)) == [(50, "edited")]


def test_edited_first_entry(chain):
    chain[0] = {**chain[0], "actor": "someone"}
    assert kinds(verify_chain(chain)) == [(1, "edited")]


def test_unserialisable_detail_counts_as_edited(chain):
    chain[9] = {**chain[9], "detail": {"x": {1, 2}}}
    assert kinds(verify_chain(chain)) == [(10, "edited")]


def test_forged_hash_breaks_next_link(chain):
    chain[49] = seal({**chain[49], "actor": "admin:mallory"})
    assert kinds(verify_chain(chain)) == [(51, "broken_link")]


def test_forged_last_entry_is_invisible_without_anchor(chain):
    anchor = chain[-1]["hash"]
    chain[-1] = seal({**chain[-1], "actor": "admin:mallory"})
    assert verify_chain(chain) == []
    assert kinds(verify_chain(chain, expected_last_hash=anchor)) == [(100, "truncated")]


def test_rewriting_the_whole_tail_needs_the_anchor(chain):
    anchor_count, anchor_hash = 100, chain[-1]["hash"]
    for i in range(49, 100):
        prev = chain[i - 1]["hash"]
        chain[i] = seal({**chain[i], "prev_hash": prev, "detail": {}})
    assert verify_chain(chain) == []
    assert kinds(verify_chain(chain, expected_count=anchor_count, expected_last_hash=anchor_hash)) == [
        (100, "truncated")
    ]


def test_changed_prev_hash_is_edited_and_broken(chain):
    chain[49] = {**chain[49], "prev_hash": "f" * 64}
    assert kinds(verify_chain(chain)) == [(50, "broken_link"), (50, "edited")]


# --- deletes, inserts, reorders ---------------------------------------------------


def test_deleted_middle_entry(chain):
    del chain[49]
    assert kinds(verify_chain(chain)) == [(50, "gap"), (51, "broken_link")]


def test_deleted_run_reports_one_gap(chain):
    del chain[49:52]
    problems = verify_chain(chain)
    assert kinds(problems) == [(50, "gap"), (53, "broken_link")]
    assert "50-52" in problems[0].detail


def test_deleted_first_entry(chain):
    del chain[0]
    assert kinds(verify_chain(chain)) == [(2, "first")]


def test_first_entry_must_link_to_genesis():
    chain = build_chain(3)
    chain[0] = seal({**chain[0], "prev_hash": "1" * 64})
    assert kinds(verify_chain(chain)) == [(1, "first"), (2, "broken_link")]


def test_swapped_entries(chain):
    chain[49], chain[50] = chain[50], chain[49]
    assert kinds(verify_chain(chain)) == [
        (50, "gap"), (51, "broken_link"),
        (50, "order"), (50, "broken_link"),
        (52, "broken_link"),
    ]


def test_renumbered_entries_are_edited(chain):
    a, b = chain[49], chain[50]
    chain[49] = {**b, "seq": 50, "prev_hash": a["prev_hash"]}
    chain[50] = {**a, "seq": 51, "prev_hash": chain[49]["hash"]}
    problems = kinds(verify_chain(chain))
    assert (50, "edited") in problems and (51, "edited") in problems


def test_duplicated_entry(chain):
    chain.insert(50, dict(chain[49]))
    assert kinds(verify_chain(chain)) == [(50, "order"), (50, "broken_link")]


def test_inserted_entry_with_own_valid_hash(chain):
    fake = seal({**chain[49], "seq": 51, "prev_hash": chain[49]["hash"], "action": "fake"})
    chain.insert(50, fake)
    assert kinds(verify_chain(chain)) == [(51, "order"), (51, "broken_link")]


# --- truncation and anchors ------------------------------------------------------


def test_truncation_is_invisible_without_anchor(chain):
    assert verify_chain(chain[:90]) == []


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"expected_count": 100}, [(91, "truncated")]),
        ({"expected_count": 90}, []),
        ({"expected_count": 0}, []),
        ({"expected_count": 120}, [(91, "truncated")]),
    ],
)
def test_truncation_by_count(chain, kwargs, expected):
    assert kinds(verify_chain(chain[:90], **kwargs)) == expected


def test_truncation_by_last_hash(chain):
    anchor = chain[-1]["hash"]
    assert verify_chain(chain, expected_last_hash=anchor) == []
    assert kinds(verify_chain(chain[:99], expected_last_hash=anchor)) == [(99, "truncated")]


def test_anchor_allows_later_appends(chain):
    anchor_count, anchor_hash = 60, chain[59]["hash"]
    assert verify_chain(chain, expected_count=anchor_count, expected_last_hash=anchor_hash) == []


def test_anchor_hash_at_count_must_match(chain):
    assert kinds(verify_chain(chain, expected_count=60, expected_last_hash=chain[58]["hash"])) == [(60, "truncated")]


def test_truncated_and_reappended_chain_fails_the_anchor(chain):
    anchor_count, anchor_hash = 100, chain[-1]["hash"]
    tail = chain[:95]
    prev = tail[-1]["hash"]
    for seq in range(96, 101):
        entry = seal({**chain[seq - 1], "prev_hash": prev, "actor": "kiosk", "detail": {"replaced": True}})
        tail.append(entry)
        prev = entry["hash"]
    assert verify_chain(tail) == []
    assert kinds(verify_chain(tail, expected_count=anchor_count, expected_last_hash=anchor_hash)) == [
        (100, "truncated")
    ]


def test_everything_deleted(chain):
    anchor = chain[-1]["hash"]
    assert kinds(verify_chain([], expected_count=100, expected_last_hash=anchor)) == [(1, "truncated")]
    assert kinds(verify_chain([], expected_last_hash=anchor)) == [(1, "truncated")]
    assert verify_chain([], expected_last_hash=GENESIS) == []
    assert verify_chain([], expected_count=0, expected_last_hash=GENESIS) == []


def test_problem_detail_is_not_compared():
    assert ChainProblem(5, "gap", "seq 5 missing") == ChainProblem(5, "gap")
