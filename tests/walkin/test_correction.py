"""An application that needs a fix is corrected by its applicant through the reprint path."""

import re

import pytest

from kiosk.models import AuditEntry, Registration
from kiosk.registrations import personal
from tests.flows import CONTACT, IDENTITY, register, sign_in


@pytest.fixture
def needs_fix(app):
    receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    version = Registration.get().version
    staff.post(f"/s/{token}/status", data={"target": "needs_fix", "version": version,
                                           "reason": "Alamat kurang lengkap, tulis RT/RW.",
                                           "fix": ["identity", "contact", "work", "program"]})
    assert Registration.get().status == "needs_fix"
    return token, re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.data.decode()).group(0)


def reprint(client):
    response = client.post("/cek", data={"nik": IDENTITY["nik"], "mother_name": IDENTITY["mother_name"]})
    assert response.status_code == 303
    return client.get("/tanda-terima").data.decode()


def test_reprint_shows_the_staff_message_and_offers_a_correction(app, needs_fix):
    html = reprint(app.test_client())
    assert "perlu diperbaiki" in html and "Alamat kurang lengkap" in html and "Perbaiki data sekarang" in html


def test_correction_updates_the_same_application_and_returns_it_to_the_desk(app, needs_fix):
    token, code = needs_fix
    kiosk = app.test_client()
    reprint(kiosk)
    response = kiosk.post("/perbaiki")
    assert response.location.endswith("/daftar/identitas")
    html = kiosk.get("/daftar/identitas").data.decode()
    assert f'value="{IDENTITY["nik"]}"' in html  # answers are prefilled
    assert kiosk.post("/daftar/identitas", data=IDENTITY).status_code == 303  # own NIK is not "taken"
    response = kiosk.post("/daftar/kontak", data={**CONTACT, "address": "Jl. Kebraon Indah 5, RT 02/RW 03, No. 7",
                                                  "back_to": "periksa"})
    assert response.location.endswith("/daftar/periksa")
    assert "memperbaiki pendaftaran" in kiosk.get("/daftar/periksa").data.decode()
    assert kiosk.post("/daftar/kirim").location.endswith("/tanda-terima")
    receipt = kiosk.get("/tanda-terima").data.decode()
    assert "Perbaikan terkirim" in receipt and code in receipt and f"/s/{token}" in receipt
    registration = Registration.get()
    assert Registration.select().count() == 1
    assert registration.status == "submitted" and registration.status_reason is None
    with app.app_context():
        assert personal(registration).address.endswith("No. 7")
    assert AuditEntry.select().where(AuditEntry.action == "resubmit").count() == 1
    assert "Diterima" in app.test_client().get(f"/s/{token}").data.decode()


def test_no_correction_for_applications_that_need_none(app):
    register(app.test_client())
    kiosk = app.test_client()
    html = reprint(kiosk)
    assert "Perbaiki data" not in html
    assert kiosk.post("/perbaiki").location.endswith("/")
    assert Registration.get().status == "submitted"


def test_staff_acting_meanwhile_stops_the_correction(app, needs_fix):
    token, _ = needs_fix
    kiosk = app.test_client()
    reprint(kiosk)
    kiosk.post("/perbaiki")
    kiosk.post("/daftar/kontak", data=CONTACT)  # the contact details are typed again in every correction
    Registration.update(status="rejected", version=Registration.version + 1).execute()
    response = kiosk.post("/daftar/kirim")
    assert response.status_code == 409 and "diubah petugas" in response.data.decode()
    assert Registration.get().status == "rejected"


def ask_fix(app, token, *sections, reason="Perbaiki pekerjaan Anda."):
    staff = app.test_client()
    sign_in(staff, "petugas", "petugas-fix")
    response = staff.post(f"/s/{token}/status", data={"target": "needs_fix", "version": Registration.get().version,
                                                     "reason": reason, "fix": list(sections)})
    assert response.status_code == 303
    return staff


@pytest.fixture
def work_fix(app):
    """An application whose officer asked to fix the work section only."""
    _receipt, token = register(app.test_client())
    ask_fix(app, token, "work")
    return token


