"""An UMKM / koperasi owner registers the business and its workers, through the Flask test client."""

import datetime as dt
import re

import pytest

from kiosk.businesses import Owner, address, owner
from kiosk.models import Business, Draft, Registration
from kiosk.registrations import personal
from kiosk.services.rules import load_rules
from kiosk.services.wage_contributions import quote_worker
from tests.flows import (
    BUSINESS,
    FEMALE_NIK,
    OWNER,
    VALID_NIK,
    WORKERS,
    fill_business,
    register,
    register_business,
    start_business,
)

BUSINESS_CODE = re.compile(r"KU-[0-9A-Z]{4}-[0-9A-Z]{4}")


def html_of(response) -> str:
    return response.data.decode()


def test_welcome_offers_registering_a_business(client):
    html = html_of(client.get("/"))
    assert re.search(r"Daftarkan usaha &(amp;)? pekerja", html)
    assert 'action="/usaha"' in html
    assert "Daftar" in html and "Cek status / cetak ulang" in html  # the walk-in paths are still there


@pytest.mark.parametrize("url", ["/usaha/persetujuan", "/usaha/data", "/usaha/pemilik", "/usaha/pekerja",
                                 "/usaha/program", "/usaha/periksa", "/usaha/tanda-terima"])
def test_business_steps_without_a_business_visit_go_back_to_welcome(client, url):
    assert client.get(url).location.endswith("/")
    client.post("/daftar")  # a walk-in's visit is not a business visit
    assert client.get(url).location.endswith("/")


def test_consent_first_then_steps_in_order(client):
    client.post("/usaha")
    assert client.get("/usaha/data").location.endswith("/usaha/persetujuan")
    refused = client.post("/usaha/persetujuan", data={})
    assert refused.status_code == 422 and "hanya bisa dilanjutkan jika Anda setuju" in html_of(refused)
    assert client.post("/usaha/persetujuan", data={"agree": "yes"}).location.endswith("/usaha/data")
    assert client.get("/usaha/program").location.endswith("/usaha/data")
    consent_page = html_of(client.get("/usaha/persetujuan"))
    assert "Data pekerja" in consent_page and "setuju didaftarkan" in consent_page


def test_business_step_explains_bad_input_next_to_the_field_and_keeps_it(client):
    start_business(client)
    response = client.post("/usaha/data", data={**BUSINESS, "nib": "91200O11", "name": " ", "scale": "raksasa"})
    html = html_of(response)
    assert response.status_code == 422
    assert "NIB hanya berisi angka 0–9" in html and 'value="91200O11"' in html
    assert "Isi nama usaha atau koperasi." in html
    assert "Pilih salah satu." in html  # the scale
    short = html_of(client.post("/usaha/data", data={**BUSINESS, "nib": "912000112233"}))
    assert "NIB harus 13 angka" in short


def test_owner_step_checks_nik_and_phone(client):
    start_business(client)
    client.post("/usaha/data", data=BUSINESS)
    response = client.post("/usaha/pemilik", data={**OWNER, "nik": "3578013102990001", "phone": "031 123456"})
    html = html_of(response)
    assert response.status_code == 422
    assert "Tanggal lahir di NIK tidak ada di kalender" in html and 'value="3578013102990001"' in html
    assert "nomor telepon rumah/kantor" in html or "Nomor HP tidak dikenali" in html
    # The live check tells what the NIK says while it is typed.
    check = html_of(client.post("/usaha/nik", data={"nik": FEMALE_NIK, "for": "owner"}))
    assert "NIK terbaca" in check and "Perempuan" in check and 'id="owner-nik-check"' in check


