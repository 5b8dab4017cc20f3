"""Personal-data duties under UU 27/2022: key rotation, retention purge, subject export and erasure."""

import datetime as dt
import json
from pathlib import Path

from cryptography.fernet import Fernet

from kiosk import audit
from kiosk.crypto import DataVault
from kiosk.db import db
from kiosk.models import AuditEntry, Draft, Registration, utcnow
from kiosk.registrations import nik_index
from kiosk.services.workflow import REJECTED

BATCH = 500


def add_data_key(instance_path: str, current_keys: str) -> Path:
    """Write instance/data_keys as a new Fernet key followed by the current ones (they still decrypt)."""
    path = Path(instance_path) / "data_keys"
    path.write_text(",".join(k for k in (Fernet.generate_key().decode(), current_keys.strip()) if k),
                    encoding="ascii")
    path.chmod(0o600)
    return path


def reencrypt_all(vault: DataVault, batch: int = BATCH) -> dict:
    """Re-encrypt every encrypted column under the vault's first key, in batches; return counts."""
    counts = {"registrations": 0, "drafts": 0}
    last_id = 0
    while True:
        rows = list(Registration.select(Registration.id, Registration.nik_enc, Registration.phone_enc)
                    .where(Registration.id > last_id).order_by(Registration.id).limit(batch))
        if not rows:
            break
        with db.atomic():
            for row in rows:
                (Registration.update(nik_enc=vault.rotate(row.nik_enc), phone_enc=vault.rotate(row.phone_enc))
                 .where(Registration.id == row.id).execute())
        counts["registrations"] += len(rows)
        last_id = rows[-1].id
    with db.atomic():
        for draft in Draft.select(Draft.id, Draft.data).where(Draft.data != ""):
            Draft.update(data=vault.rotate(draft.data)).where(Draft.id == draft.id).execute()
            counts["drafts"] += 1
    return counts


def purge(*, draft_hours: int, rejected_days: int, now: dt.datetime | None = None) -> dict:
    """Delete abandoned drafts and rejected applications past their retention period (audited)."""
    now = now or utcnow()
    # Abandoned visits, and finished ones whose kiosk never got a "Selesai": nobody is coming back.
    drafts = Draft.delete().where(Draft.updated_at < now - dt.timedelta(hours=draft_hours)).execute()
    old_rejected = (Registration.select(Registration.id)
                    .where(Registration.status == REJECTED,
                           Registration.updated_at < now - dt.timedelta(days=rejected_days)))
    ids = [r.id for r in old_rejected]
    with db.atomic():
        for start in range(0, len(ids), BATCH):
            Registration.delete().where(Registration.id.in_(ids[start:start + BATCH])).execute()
    audit.record(audit.PURGE, actor_name="system", drafts=drafts, rejected=len(ids),
                 draft_hours=draft_hours, rejected_days=rejected_days)
    return {"drafts": drafts, "rejected": len(ids)}


def subject_export(nik: str, vault: DataVault) -> dict:
    """Everything held about the person with this NIK, decrypted, as JSON-ready data."""
    registrations = list(Registration.select().where(Registration.nik_hash == nik_index(nik))
                         .order_by(Registration.created_at))
    ids = [r.id for r in registrations]
    history = (AuditEntry.select().where(AuditEntry.registration_id.in_(ids)).order_by(AuditEntry.seq)
               if ids else [])
    return {
        "nik": nik,
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "registrations": [_registration_data(r, vault) for r in registrations],
        "history": [{"at": e.at, "by": e.actor, "action": e.action, "detail": json.loads(e.detail)}
                    for e in history],
        "not_held": "The mother's maiden name is stored only as a keyed hash and cannot be read back.",
    }


def _registration_data(registration: Registration, vault: DataVault) -> dict:
    data = {}
    for name, field in Registration._meta.fields.items():
        if name in ("nik_hash", "phone_hash", "mother_name_hash", "submission_key"):
            continue
        value = getattr(registration, field.name if not name.endswith("_id") else name)
        if name == "nik_enc":
            name, value = "nik", vault.decrypt(value)
        elif name == "phone_enc":
            name, value = "phone", vault.decrypt(value)
        elif name in ("kiosk", "event"):
            value = getattr(registration, f"{name}_id")
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        data[name] = value
    return data


def erase(nik: str) -> int:
    """Delete every registration for this NIK; the audit log keeps only ids and actions (no personal data)."""
    ids = [r.id for r in Registration.select(Registration.id).where(Registration.nik_hash == nik_index(nik))]
    with db.atomic():
        Draft.update(registration=None).where(Draft.registration.in_(ids)).execute()
        Registration.delete().where(Registration.id.in_(ids)).execute()
        audit.record(audit.ERASURE, actor_name="cli", registration_ids=ids)
    return len(ids)
