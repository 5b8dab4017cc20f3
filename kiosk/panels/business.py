"""What a signed-in staff member sees on a business's page (at the desk and on its public page /u/): its workers
and their statuses, history, the owner's details on request (audited by the caller), and the actions their role
allows."""

import json

from flask_babel import lazy_gettext as _l

from kiosk.auth import staff_user
from kiosk.businesses import address as business_address, owner as business_owner
from kiosk.crypto import vault
from kiosk.labels import BUSINESS_KINDS, RISK_LABELS, SCALE_LABELS, STATUS_LABELS
from kiosk.models import AuditEntry, Business, Registration
from kiosk.regions import name_of
from kiosk.sectors import BY_CODE as SECTORS
from kiosk.services import business_workflow as bw
from kiosk.services.person import mask_name
from kiosk.services.workflow import STATUSES, SUPERVISOR

ACTION_LABELS = {
    bw.VERIFY_ALL: _l("Verifikasi usaha + semua pekerja yang masih Diterima"),
    bw.VERIFY: _l("Verifikasi usaha saja"),
    bw.ACTIVATE: _l("Aktifkan usaha"),
    bw.REJECT: _l("Tolak usaha"),
}
ERRORS = {
    "stale": _l("Usaha ini atau pekerjanya baru saja diubah petugas lain. Periksa data terbaru di bawah "
                "lalu ulangi bila perlu."),
    "illegal": _l("Tindakan ini tidak diperbolehkan dari status usaha sekarang."),
    "role": _l("Peran Anda tidak boleh melakukan tindakan ini (hanya supervisor)."),
    "reason_required": _l("Tulis alasan penolakan untuk pemilik usaha."),
    "reason_too_long": _l("Alasan terlalu panjang (paling banyak 500 huruf)."),
    "workers_open": _l("Usaha baru bisa diaktifkan bila setiap pekerja sudah Aktif atau Ditolak."),
    "no_active_worker": _l("Usaha baru bisa diaktifkan bila paling sedikit satu pekerja sudah Aktif."),
    "nothing_to_verify": _l("Tidak ada pekerja yang menunggu verifikasi."),
    "unknown_action": _l("Tindakan tidak dikenal."),
}


def panel_context(business: Business, *, revealed: bool = False, errors: dict | None = None,
                  form: dict | None = None) -> dict:
    """What the staff panel of a business shows; for the signed-in staff member's role."""
    user = staff_user()
    workers = list(business.workers(
        Registration.id, Registration.token, Registration.receipt_code, Registration.full_name,
        Registration.nik_masked, Registration.job, Registration.status, Registration.version, Registration.programs,
        Registration.employer_contribution, Registration.worker_contribution))
    states = [bw.WorkerState(w.id, w.status, w.version) for w in workers]
    actions = bw.allowed_actions(business.status, user.role, states) if user else ()
    counts = {status: 0 for status in STATUSES}
    for worker in workers:
        counts[worker.status] = counts.get(worker.status, 0) + 1
    return {
        "workers": [{
            "token": w.token, "receipt_code": w.receipt_code, "masked_name": mask_name(w.full_name),
            "nik_masked": w.nik_masked, "job": w.job or "", "status": w.status,
            "programs": (w.programs or "").replace(",", " + "),
            "employer": w.employer_contribution or 0, "worker": w.worker_contribution or 0,
        } for w in workers],
        "worker_counts": counts,
        "fingerprint": bw.workers_fingerprint(states),
        "actions": [(action, _action_label(action, business.status)) for action in actions],
        "errors": errors or {},
        "form": form or {},
        "details": details_for(business) if revealed else None,
        "history": [(e, json.loads(e.detail)) for e in AuditEntry.select()
                    .where(AuditEntry.subject == f"business:{business.id}").order_by(AuditEntry.seq)],
        "address": business_address(business),
        "regions": [name_of(business.village_code), name_of(business.district_code),
                    name_of(business.regency_code), name_of(business.province_code)],
        "owner_masked_name": mask_name(business_owner(business).full_name),
        "kind_label": BUSINESS_KINDS.get(business.kind, business.kind),
        "scale_label": SCALE_LABELS.get(business.scale, business.scale),
        "sector_label": SECTORS[business.sector].label if business.sector in SECTORS else business.sector,
        "risk_label": RISK_LABELS[business.risk_group][0] if business.risk_group in RISK_LABELS else "",
        "labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "may_export": user is not None and user.role in (SUPERVISOR, "admin"),
    }


def _action_label(action: str, status: str):
    if action == bw.VERIFY_ALL and status == bw.VERIFIED:
        return _l("Verifikasi semua pekerja yang masih Diterima")
    return ACTION_LABELS[action]


def details_for(business: Business) -> dict:
    """The owner's data, decrypted: only ever built for an audited reveal."""
    owner = business_owner(business)
    return {
        "nik": vault().decrypt(business.owner_nik_enc),
        "full_name": owner.full_name,
        "phone": vault().decrypt(business.owner_phone_enc) if business.owner_phone_enc else "",
        "email": owner.email or "",
    }
