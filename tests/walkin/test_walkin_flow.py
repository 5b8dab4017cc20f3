"""The walk-in flow through the Flask test client: steps, fallbacks, submit, receipt."""

import datetime as dt
import re

import pytest

from kiosk.models import Draft, Registration
from kiosk.registrations import personal
from tests.flows import CONTACT, IDENTITY, VALID_NIK, WORK, fill_all, register, start_visit


def test_welcome_offers_register_status_and_explains_cost(client):
    response = client.get("/")
    html = response.data.decode()
    assert response.status_code == 200
    assert "Daftar" in html and "Cek status / cetak ulang" in html
    for program in ("JKK", "JKM", "JHT"):
        assert program in html
    assert "Rp\u00a016.800" in html and "estimasi" in html
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/daftar/persetujuan", "/daftar/identitas", "/daftar/kontak",
                                 "/daftar/pekerjaan", "/daftar/program", "/daftar/periksa", "/tanda-terima"])
def test_steps_without_a_visit_go_back_to_welcome(client, url):
    response = client.get(url)
    assert response.status_code == 303 and response.location.endswith("/")


def test_consent_is_required_before_anything_else(client):
    client.post("/daftar")
    assert client.get("/daftar/identitas").location.endswith("/daftar/persetujuan")
    response = client.post("/daftar/persetujuan", data={})
    assert response.status_code == 422
    assert "hanya bisa dilanjutkan jika Anda setuju" in response.data.decode()
    assert client.post("/daftar/persetujuan", data={"agree": "yes"}).location.endswith("/daftar/identitas")


