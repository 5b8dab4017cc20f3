"""Contact, work and program steps: validation messages beside the field, typed values kept."""

import pytest

from tests.flows import CONTACT, IDENTITY, WORK, start_visit


@pytest.fixture
def at_contact(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    return client


@pytest.fixture
def at_work(at_contact):
    at_contact.post("/daftar/kontak", data=CONTACT)
    return at_contact


@pytest.mark.parametrize("phone", ["0812 3456 7890", "+62 812-3456-7890", "62 81234567890", "(0812) 3456-7890"])
def test_mobile_numbers_in_any_common_shape_are_normalised(at_contact, phone):
    assert at_contact.post("/daftar/kontak", data={**CONTACT, "phone": phone}).status_code == 303
    html = at_contact.get("/daftar/kontak").data.decode()
    assert 'value="+6281234567890"' in html


@pytest.mark.parametrize("phone, message", [
    ("", "Isi nomor HP"), ("031 5678 9012", "nomor telepon rumah"), ("0812", "tidak dikenali"),
    ("+1 202 555 0100", "tidak dikenali"), ("08a2345678", "tidak dikenali"), ("9" * 500, "tidak dikenali"),
])
def test_bad_phone_numbers_are_explained(at_contact, phone, message):
    response = at_contact.post("/daftar/kontak", data={**CONTACT, "phone": phone})
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert 'value="Jl. Kebraon Indah 5, RT 02/RW 03"' in html


def test_email_is_optional_but_checked_when_given(at_contact):
    response = at_contact.post("/daftar/kontak", data={**CONTACT, "email": "bukan-email"})
    assert response.status_code == 422 and "e-mail tidak dikenali" in response.data.decode()
    assert at_contact.post("/daftar/kontak", data={**CONTACT, "email": "siti@contoh.co.id"}).status_code == 303


def test_address_and_every_region_level_are_required(at_contact):
    response = at_contact.post("/daftar/kontak", data={**CONTACT, "address": "", "village": ""})
    html = response.data.decode()
    assert response.status_code == 422
    assert "Isi alamat tempat tinggal" in html and "Pilih salah satu" in html


def test_a_village_from_another_district_is_refused(at_contact):
    response = at_contact.post("/daftar/kontak", data={**CONTACT, "village": "35.07.01.2001"})
    assert response.status_code == 422


@pytest.mark.parametrize("income, message", [
    ("", "Isi penghasilan"), ("0", "lebih dari 0"), ("-5000", "lebih dari 0"),
    ("99999999999999", "terlalu besar"), ("sejuta", "angka saja"), ("1e6", "angka saja"),
])
def test_bad_income_is_explained(at_work, income, message):
    response = at_work.post("/daftar/pekerjaan", data={**WORK, "income": income})
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert 'value="tukang_becak" checked' in html


@pytest.mark.parametrize("income, stored", [("1500000", "1500000"), ("Rp 1.500.000", "1500000"),
                                            ("750.000", "750000")])
def test_income_in_rupiah_notation_is_understood(at_work, income, stored):
    assert at_work.post("/daftar/pekerjaan", data={**WORK, "income": income}).status_code == 303
    assert f'value="{stored}"' in at_work.get("/daftar/pekerjaan").data.decode()


def test_income_below_the_minimum_is_estimated_on_the_minimum(at_work):
    at_work.post("/daftar/pekerjaan", data={**WORK, "income": "500000"})
    html = at_work.post("/daftar/program/hitung", data={"package": "base", "period": "1"}).data.decode()
    assert "penghasilan minimum Rp\u00a01.000.000" in html


def test_occupation_is_required_and_other_needs_a_description(at_work):
    response = at_work.post("/daftar/pekerjaan", data={**WORK, "occupation": ""})
    assert response.status_code == 422 and "Pilih pekerjaan" in response.data.decode()
    response = at_work.post("/daftar/pekerjaan", data={**WORK, "occupation": "lainnya", "occupation_other": ""})
    assert response.status_code == 422
    response = at_work.post("/daftar/pekerjaan", data={**WORK, "occupation": "lainnya",
                                                       "occupation_other": "Tukang servis HP"})
    assert response.status_code == 303


def test_unknown_occupation_code_is_refused(at_work):
    assert at_work.post("/daftar/pekerjaan", data={**WORK, "occupation": "astronot"}).status_code == 422


def test_occupation_grid_offers_the_kiosk_trades(at_work):
    html = at_work.get("/daftar/pekerjaan").data.decode()
    for label in ("Pedagang pasar", "Tukang becak", "Ojek online", "Petani", "Nelayan", "Buruh harian lepas",
                  "Pekerja UMKM", "Lainnya"):
        assert label in html


def test_program_and_period_must_be_chosen(at_work):
    at_work.post("/daftar/pekerjaan", data=WORK)
    response = at_work.post("/daftar/program", data={"package": "", "period": "2"})
    assert response.status_code == 422 and response.data.decode().count("Pilih salah satu") >= 2
