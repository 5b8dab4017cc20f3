"""Personal-data duties under UU 27/2022: key rotation, retention purge, subject export and erasure.

A NIK can be held as an applicant (a walk-in, or a worker registered by a business) and as the owner
of a business. Every duty here covers both: rotation re-encrypts the owner's encrypted fields with
the applicants', export lists the businesses a NIK owns, and erasure removes the owner's personal
fields from a business while keeping the business itself, which its workers' applications need.
"""

import datetime as dt
import json
import re
from pathlib import Path

from cryptography.fernet import Fernet
from peewee import fn

from kiosk import audit
from kiosk.businesses import seal_owner
from kiosk.crypto import DataVault, write_private
from kiosk.db import db
from kiosk.models import AuditEntry, Business, Draft, Registration, utcnow
from kiosk.registrations import nik_index
from kiosk.services.workflow import REJECTED

BATCH = 500
# Columns that identify a person only through keys, or that are of no use to them: never exported.
NOT_EXPORTED = {"nik_hash", "phone_hash", "mother_name_hash", "submission_key", "owner_nik_hash",
                "owner_phone_hash"}
ENCRYPTED = {"nik_enc": "nik", "phone_enc": "phone", "owner_nik_enc": "owner_nik", "owner_phone_enc": "owner_phone"}
# Columns holding several fields in one token: exported as those fields, under their own names.
SEALED = {"personal_enc", "owner_enc", "address_enc"}
_SEPARATORS = re.compile(r"[\s.\-]")


def add_data_key(instance_path: str, current_keys: str) -> Path:
    """Write instance/data_keys as a new Fernet key followed by the current ones (they still decrypt)."""
    path = Path(instance_path) / "data_keys"
    write_private(path, ",".join(k for k in (Fernet.generate_key().decode(), current_keys.strip()) if k))
    return path


def _rotate_table(model, columns, vault: DataVault, batch: int) -> int:
    """Re-encrypt columns of every row of model, batch rows per transaction; return the rows seen."""
    fields = [getattr(model, name) for name in columns]
    count, last_id = 0, 0
    while True:
        rows = list(model.select(model.id, *fields).where(model.id > last_id).order_by(model.id).limit(batch))
        if not rows:
            return count
        with db.atomic():
            for row in rows:
                # An empty value holds nothing to re-encrypt (and is no Fernet token).
                values = {name: vault.rotate(getattr(row, name)) for name in columns if getattr(row, name)}
                if values:
                    model.update(**values).where(model.id == row.id).execute()
        count += len(rows)
        last_id = rows[-1].id


def reencrypt_all(vault: DataVault, batch: int = BATCH) -> dict:
    """Re-encrypt every encrypted column under the vault's first key, in batches; return counts."""
    counts = {
        "registrations": _rotate_table(Registration, ("nik_enc", "phone_enc", "personal_enc"), vault, batch),
        "businesses": _rotate_table(Business, ("owner_nik_enc", "owner_phone_enc", "owner_enc", "address_enc"),
                                    vault, batch),
        "drafts": 0,
    }
    with db.atomic():
        for draft in Draft.select(Draft.id, Draft.data).where(Draft.data != ""):
            Draft.update(data=vault.rotate(draft.data)).where(Draft.id == draft.id).execute()
            counts["drafts"] += 1
    return counts


def purge(*, draft_hours: int, rejected_days: int, vault: DataVault, now: dt.datetime | None = None) -> dict:
    """Delete abandoned drafts and rejected applications past their retention period (audited).

    Business visits are drafts like walk-ins' and go by the same rule. A rejected business past the
    period goes too once none of its workers is left; one that still has workers (members active
    before the rejection keep their application) stays for them, without its owner's personal data.
    """
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=rejected_days)
    # Abandoned visits, and finished ones whose kiosk never got a "Selesai": nobody is coming back.
    drafts = Draft.delete().where(Draft.updated_at < now - dt.timedelta(hours=draft_hours)).execute()
    ids = [r.id for r in Registration.select(Registration.id)
           .where(Registration.status == REJECTED, Registration.updated_at < cutoff)]
    with db.atomic():
        for start in range(0, len(ids), BATCH):
            Registration.delete().where(Registration.id.in_(ids[start:start + BATCH])).execute()
    old_rejected = Business.select(Business.id).where(Business.status == REJECTED, Business.updated_at < cutoff)
    old_businesses = list(old_rejected.select(Business.id, Business.owner_nik_hash))
    with_workers = {row.business_id for row in Registration.select(Registration.business)
                    .where(Registration.business.in_(old_rejected))
                    .distinct()}
    deleted = [b.id for b in old_businesses if b.id not in with_workers]
    kept = [b.id for b in old_businesses if b.id in with_workers and b.owner_nik_hash]
    with db.atomic():
        for start in range(0, len(deleted), BATCH):
            Business.delete().where(Business.id.in_(deleted[start:start + BATCH])).execute()
        if kept:
            _forget_owner(kept, vault)
    audit.record(audit.PURGE, actor_name="system", drafts=drafts, rejected=len(ids),
                 rejected_businesses=len(deleted), owners_forgotten=len(kept),
                 draft_hours=draft_hours, rejected_days=rejected_days)
    return {"drafts": drafts, "rejected": len(ids), "businesses": len(deleted), "owners_forgotten": len(kept)}