def test_full_business_registration_saves_the_business_and_each_worker(client, app):
    receipt, token = register_business(client)
    assert receipt.status_code == 200 and token
    business = Business.get(Business.token == token)
    assert BUSINESS_CODE.fullmatch(business.receipt_code)
    assert business.nib == "9120001122334" and business.kind == "umkm" and business.scale == "kecil"
    assert business.risk_group == 1 and business.sector == "perdagangan" and business.status == "submitted"
    with app.app_context():
        assert owner(business) == Owner("Siti Rahayu", None) and address(business) == BUSINESS["address"]
        held = {w.id: personal(w) for w in Registration.select().where(Registration.business == business)}
    assert business.owner_nik_masked == "3578********0001"
    assert business.consent_version == "2026-11-01" and business.channel == "web"

    workers = list(Registration.select().where(Registration.business == business).order_by(Registration.id))
    assert [w.full_name for w in workers] == ["Budi Santoso", "Dewi Lestari", "Agus Prasetyo"]
    rules, day = load_rules(), dt.date.today()
    for worker, typed, wage in zip(workers, WORKERS, (2_500_000, 3_000_000, 2_200_000)):
        quote = quote_worker(wage, scale="kecil", risk_group=1, day=day, rules=rules)
        assert worker.kind == "pu" and worker.occupation == "pu" and worker.job == typed["job"]
        assert worker.monthly_income == wage
        assert (worker.employer_contribution, worker.worker_contribution) == (quote.employer, quote.worker)
        assert worker.monthly_contribution == worker.period_contribution == quote.total
        assert worker.programs == "JKK,JKM,JHT" and worker.jht and worker.period_months == 1
        birth = held[worker.id]
        assert birth.birth_date == dt.date(1985, 8, 17) == birth.nik_birth_date and worker.sex == "L"
        assert birth.birth_place == "" and worker.mother_name_hash == "" and worker.phone_hash is None
        assert birth.address == BUSINESS["address"] and birth.email is None  # what a worker does not give
        assert worker.village_code == "35.78.01.1001" and worker.work_regency_code == "35.78"
        assert worker.consent_version == business.consent_version and worker.status == "submitted"
        assert worker.nik_masked == typed["nik"][:4] + "********" + typed["nik"][-4:]
    assert business.employer_monthly == sum(w.employer_contribution for w in workers)
    assert business.worker_monthly == sum(w.worker_contribution for w in workers)

    from kiosk.crypto import vault
    with app.app_context():
        assert vault().decrypt(business.owner_nik_enc) == FEMALE_NIK
        assert vault().decrypt(business.owner_phone_enc) == "+6281311112222"
        assert vault().decrypt(workers[0].nik_enc) == WORKERS[0]["nik"] and vault().decrypt(workers[0].phone_enc) == ""


def test_database_holds_no_plain_nik_phone_or_typed_list(client):
    fill_business(client)
    from kiosk.db import db
    drafts = " ".join(row[0] for row in db.execute_sql("SELECT data FROM draft").fetchall())
    assert WORKERS[0]["nik"] not in drafts and "Budi" not in drafts and FEMALE_NIK not in drafts
    client.post("/usaha/kirim")
    stored = " ".join(str(v) for table in ("business", "registration")
                      for row in db.execute_sql(f"SELECT * FROM {table}").fetchall() for v in row)
    for secret in (FEMALE_NIK, "81311112222", *(w["nik"] for w in WORKERS)):
        assert secret not in stored


def test_double_submit_gives_one_business_and_one_row_per_worker(client):
    fill_business(client)
    first, second = client.post("/usaha/kirim"), client.post("/usaha/kirim")
    assert first.location == second.location and first.location.endswith("/usaha/tanda-terima")
    assert Business.select().count() == 1 and Registration.select().count() == 3


def test_business_and_workers_are_saved_together_or_not_at_all(client, monkeypatch):
    fill_business(client)

    def broken_insert(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Registration, "insert_many", broken_insert)
    with pytest.raises(RuntimeError):
        client.post("/usaha/kirim")
    assert Business.select().count() == 0 and Registration.select().count() == 0
    monkeypatch.undo()
    assert client.post("/usaha/kirim").location.endswith("/usaha/tanda-terima")  # the visit is still there
    assert Business.select().count() == 1 and Registration.select().count() == 3


def test_receipt_has_business_qr_masked_worker_list_and_one_slip_per_worker(client):
    receipt, token = register_business(client)
    html = html_of(receipt)
    business = Business.get(Business.token == token)
    assert business.receipt_code in html and f"/u/{token}" in html
    assert html.count('class="receipt worker-slip') == 3
    assert html.count('class="qr"') == 4  # the business QR and one per worker
    for worker in Registration.select().where(Registration.business == business):
        assert f"/s/{worker.token}" in html and worker.receipt_code in html
    for masked in ("B*** S***", "D*** L***", "A*** P***"):
        assert masked in html
    for name in ("Budi", "Santoso", "Dewi", "Agus") + tuple(w["nik"] for w in WORKERS):
        assert name not in html
    css = client.get("/static/css/business.css").data.decode()
    assert "break-before: page" in css  # each slip on its own piece of paper, in the same print job


