"""What a signed-in staff member sees on an application's page: warnings, possible duplicates, history, the
employer of a business's worker, the details on request (audited by the caller), and the status changes their
role allows."""

import json

from flask_babel import gettext as _, lazy_gettext as _l

from kiosk import clock, messages, registrations
from kiosk.auth import staff_user
from kiosk.crypto import vault
from kiosk.labels import FIX_SECTION_LABELS, PAYER_LABELS
from kiosk.models import AuditEntry, Business, Registration
from kiosk.occupations import BY_CODE
from kiosk.regions import name_of
from kiosk.services import workflow
from kiosk.services.eligibility import bpu_age, pu_age
from kiosk.services.nik import InvalidNik, parse_nik
from kiosk.services.person import mask_name
from kiosk.services.rules import load_rules

ACTION_LABELS = {
    workflow.VERIFIED: _l("Verifikasi"),
    workflow.ACTIVE: _l("Aktifkan"),
    workflow.NEEDS_FIX: _l("Minta perbaikan"),
    workflow.SUBMITTED: _l("Kembalikan ke Diterima"),
    workflow.REJECTED: _l("Tolak"),
}
ERRORS = {
    "stale": _l("Permohonan ini baru saja diubah petugas lain. Periksa status terbaru di atas lalu ulangi bila perlu."),
    "illegal": _l("Perubahan status ini tidak diperbolehkan dari status sekarang."),
    "role": _l("Peran Anda tidak boleh melakukan perubahan ini (hanya supervisor)."),
    "reason_required": _l("Tulis pesan/alasan untuk pemohon."),
    "reason_too_long": _l("Pesan terlalu panjang (paling banyak 500 huruf)."),
    "kpj_required": _l("Isi nomor KPJ (11 angka) untuk mengaktifkan."),
    "kpj_invalid": _l("Nomor KPJ harus 11 angka."),
    "kpj_taken": _l("Nomor KPJ ini sudah dipakai peserta lain."),
    "unknown_status": _l("Status tujuan tidak dikenal."),
    "sections_required": _l("Centang bagian yang perlu diperbaiki pemohon."),
    "payer": _l("Pilih siapa yang membayar iuran."),
    "payer_programme": _l("Tulis nama program pemerintah yang membayar iuran."),
}


def _age_warning(registration: Registration, born, day) -> list:
    """The age the NIK gives at registration, against the rules of that day, when it is outside them."""
    rules = load_rules()
    if registration.kind == "pu":
        check = pu_age(born, day, rules.pu_for(day))
        key = "pu_warning"
    else:
        check = bpu_age(born, day, rules.bpu_for(day))
        key = "bpu_warning"
    if not check.outside:
        return []
    return [str(messages.AGE[key]) % {"age": check.age, "low": check.low, "high": check.high}]


def warnings_for(registration: Registration) -> list:
    """Things staff should check, without showing personal data."""
    day = clock.local(registration.created_at).date()
    try:  # the NIK is decrypted and read once for the age and the sex
        nik_info = parse_nik(vault().decrypt(registration.nik_enc), _NoRegionCheck(), day)
    except InvalidNik:
        nik_info = None
    # first: it may mean the person cannot be a member at all
    notes = _age_warning(registration, nik_info.birth_date, day) if nik_info else []
    if registrations.personal(registration).birth_date_differs:
        notes.append(_("Tanggal lahir yang diisi berbeda dengan tanggal di NIK."))
    if not registration.nik_district_known:
        notes.append(_("Kode kecamatan di NIK tidak ada di data wilayah terbaru."))
    if nik_info is None:
        notes.append(_("NIK tidak lagi lolos pemeriksaan format."))
    elif nik_info.sex != registration.sex:
        notes.append(_("Jenis kelamin yang diisi berbeda dengan NIK."))
    return notes


class _NoRegionCheck:
    """Regions were checked at registration; here only the date and sex parts matter."""

    def name(self, code):
        return code


def duplicates_for(registration: Registration) -> dict:
    others = Registration.select().where(Registration.id != registration.id)
    same_nik = list(others.where(Registration.nik_hash == registration.nik_hash).order_by(Registration.created_at))
    same_phone = (list(others.where(Registration.phone_hash == registration.phone_hash).limit(20))
                  if registration.phone_hash else [])
    return {"nik": same_nik, "phone": same_phone}


def history_for(registration: Registration) -> list:
    entries = (AuditEntry.select()
               .where(AuditEntry.registration_id == registration.id)
               .order_by(AuditEntry.seq))
    return [(entry, json.loads(entry.detail)) for entry in entries]


def details_for(registration: Registration) -> dict:
    """The full record, decrypted: only ever built for an audited reveal."""
    occupation = BY_CODE.get(registration.occupation)
    return {
        "nik": vault().decrypt(registration.nik_enc),
        "phone": vault().decrypt(registration.phone_enc),
        "personal": registrations.personal(registration),
        "registration": registration,
        "occupation": occupation.label if occupation else registration.occupation,
        "regions": [name_of(registration.village_code), name_of(registration.district_code),
                    name_of(registration.regency_code), name_of(registration.province_code)],
        "work_regency": name_of(registration.work_regency_code),
    }


def panel_context(registration: Registration, *, revealed: bool = False, errors: dict | None = None,
                  form: dict | None = None) -> dict:
    user = staff_user()
    targets = workflow.allowed_targets(registration.status, user.role)
    moves = {t.target: t for t in workflow.TRANSITIONS if t.source == registration.status}
    return {
        "warnings": warnings_for(registration),
        "duplicates": duplicates_for(registration),
        "history": history_for(registration),
        "actions": [(target, ACTION_LABELS[target], moves[target]) for target in targets],
        "details": details_for(registration) if revealed else None,
        "errors": errors or {},
        "form": form or {},
        "masked_name": mask_name(registration.full_name),
        "employer": employer_for(registration),
        "fix_section_labels": FIX_SECTION_LABELS,
        "payer_labels": PAYER_LABELS,
    }


def employer_for(registration: Registration) -> dict | None:
    """For a worker registered by a business: the business and who pays what each month."""
    if registration.kind != "pu" or registration.business_id is None:
        return None
    business = Business.get_or_none(Business.id == registration.business_id)
    if business is None:
        return None
    return {
        "token": business.token, "name": business.name, "receipt_code": business.receipt_code,
        "status": business.status, "employer": registration.employer_contribution or 0,
        "worker": registration.worker_contribution or 0,
        "programs": (registration.programs or "").replace(",", " + "),
    }
