"""The append-only audit log with a hash chain (the chain rules are in kiosk.services.audit_chain)."""

import json

from peewee import IntegrityError

from kiosk.db import db
from kiosk.models import AuditEntry, utcnow
from kiosk.services.audit_chain import GENESIS, entry_hash, verify_chain

# Actions, so a filter and a reader agree on their names.
LOGIN, LOGIN_FAILED, LOGOUT = "login", "login_failed", "logout"
STATUS_CHANGE, PII_REVEAL, EXPORT = "status_change", "pii_reveal", "export"
RESUBMIT, CORRECTION_OPENED = "resubmit", "correction_opened"
ACCOUNT, KIOSK, EVENT = "account", "kiosk", "event"
PURGE, ERASURE, KEY_ROTATION, LOGIN_THROTTLED = "purge", "erasure", "key_rotation", "login_throttled"
LOGIN_LOCKED = "login_locked"


def record(action: str, *, actor=None, actor_name: str | None = None, registration=None,
           subject: str = "", **detail) -> AuditEntry:
    """Append one entry. Never put personal data (NIK, phone, names) in detail."""
    name = actor_name or (actor.username if actor is not None else "system")
    payload = {
        "at": utcnow().isoformat(timespec="microseconds"),
        "actor": name,
        "action": action,
        "subject": subject or (f"registration:{registration.id}" if registration is not None else ""),
        "detail": detail,
    }
    for _attempt in range(20):
        last = AuditEntry.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        digest = entry_hash(seq=seq, prev_hash=prev, **payload)
        try:
            with db.atomic():
                return AuditEntry.create(
                    seq=seq, prev_hash=prev, hash=digest, actor_id=actor.id if actor is not None else None,
                    registration_id=registration.id if registration is not None else None,
                    at=payload["at"], actor=name, action=action, subject=payload["subject"],
                    detail=json.dumps(detail, sort_keys=True, ensure_ascii=False))
        except IntegrityError:
            continue  # another writer took this seq; chain onto theirs
    raise RuntimeError("could not append to the audit log")


def _rows():
    query = AuditEntry.select().order_by(AuditEntry.seq)
    for entry in query.iterator():
        yield {"seq": entry.seq, "at": entry.at, "actor": entry.actor, "action": entry.action,
               "subject": entry.subject, "detail": json.loads(entry.detail),
               "prev_hash": entry.prev_hash, "hash": entry.hash}


def verify():
    """Return the chain's problems (empty when every row is as written)."""
    return verify_chain(_rows())