def test_business_status_page_lists_each_workers_status_masked(client):
    _receipt, token = register_business(client)
    business = Business.get(Business.token == token)
    first = business.workers().first()
    Registration.update(status="verified").where(Registration.id == first.id).execute()
    client.post("/selesai")
    response = client.get(f"/u/{token}")
    html = html_of(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"]
    assert "Toko Maju Jaya" in html and business.receipt_code in html
    assert "B*** S***" in html and "Diverifikasi" in html and "Diterima" in html
    for secret in ("Budi", "Santoso", "Siti Rahayu", FEMALE_NIK, *(w["nik"] for w in WORKERS)):
        assert secret not in html
    assert "************1001" in html and "3578****" not in html  # the last 4 digits only


def test_each_worker_qr_opens_that_workers_own_status_page(client):
    _receipt, token = register_business(client)
    for worker in Business.get(Business.token == token).workers():
        page = html_of(client.get(f"/s/{worker.token}"))
        assert worker.receipt_code in page and "Diterima" in page


@pytest.mark.parametrize("token", ["nope", "A" * 22, "x" * 200, "abc%00def"])
def test_unknown_business_tokens_get_the_friendly_404(client, token):
    response = client.get(f"/u/{token}")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in html_of(response)


def test_signed_in_staff_see_the_business_page_with_its_panel(client):
    from tests.flows import sign_in

    _receipt, token = register_business(client)
    client.post("/selesai")
    sign_in(client, "petugas")
    response = client.get(f"/u/{token}")
    assert response.status_code == 200 and "B*** S***" in html_of(response)


def test_adding_a_worker_checks_like_the_upload_and_keeps_what_was_typed(client):
    fill_business(client, workers=[])
    bad = client.post("/usaha/pekerja/tambah", data={"nik": "3578017202990001", "full_name": "=1+1",
                                                     "wage": "dua juta", "job": ""})
    html = html_of(bad)
    assert bad.status_code == 422
    assert "Angka tanggal lahir di NIK" in html and 'value="3578017202990001"' in html
    assert "bisa menjadi rumus" in html and "Tulis upah dengan angka saja" in html and "Isi pekerjaan" in html
    assert "0 pekerja siap didaftarkan" in html
    assert client.post("/usaha/pekerja/tambah", data=WORKERS[0]).status_code == 303
    again = client.post("/usaha/pekerja/tambah", data={**WORKERS[1], "nik": WORKERS[0]["nik"]})
    assert again.status_code == 422 and "NIK ini sama dengan" in html_of(again)
    assert "1 pekerja siap didaftarkan" in html_of(client.get("/usaha/pekerja"))


def test_a_worker_with_an_open_application_is_flagged_when_the_list_is_sent_on(client, app):
    register(client)  # VALID_NIK registers as a walk-in
    client.post("/selesai")
    fill_business(client, workers=[])
    live = html_of(client.post("/usaha/nik", data={"nik": VALID_NIK, "for": "worker"}))
    assert "sudah terdaftar" not in live and "NIK terbaca" in live  # read as typed, never looked up
    assert client.post("/usaha/pekerja/tambah", data={**WORKERS[0], "nik": VALID_NIK}).status_code == 303
    taken = client.post("/usaha/pekerja", data={})
    assert taken.status_code == 422 and "sudah terdaftar" in html_of(taken)
    # Known to this visit now: the row stays flagged while the list changes, without asking again.
    client.post("/usaha/pekerja/tambah", data=WORKERS[1])
    assert "sudah terdaftar" in html_of(client.get("/usaha/pekerja"))


def test_workers_step_needs_at_least_one_worker(client):
    fill_business(client, workers=[])
    response = client.post("/usaha/pekerja", data={})
    assert response.status_code == 422 and "paling sedikit satu pekerja" in html_of(response)


def test_fixing_and_removing_rows(client):
    fill_business(client)
    page = html_of(client.get("/usaha/pekerja"))
    row_ids = re.findall(r'name="remove" value="(\d+)"', page)
    assert len(row_ids) == 3
    edit = html_of(client.get(f"/usaha/pekerja?ubah={row_ids[1]}"))
    assert f'id="r{row_ids[1]}-wage"' in edit and 'value="3000000"' in edit
    wrong = client.post("/usaha/pekerja/ubah", data={"row": row_ids[1], **WORKERS[1], "wage": "-5"})
    assert wrong.status_code == 422 and "Upah harus lebih dari 0" in html_of(wrong) and 'value="-5"' in html_of(wrong)
    assert "Rp\u00a03.000.000" in html_of(client.get("/usaha/pekerja"))  # a refused fix changes nothing
    client.post("/usaha/pekerja/ubah", data={"row": row_ids[1], **WORKERS[1], "wage": "3.500.000"})
    client.post("/usaha/pekerja/hapus", data={"remove": row_ids[0]})
    page = html_of(client.get("/usaha/pekerja"))
    assert "2 pekerja siap didaftarkan" in page and "Budi Santoso" not in page and "Rp\u00a03.500.000" in page


def test_program_step_calculates_employer_and_worker_shares_live(client, htmx_headers):
    fill_business(client)
    rules, day = load_rules(), dt.date.today()
    quotes = [quote_worker(w, scale="menengah", risk_group=4, day=day, rules=rules)
              for w in (2_500_000, 3_000_000, 2_200_000)]
    fragment = client.post("/usaha/program/hitung", data={"scale": "menengah", "risk_group": "4"},
                           headers=htmx_headers)
    html = html_of(fragment)
    assert "<html" not in html and 'id="business-quote"' in html
    assert "JP (pensiun)" in html and "JHT (hari tua)" in html
    employer = re.search(r'id="employer-total">([^<]+)<', html).group(1)
    worker = re.search(r'id="worker-total">([^<]+)<', html).group(1)
    assert employer == _rupiah(sum(q.employer for q in quotes))
    assert worker == _rupiah(sum(q.worker for q in quotes))
    assert "estimasi" in html
    micro = html_of(client.post("/usaha/program/hitung", data={"scale": "mikro", "risk_group": "1"},
                                headers=htmx_headers))
    assert "JP (pensiun)" not in micro and "JHT (hari tua)" not in micro
    assert "estimasi" in micro  # confirmed rates are still an estimate: BPJS sets the amount
    assert re.search(r'id="worker-total">([^<]+)<', micro).group(1) == _rupiah(0)  # JKK and JKM: employer only
    nothing = html_of(client.post("/usaha/program/hitung", data={"scale": "kecil"}, headers=htmx_headers))
    assert "Pilih skala usaha dan tingkat risiko" in nothing
    page = html_of(client.get("/usaha/program"))
    for group in ("Sangat rendah", "Sangat tinggi", "konstruksi", "warung"):
        assert group in page


def test_program_step_requires_a_risk_group(client):
    fill_business(client, workers=[])
    client.post("/usaha/pekerja/tambah", data=WORKERS[0])
    assert client.post("/usaha/pekerja", data={}).location.endswith("/usaha/program")
    response = client.post("/usaha/program", data={"scale": "kecil"})
    assert response.status_code == 422 and "Pilih tingkat risiko usaha Anda." in html_of(response)


def test_review_shows_everything_and_edits_come_back_to_it(client):
    fill_business(client)
    review = html_of(client.get("/usaha/periksa"))
    for text in ("Toko Maju Jaya", "9120001122334", "Karang Pilang", "Siti Rahayu", "Budi Santoso",
                 "3 pekerja", "JKK + JKM + JHT", "Kirim pendaftaran"):
        assert text in review
    back = client.post("/usaha/data?kembali=periksa", data={**BUSINESS, "name": "Toko Maju Sejahtera",
                                                              "back_to": "periksa"})
    assert back.location.endswith("/usaha/periksa")
    assert "Toko Maju Sejahtera" in html_of(client.get("/usaha/periksa"))


def test_a_worker_registered_elsewhere_before_submit_sends_the_owner_back_to_the_list(client, app):
    fill_business(client)
    other = app.test_client()
    register(other, identity={"nik": WORKERS[2]["nik"], "full_name": "Agus Prasetyo"})
    response = client.post("/usaha/kirim")
    assert response.location.endswith("/usaha/pekerja")
    assert Business.select().count() == 0 and Registration.select().count() == 1
    page = html_of(client.get("/usaha/pekerja"))
    assert "sudah terdaftar" in page and "2 pekerja siap didaftarkan" in page


def test_koperasi_registers_members_with_the_same_flow(client):
    receipt, token = register_business(client, business={"kind": "koperasi", "name": "Koperasi Tani Makmur"})
    assert Business.get(Business.token == token).kind == "koperasi"
    client.post("/selesai")
    fill_business(client, business={"kind": "koperasi"}, workers=[])
    assert "Daftar anggota" in html_of(client.get("/usaha/pekerja"))
    assert "Pengurus koperasi" in html_of(client.get("/usaha/pemilik"))


def test_steps_answer_htmx_with_a_fragment_that_brings_its_styles(client, htmx_headers):
    start_business(client)
    fragment = html_of(client.get("/usaha/data", headers=htmx_headers))
    assert "<html" not in fragment and 'id="screen"' in fragment and "business.css" in fragment
    page = html_of(client.get("/usaha/data"))
    assert "<html" in page and "business.css" in page and "js/business.js" in page


def test_done_wipes_the_business_visit(client):
    register_business(client)
    assert Draft.select().count() == 1
    assert client.post("/selesai").location.endswith("/")
    assert Draft.select().count() == 0
    assert client.get("/usaha/tanda-terima").location.endswith("/")


def test_posts_need_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    client.get("/")
    response = client.post("/usaha")
    assert response.status_code == 400 and Draft.select().count() == 0


def _rupiah(amount: int) -> str:
    return "Rp\u00a0" + f"{amount:,}".replace(",", ".")
