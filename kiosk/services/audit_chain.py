"""Make the audit log tamper-evident with a SHA-256 hash chain.

Every entry stores the hash of the entry before it (``prev_hash``) and a
hash over its own content including that link (``hash``). Editing, deleting,
inserting or reordering rows then shows up in ``verify_chain``, unless the
attacker rewrites every later row as well. Two limits follow from that:

* Deleting the last row(s) is undetectable by the chain alone: the shorter
  chain is still perfectly linked. So is rewriting the whole tail. A caller
  that keeps an anchor elsewhere (the entry count and the hash of the last
  entry, e.g. printed on a daily report or stored outside the database)
  passes it as ``expected_count`` / ``expected_last_hash`` to catch that.
* Anyone who can write the table *and* knows the scheme can recompute the
  whole chain. The chain proves consistency, not authorship; the anchor is
  what pins it down.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENESIS = "0" * 64
KINDS = ("edited", "broken_link", "gap", "order", "first", "truncated")


@dataclass(frozen=True)
class ChainProblem:
    """Report one inconsistency found at ``seq``; ``detail`` is for humans only."""

    seq: int
    kind: str
    detail: str = field(default="", compare=False)


def _canonical(fields: Mapping) -> bytes:
    """Encode ``fields`` as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a lone surrogate must change the hash, not crash it.
    return text.encode("utf-8", "surrogatepass")


def entry_hash(*, seq: int, at: str, actor: str, action: str, subject: str, detail: dict, prev_hash: str) -> str:
    """Return the hex SHA-256 of the canonical JSON of one entry's fields.

    ``detail`` must be JSON-shaped (string keys, no tuples or sets), so it
    hashes the same after a round trip through the database.
    """
    fields = {
        "seq": seq, "at": at, "actor": actor, "action": action,
        "subject": subject, "detail": detail, "prev_hash": prev_hash,
    }
    return hashlib.sha256(_canonical(fields)).hexdigest()


def _content_matches(entry: Mapping) -> bool:
    """Tell whether an entry's stored hash matches its content; unhashable content never does."""
    try:
        computed = entry_hash(
            seq=entry["seq"], at=entry["at"], actor=entry["actor"], action=entry["action"],
            subject=entry["subject"], detail=entry["detail"], prev_hash=entry["prev_hash"],
        )
    except (TypeError, ValueError):  # e.g. a detail that is no longer JSON-serialisable
        return False
    return computed == entry["hash"]


def _link_problems(entry: Mapping, prev: Mapping | None, top_seq: int) -> list[ChainProblem]:
    """Check an entry's seq and prev_hash against the entry before it (None for the first).

    ``top_seq`` is the highest seq seen so far, so a gap is only reported
    for seqs that have not appeared yet.
    """
    seq = entry["seq"]
    if prev is None:
        if seq != 1 or entry["prev_hash"] != GENESIS:
            return [ChainProblem(seq, "first", "the first entry must have seq 1 and the genesis prev_hash")]
        return []
    problems = []
    expected = top_seq + 1
    if seq > expected:
        missing = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
        problems.append(ChainProblem(expected, "gap", f"seq {missing} missing (deleted rows?)"))
    elif seq <= top_seq:
        problems.append(ChainProblem(seq, "order", f"seq {seq} comes after seq {top_seq}"))
    if entry["prev_hash"] != prev["hash"]:
        problems.append(ChainProblem(seq, "broken_link", "prev_hash does not match the previous entry's hash"))
    return problems


def _anchor_problems(
    last: Mapping | None, top_seq: int, anchor_hash: str | None,
    expected_count: int | None, expected_last_hash: str | None,
) -> list[ChainProblem]:
    """Compare the end of the chain with the caller's anchor.

    ``anchor_hash`` is the hash of entry ``expected_count`` if it was seen.
    """
    if expected_count is not None and top_seq < expected_count:
        return [ChainProblem(top_seq + 1, "truncated", f"chain ends at seq {top_seq}, anchor says {expected_count}")]
    if expected_last_hash is None:
        return []
    if expected_count is None:
        at, anchor_hash = (last["seq"], last["hash"]) if last is not None else (1, GENESIS)
    else:
        at = expected_count
        anchor_hash = GENESIS if expected_count == 0 else anchor_hash
    if anchor_hash != expected_last_hash:
        return [ChainProblem(at, "truncated", f"entry {at} does not have the anchored hash (tail rewritten?)")]
    return []


def verify_chain(
    entries: Iterable[Mapping],
    *,
    expected_count: int | None = None,
    expected_last_hash: str | None = None,
) -> list[ChainProblem]:
    """Check a chain given in seq order and return its problems, in order; [] when intact.

    Streams: only the previous entry is kept, so ``entries`` can be a
    database cursor. Kinds: ``edited`` (hash does not match content),
    ``broken_link`` (prev_hash is not the previous entry's stored hash),
    ``gap`` (seqs missing, reported at the first missing seq), ``order``
    (seq not above every earlier one: duplicated or out of order), ``first``
    (first entry is not seq 1 with prev_hash GENESIS) and ``truncated``.

    The anchor is optional. ``expected_count``: the chain had at least this
    many entries when the anchor was taken (entries appended since are
    fine). ``expected_last_hash``: the hash of entry ``expected_count`` then,
    or, without ``expected_count``, the hash the last entry must have now
    (GENESIS for an empty chain).
    """
    problems: list[ChainProblem] = []
    prev: Mapping | None = None
    anchor_hash: str | None = None
    top_seq = 0
    for entry in entries:
        problems.extend(_link_problems(entry, prev, top_seq))
        if not _content_matches(entry):
            problems.append(ChainProblem(entry["seq"], "edited", "hash does not match the entry's content"))
        if expected_count is not None and entry["seq"] == expected_count and anchor_hash is None:
            anchor_hash = entry["hash"]
        prev, top_seq = entry, max(top_seq, entry["seq"])
    problems.extend(_anchor_problems(prev, top_seq, anchor_hash, expected_count, expected_last_hash))
    return problems
