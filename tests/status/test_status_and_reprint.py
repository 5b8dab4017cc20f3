"""Public status page, reprint by NIK + mother's maiden name, throttling."""

import re

import pytest

from kiosk.models import Registration
from tests.flows import IDENTITY, register


def test_status_page_shows_progress_and_masks_identity(client):
    _, token = register(client)
    response = client.get(f"/s/{token}")
    html = response.data.decode()
    assert response.status_code == 200
    assert "Diterima" in html and 'aria-current="step"' in html
    assert "M*** S***" in html and "Syafi" not in html
    assert "************0003" in html and "3578****" not in html and IDENTITY["nik"] not in html
    assert "81234567890" not in html
    assert "JKK + JKM + JHT" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"] and 'name="robots" content="noindex' in html


def test_status_page_offers_a_whatsapp_copy_of_its_own_url(client):
    _, token = register(client)
    html = client.get(f"/s/{token}").data.decode()
    link = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', html).group(1)
    assert f"%2Fs%2F{token}" in link


def test_status_shows_kpj_once_active_and_reason_when_rejected(client):
    _, token = register(client)
    Registration.update(status="active", kpj="12345678901").execute()
    html = client.get(f"/s/{token}").data.decode()
    assert "Aktif" in html and "12345678901" in html
    Registration.update(status="rejected", kpj=None, status_reason="Data KTP tidak terbaca").execute()
    html = client.get(f"/s/{token}").data.decode()
    assert "Ditolak" in html and "Data KTP tidak terbaca" in html


def test_status_in_english(client):
    _, token = register(client)
    client.post("/bahasa", data={"lang": "en", "next": f"/s/{token}"})
    html = client.get(f"/s/{token}").data.decode()
    assert "Received" in html and 'lang="en"' in html


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA", "1", "../../etc/passwd", "%3Cscript%3E", "a" * 500])
def test_unknown_tokens_get_a_friendly_404(client, token):
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.data.decode()
    assert "<script>" not in response.data.decode()


def test_public_urls_carry_no_sequential_ids(client):
    receipt, token = register(client)
    registration = Registration.get()
    assert len(token) >= 22 and str(registration.id) != token
    assert client.get(f"/s/{registration.id}").status_code == 404


def reprint(client, nik=IDENTITY["nik"], mother=IDENTITY["mother_name"]):
    return client.post("/cek", data={"nik": nik, "mother_name": mother})


@pytest.mark.parametrize("mother", ["Siti Aminah", "  siti   AMINAH ", "SITI AMINAH"])
def test_reprint_with_nik_and_mothers_name_shows_the_same_receipt(client, app, mother):
    receipt, token = register(client)
    code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.data.decode()).group(0)
    client.post("/selesai")
    kiosk = app.test_client()
    response = reprint(kiosk, mother=mother)
    assert response.status_code == 303 and response.location.endswith("/tanda-terima")
    html = kiosk.get("/tanda-terima").data.decode()
    assert code in html and f"/s/{token}" in html and "Cetak ulang" in html


def test_reprint_never_changes_the_status(client, app):
    register(client)
    Registration.update(status="verified").execute()
    before = Registration.get()
    reprint(app.test_client())
    after = Registration.get()
    assert (after.status, after.version, after.updated_at) == (before.status, before.version, before.updated_at)
    assert Registration.select().count() == 1


def test_wrong_mothers_name_is_refused_politely(client, app):
    register(client)
    response = reprint(app.test_client(), mother="Fatimah")
    html = response.data.decode()
    assert response.status_code == 422 and "Data tidak cocok" in html
    assert "KJ-" not in html


def test_reprint_form_validates_the_nik(client):
    response = reprint(client, nik="12345")
    assert response.status_code == 422 and "NIK harus 16 angka" in response.data.decode()


def test_failed_reprints_are_throttled(client, app):
    register(client)
    kiosk = app.test_client()
    for _ in range(5):
        assert reprint(kiosk, mother="Salah").status_code == 422
    response = reprint(kiosk, mother="Salah")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.data.decode()
    # even the right answer waits: guessing must not continue past the limit
    assert reprint(kiosk).status_code == 429


def test_successful_reprints_are_not_counted_as_failures(client, app):
    register(client)
    kiosk = app.test_client()
    for _ in range(7):
        assert reprint(kiosk).status_code == 303