def subject_export(nik: str, vault: DataVault) -> dict:
    """Everything held about the person with this NIK, decrypted, as JSON-ready data.

    Their applications (a worker's names the business that registered them) and the businesses they
    registered as owner, each with its audit history.
    """
    index = nik_index(nik)
    registrations = list(Registration.select().where(Registration.nik_hash == index)
                         .order_by(Registration.created_at, Registration.id))
    businesses = list(Business.select().where(Business.owner_nik_hash == index)
                      .order_by(Business.created_at, Business.id))
    employers = {b.id: b for b in Business.select(Business.id, Business.name, Business.nib, Business.receipt_code)
                 .where(Business.id.in_(sorted({r.business_id for r in registrations if r.business_id})))}
    ids = [r.id for r in registrations]
    subjects = [f"business:{b.id}" for b in businesses]
    history = (AuditEntry.select()
               .where(AuditEntry.registration_id.in_(ids) | AuditEntry.subject.in_(subjects))
               .order_by(AuditEntry.seq)) if ids or subjects else []
    return {
        "nik": nik,
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "registrations": [_registration_data(r, vault, employers.get(r.business_id)) for r in registrations],
        "businesses": [_row_data(b, vault) for b in businesses],
        "history": [{"at": e.at, "by": e.actor, "action": e.action, "subject": e.subject,
                     "detail": json.loads(e.detail)} for e in history],
        "not_held": "The mother's maiden name is stored only as a keyed hash and cannot be read back.",
    }


def _row_data(row, vault: DataVault) -> dict:
    """Every column of row but the blind indexes, encrypted ones decrypted, foreign keys as ids."""
    data = {}
    for name in row._meta.fields:
        if name in NOT_EXPORTED:
            continue
        value = row.__data__.get(name)  # the raw value: a foreign key's id, not its row
        if name in SEALED:
            data.update(vault.unseal(value))
            continue
        if name in ENCRYPTED:
            name, value = ENCRYPTED[name], vault.decrypt(value) if value else ""
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        data[name] = value
    return data


def _registration_data(registration: Registration, vault: DataVault, employer: Business | None) -> dict:
    data = _row_data(registration, vault)
    if employer is not None:
        data["business_name"] = employer.name
        data["business_nib"] = employer.nib
        data["business_receipt_code"] = employer.receipt_code
    return data


def _forget_owner(business_ids: list[int], vault: DataVault) -> None:
    """Replace the owner's personal fields of these businesses with empty values.

    The business itself (name, NIB, address, status, codes) stays: its workers' applications name it
    and the audit log refers to it. The NIK, phone, name and e-mail stay encrypted values (of nothing),
    so every page and rotation that reads them keeps working.
    """
    empty, no_owner = vault.encrypt(""), seal_owner("", None, vault)
    for start in range(0, len(business_ids), BATCH):
        (Business.update(owner_nik_enc=empty, owner_nik_hash="", owner_nik_masked="", owner_enc=no_owner,
                         owner_phone_enc=empty, owner_phone_hash=None, version=Business.version + 1)
         .where(Business.id.in_(business_ids[start:start + BATCH]))
         .execute())


def _drafts_holding(nik: str, vault: DataVault) -> list[str]:
    """Ids of visits whose answers hold this NIK (a finished visit keeps them until it is wiped or purged)."""
    found = []
    for draft in Draft.select(Draft.id, Draft.data).where(Draft.data != "").iterator():
        try:
            text = vault.decrypt(draft.data)
        except ValueError:  # under a key that is gone: nobody can read it either
            continue
        if nik in text or nik in _SEPARATORS.sub("", text):  # also as typed with spaces or dots
            found.append(draft.id)
    return found


def erase(nik: str, vault: DataVault) -> dict:
    """Erase what is held about this NIK; the audit log keeps only ids and counts (no personal data).

    Its applications are deleted (a worker's business then counts one worker fewer); the businesses
    it owns lose the owner's personal fields but stay for their workers; visits holding it go.
    """
    index = nik_index(nik)
    registrations = list(Registration.select(Registration.id, Registration.business)
                         .where(Registration.nik_hash == index))
    ids = [r.id for r in registrations]
    employers = sorted({r.business_id for r in registrations if r.business_id})
    owned = [b.id for b in Business.select(Business.id).where(Business.owner_nik_hash == index)]
    drafts = _drafts_holding(nik, vault)
    with db.atomic():
        if drafts:
            Draft.delete().where(Draft.id.in_(drafts)).execute()
        if ids:
            Draft.update(registration=None).where(Draft.registration.in_(ids)).execute()
            Registration.delete().where(Registration.id.in_(ids)).execute()
        for business_id in employers:  # its totals are over the workers it has
            totals = (Registration.select(fn.COALESCE(fn.SUM(Registration.employer_contribution), 0),
                                          fn.COALESCE(fn.SUM(Registration.worker_contribution), 0))
                      .where(Registration.business == business_id).tuples().get())
            (Business.update(employer_monthly=totals[0], worker_monthly=totals[1], version=Business.version + 1)
             .where(Business.id == business_id).execute())
        if owned:
            _forget_owner(owned, vault)
        audit.record(audit.ERASURE, actor_name="cli", registration_ids=ids, business_ids=owned,
                     worker_of_business_ids=employers, drafts=len(drafts))
    return {"registrations": len(ids), "businesses": len(owned), "drafts": len(drafts)}