def test_a_correction_never_shows_the_stored_phone_email_or_address(app, needs_fix):
    """The attack: guess the mother's name, open the correction, read the victim's contact details."""
    from kiosk.registrations import personal

    kiosk = app.test_client()
    reprint(kiosk)
    kiosk.post("/perbaiki")
    pages = [kiosk.get(path).data.decode() for path in ("/daftar/identitas", "/daftar/kontak", "/daftar/pekerjaan",
                                                       "/daftar/program", "/daftar/periksa")]
    with app.app_context():
        stored = personal(Registration.get())
    for page in pages:
        for secret in ("3456 7890", "34567890", stored.address, "Kebraon Indah"):
            assert secret not in page, secret
    contact_page = kiosk.get("/daftar/kontak").data.decode()
    assert "0812 **** 7890" in contact_page and "Ketik ulang" in contact_page
    phone_input = re.search(r'<input[^>]*name="phone"[^>]*>', contact_page).group(0)
    assert 'value=""' in phone_input or "value=" not in phone_input
    # Nothing is sent without the contact typed again: the review sends the person to the contact step.
    assert kiosk.get("/daftar/periksa").location.endswith("/daftar/kontak")


def test_a_correction_opens_only_what_the_officer_asked_to_fix(app, work_fix):
    from kiosk.crypto import vault
    from kiosk.registrations import personal

    before = Registration.get()
    with app.app_context():
        phone, held = vault().decrypt(before.phone_enc), personal(before)
    assert "Bagian yang perlu diperbaiki: Pekerjaan" in app.test_client().get(f"/s/{work_fix}").data.decode()
    kiosk = app.test_client()
    reprint(kiosk)
    assert kiosk.post("/perbaiki").location.endswith("/daftar/pekerjaan")
    for path in ("/daftar/identitas", "/daftar/kontak", "/daftar/program"):
        assert kiosk.get(path).location.endswith("/daftar/periksa"), path
    assert kiosk.post("/daftar/kontak",
                      data={**CONTACT, "phone": "0813 9999 0000"}).location.endswith("/daftar/periksa")
    review = kiosk.get("/daftar/periksa").data.decode()
    assert "Penghasilan per bulan" in review and "Nomor HP" not in review and IDENTITY["nik"] not in review
    response = kiosk.post("/daftar/pekerjaan", data={"occupation": "pedagang_pasar", "work_province": "35",
                                                     "work_regency": "35.78", "income": "2.000.000"})
    assert response.location.endswith("/daftar/program") or response.location.endswith("/daftar/periksa")
    assert kiosk.post("/daftar/kirim").location.endswith("/tanda-terima")
    after = Registration.get()
    assert after.status == "submitted" and after.occupation == "pedagang_pasar" and after.fix_sections is None
    with app.app_context():
        assert vault().decrypt(after.phone_enc) == phone and personal(after).address == held.address


def test_every_correction_is_audited_with_its_kiosk(app, work_fix):
    import json

    from kiosk.models import Kiosk

    kiosk_row = Kiosk.create(name="Kios Pasar Wonokromo", place="Pasar Wonokromo", regency_code="35.78",
                             kind="market", enrol_code="enrol-fix-code")
    kiosk = app.test_client()
    kiosk.get("/kiosk/pasang/enrol-fix-code")
    reprint(kiosk)
    kiosk.post("/perbaiki")
    kiosk.post("/daftar/pekerjaan", data={"occupation": "petani", "work_province": "35", "work_regency": "35.78",
                                          "income": "1.000.000"})
    kiosk.post("/daftar/kirim")
    opened = AuditEntry.get(AuditEntry.action == "correction_opened")
    sent = AuditEntry.get(AuditEntry.action == "resubmit")
    for entry in (opened, sent):
        detail = json.loads(entry.detail)
        assert detail["kiosk"] == kiosk_row.id and detail["sections"] == ["work"]


def test_the_officer_picks_the_sections_on_the_panel(app):
    _receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    html = staff.get(f"/s/{token}").data.decode()
    for value in ("identity", "contact", "work", "program"):
        assert f'name="fix" value="{value}"' in html


def test_the_officer_must_say_what_to_fix(app):
    """Reopening everything would hand the contact details to whoever passes the reprint check."""
    _receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    response = staff.post(f"/s/{token}/status", data={"target": "needs_fix", "version": Registration.get().version,
                                                     "reason": "Perbaiki alamat."})
    page = response.data.decode()
    assert response.status_code == 422 and "Centang bagian" in page and "Perbaiki alamat." in page
    assert Registration.get().status == "submitted"