def test_skipping_ahead_lands_on_the_first_unanswered_step(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    assert client.get("/daftar/program").location.endswith("/daftar/kontak")
    assert client.get("/daftar/periksa").location.endswith("/daftar/kontak")


def test_full_registration_stores_consent_encrypted_pii_and_contribution(client, app):
    receipt, token = register(client)
    assert receipt.status_code == 200
    registration = Registration.get(Registration.token == token)
    assert registration.status == "submitted"
    assert registration.consent_version == "2026-11-01" and registration.consent_at is not None
    assert registration.full_name == "Moh. Syafi'i"
    with app.app_context():
        held = personal(registration)
    assert held.birth_date == dt.date(1985, 8, 17) == held.nik_birth_date and held.birth_place == "Surabaya"
    assert held.address == CONTACT["address"] and held.email is None
    assert "Surabaya" not in registration.personal_enc
    assert registration.sex == "L"
    assert VALID_NIK not in registration.nik_enc and "812" not in registration.phone_enc
    assert registration.nik_masked == "3578********0003"
    assert registration.village_code == "35.78.01.1001" and registration.work_regency_code == "35.78"
    assert registration.occupation == "tukang_becak" and registration.occupation_transport
    assert registration.monthly_income == 1_500_000 and registration.jht and registration.period_months == 3
    assert registration.channel == "web" and registration.kiosk is None
    from kiosk.crypto import vault
    with app.app_context():
        assert vault().decrypt(registration.nik_enc) == VALID_NIK
        assert vault().decrypt(registration.phone_enc) == "+6281234567890"


def test_database_row_holds_no_plain_nik_or_phone(client, app):
    register(client)
    from kiosk.db import db
    cursor = db.execute_sql("SELECT * FROM registration")
    row = " ".join(str(v) for v in cursor.fetchone())
    assert VALID_NIK not in row and "81234567890" not in row
    drafts = db.execute_sql("SELECT data FROM draft").fetchall()
    assert all(VALID_NIK not in d[0] for d in drafts)


def test_double_submit_and_resubmit_give_one_registration(client):
    fill_all(client)
    first = client.post("/daftar/kirim")
    second = client.post("/daftar/kirim")
    assert first.location == second.location
    assert Registration.select().count() == 1
    code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", client.get("/tanda-terima").data.decode()).group(0)
    client.post("/daftar/kirim")
    assert re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", client.get("/tanda-terima").data.decode()).group(0) == code
    assert Registration.select().count() == 1


def test_submit_after_done_creates_nothing(client):
    fill_all(client)
    client.post("/daftar/kirim")
    client.post("/selesai")
    response = client.post("/daftar/kirim")
    assert response.location.endswith("/")
    assert Registration.select().count() == 1


def test_receipt_shows_code_masked_name_qr_and_print_layout(client):
    receipt, token = register(client)
    html = receipt.data.decode()
    assert re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", html)
    assert "M*** S***" in html and "Syafi" not in html
    assert VALID_NIK not in html
    assert "<svg" in html and 'class="qr"' in html
    assert f"/s/{token}" in html and len(token) >= 22
    assert "Selesai" in html
    css = client.get("/static/css/kiosk.css").data.decode()
    assert "@media print" in css and "58mm" in css and "80mm" in css


def test_done_wipes_the_visit_and_the_draft(client):
    receipt, _ = register(client)
    assert Draft.select().count() == 1
    response = client.post("/selesai")
    assert response.location.endswith("/")
    assert Draft.select().count() == 0
    again = client.get("/tanda-terima")
    assert again.status_code == 303 and again.location.endswith("/")


def test_cancel_mid_visit_wipes_answers(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    client.post("/selesai")
    assert Draft.select().count() == 0
    client.post("/daftar")
    client.post("/daftar/persetujuan", data={"agree": "yes"})
    assert "Syafi" not in client.get("/daftar/identitas").data.decode()


def test_idle_draft_expires_on_the_server(client):
    start_visit(client)
    Draft.update(updated_at=dt.datetime(2020, 1, 1)).execute()
    assert client.get("/daftar/identitas").location.endswith("/")
    assert Draft.select().count() == 0


def test_review_lists_every_answer_with_edit_links(client):
    fill_all(client)
    html = client.get("/daftar/periksa").data.decode()
    for text in ("3578011708850003", "Moh. Syafi&#39;i", "Surabaya", "0812 3456 7890", "Jl. Kebraon Indah 5",
                 "Karang Pilang", "Tukang becak", "Rp\u00a01.500.000", "JKK + JKM + JHT", "3 bulan", "estimasi"):
        assert text in html, text
    for url in ("/daftar/identitas?kembali=periksa", "/daftar/kontak?kembali=periksa",
                "/daftar/pekerjaan?kembali=periksa", "/daftar/program?kembali=periksa"):
        assert url in html


def test_edit_from_review_returns_to_review(client):
    fill_all(client)
    form = client.get("/daftar/kontak?kembali=periksa").data.decode()
    assert 'name="back_to" type="hidden" value="periksa"' in form
    response = client.post("/daftar/kontak", data={**CONTACT, "phone": "+62 813 1111 2222", "back_to": "periksa"})
    assert response.location.endswith("/daftar/periksa")
    assert "0813 1111 2222" in client.get("/daftar/periksa").data.decode()


def test_answers_survive_going_back(client):
    fill_all(client)
    html = client.get("/daftar/pekerjaan").data.decode()
    assert 'value="1500000"' in html and 'value="tukang_becak" checked' in html
    html = client.get("/daftar/identitas").data.decode()
    assert 'value="3578011708850003"' in html and "Siti Aminah" in html


def test_htmx_step_gets_only_the_screen_fragment(client, htmx_headers):
    start_visit(client)
    fragment = client.get("/daftar/identitas", headers=htmx_headers)
    html = fragment.data.decode()
    assert fragment.status_code == 200
    assert "<html" not in html and 'id="screen"' in html and "<title>" in html
    page = client.get("/daftar/identitas").data.decode()
    assert page.startswith("<!doctype html>") and "htmx-2.0.11.min.js" in page


def test_htmx_invalid_step_answers_200_so_htmx_swaps_it(client, htmx_headers):
    start_visit(client)
    response = client.post("/daftar/identitas", data={"nik": "123"}, headers=htmx_headers)
    assert response.status_code == 200 and "NIK harus 16 angka" in response.data.decode()
    full = client.post("/daftar/identitas", data={"nik": "123"})
    assert full.status_code == 422


def test_history_restore_gets_the_full_page(client):
    start_visit(client)
    response = client.get("/daftar/identitas", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.data.decode().startswith("<!doctype html>")


def test_kiosk_pages_are_never_cached(client):
    start_visit(client)
    for url in ("/", "/daftar/identitas", "/cek"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
    page = client.get("/daftar/identitas").data.decode()
    assert '"historyCacheSize": 0' in page  # htmx keeps no snapshot of personal pages


def test_static_files_come_from_our_server_only(client):
    html = client.get("/").data.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200


def test_english_is_complete_on_the_welcome_screen(client):
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    html = client.get("/").data.decode()
    assert "Register" in html and 'lang="en"' in html
    assert "Daftar BPJS" not in html


def test_language_switch_keeps_the_screen(client):
    start_visit(client)
    response = client.post("/bahasa", data={"lang": "en", "next": "/daftar/identitas"})
    assert response.location.endswith("/daftar/identitas")
    assert client.post("/bahasa", data={"lang": "en", "next": "https://evil.example/"}).location.endswith("/")


def test_program_step_shows_live_estimate(client, monkeypatch):
    monkeypatch.setattr("kiosk.walkin.views.today", lambda: dt.date(2025, 6, 10))
    monkeypatch.setattr("kiosk.forms.today", lambda: dt.date(2025, 6, 10))
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT),
                      ("/daftar/pekerjaan", {**WORK, "income": "1000000"})):
        client.post(url, data=data)
    # 2025: before the PP 50/2025 discount windows. 1% of 1,000,000 + 6,800 (+ 2% JHT)
    base = client.post("/daftar/program/hitung", data={"package": "base", "period": "1"}).data.decode()
    assert "Rp\u00a010.000" in base and "Rp\u00a06.800" in base and "Rp\u00a016.800" in base and "estimasi" in base
    jht = client.post("/daftar/program/hitung", data={"package": "jht", "period": "3"}).data.decode()
    assert "Rp\u00a036.800" in jht and "Rp\u00a0110.400" in jht


def test_program_estimate_applies_the_dated_discount(client, monkeypatch):
    monkeypatch.setattr("kiosk.walkin.views.today", lambda: dt.date(2026, 5, 4))
    monkeypatch.setattr("kiosk.forms.today", lambda: dt.date(2026, 5, 4))
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT),
                      ("/daftar/pekerjaan", {**WORK, "occupation": "pedagang_pasar", "income": "1000000"})):
        client.post(url, data=data)
    html = client.post("/daftar/program/hitung", data={"package": "base", "period": "1"}).data.decode()
    assert "PP 50/2025" in html and "Rp\u00a08.400" in html


def test_no_js_fallback_recalculates_and_refreshes_regions(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    response = client.post("/daftar/kontak", data={**CONTACT, "province": "35", "regency": "35.07",
                                                    "district": "35.78.01", "refresh": "1"})
    html = response.data.decode()
    assert response.status_code == 200
    assert "Kabupaten Malang" in html and 'value="0812 3456 7890"' in html
    assert "Karang Pilang" not in html  # the district list follows the new regency
    assert Draft.get().data and client.get("/daftar/pekerjaan").status_code == 303


def test_region_cascade_fragment_resets_lower_levels(client):
    response = client.get("/daftar/kontak/wilayah", query_string={"province": "35", "regency": "35.78",
                                                                   "district": "35.78.01", "village": ""})
    html = response.data.decode()
    assert "Karang Pilang" in html and "Kebraon" in html
    moved = client.get("/daftar/kontak/wilayah", query_string={"province": "31", "regency": "35.78",
                                                                "district": "35.78.01"}).data.decode()
    assert 'selected value="35.78"' not in moved and "Kota Surabaya" not in moved


def test_contact_defaults_to_the_region_in_the_nik(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    html = client.get("/daftar/kontak").data.decode()
    assert 'selected value="35.78"' in html and 'selected value="35.78.01"' in html
