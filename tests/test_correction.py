"""An application that needs a fix is corrected by its applicant through the reprint path."""

import re

import pytest

from kiosk.models import AuditEntry, Registration
from kiosk.registrations import personal
from tests.factories import CONTACT, IDENTITY, register
from tests.staff_helpers import sign_in


@pytest.fixture
def needs_fix(app):
    receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    version = Registration.get().version
    staff.post(f"/s/{token}/status", data={"target": "needs_fix", "version": version,
                                           "reason": "Alamat kurang lengkap, tulis RT/RW."})
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
    Registration.update(status="rejected", version=Registration.version + 1).execute()
    response = kiosk.post("/daftar/kirim")
    assert response.status_code == 409 and "diubah petugas" in response.data.decode()
    assert Registration.get().status == "rejected"
