"""Identity step: NIK checked as typed, autofill, corrections flagged, names of every shape, bad input."""

import datetime as dt
import re

import pytest

from kiosk.models import Registration
from kiosk.registrations import personal
from tests.flows import FEMALE_NIK, IDENTITY, register, start_visit


@pytest.fixture
def visit(client):
    start_visit(client)
    return client


def post_identity(client, **changes):
    return client.post("/daftar/identitas", data={**IDENTITY, **changes})


@pytest.mark.parametrize("nik, message", [
    ("", "Isi NIK Anda"),
    ("3578O117O8850003", "hanya berisi angka"),          # letter O instead of zero
    ("3578-0117-0885-000A", "hanya berisi angka"),
    ("357801170885000", "harus 16 angka"),                # 15 digits
    ("35780117088500031", "harus 16 angka"),              # 17 digits
    ("9978011708850003", "kode provinsi"),
    ("3599011708850003", "kode kabupaten"),
    ("3578010008850003", "tanggal lahir di NIK"),         # day 00
    ("3578013200850001", "tanggal lahir di NIK"),         # day 32
    ("3578017202990001", "tanggal lahir di NIK"),         # day 72
    ("3578011713850003", "bulan lahir"),                  # month 13
    ("3578013102990001", "tidak ada di kalender"),        # 31 February
    ("3578011708850000", "tidak boleh 0000"),
    ("٣٥٧٨٠١١٧٠٨٨٥٠٠٠٣", "hanya berisi angka"),           # Arabic-Indic digits are not ASCII
])
def test_bad_nik_gets_a_clear_message_and_keeps_what_was_typed(visit, nik, message):
    response = post_identity(visit, nik=nik)
    html = response.data.decode()
    assert response.status_code == 422
    assert message in html
    assert 'id="nik-error"' in html or message in html.split('id="nik"')[0]
    assert "Ada yang perlu diperbaiki" in html
    assert 'value="Moh. Syafi&#39;i"' in html  # other answers stay
    if nik:
        assert f'value="{nik}"' in html


@pytest.mark.parametrize("nik", ["3578 0117 0885 0003", "3578.0117.0885.0003", "3578-0117-0885-0003"])
def test_nik_with_separators_is_accepted(visit, nik):
    assert post_identity(visit, nik=nik).status_code == 303


def test_unknown_district_is_a_warning_not_a_block(visit):
    check = visit.post("/daftar/identitas/nik", data={"nik": "3578321708850003"}).data.decode()
    assert "NIK terbaca" in check and "petugas akan memeriksanya" in check
    assert post_identity(visit, nik="3578321708850003").status_code == 303


def test_live_check_reads_the_nik_and_fills_birth_date_and_sex(visit):
    html = visit.post("/daftar/identitas/nik", data={"nik": "3578011708850003"}).data.decode()
    assert "NIK terbaca" in html and "Laki-laki" in html and "17 Agustus 1985" in html
    assert "Karang Pilang" in html and "Kota Surabaya" in html and "Jawa Timur" in html
    assert 'hx-swap-oob="true"' in html
    assert 'name="birth_day" type="text" value="17"' in html
    assert '<option selected value="8">Agustus</option>' in html and 'value="1985"' in html
    assert 'value="L" checked' in html


def test_live_check_knows_women_add_forty_to_the_day(visit):
    html = visit.post("/daftar/identitas/nik", data={"nik": FEMALE_NIK}).data.decode()
    assert "Perempuan" in html and 'value="17"' in html and 'value="P" checked' in html


def test_live_check_while_typing_counts_digits(visit):
    html = visit.post("/daftar/identitas/nik", data={"nik": "35780117"}).data.decode()
    assert "8 dari 16 angka" in html and "field-error" not in html


def test_live_check_reports_errors_beside_the_field(visit):
    html = visit.post("/daftar/identitas/nik", data={"nik": "3578013102990001"}).data.decode()
    assert "tidak ada di kalender" in html and "hx-swap-oob" not in html


def test_without_javascript_birth_date_and_sex_come_from_the_nik(visit):
    response = post_identity(visit, birth_day="", birth_month="", birth_year="", sex="")
    assert response.status_code == 303
    html = visit.get("/daftar/identitas").data.decode()
    assert 'value="17"' in html and '<option selected value="8">Agustus</option>' in html


def test_a_different_birth_date_is_kept_and_flagged_for_staff(client):
    register(client, identity={"birth_day": "1", "birth_month": "9", "birth_year": "1985", "sex": "L"})
    with client.application.app_context():
        held = personal(Registration.get())
    assert held.birth_date == dt.date(1985, 9, 1)
    assert held.nik_birth_date == dt.date(1985, 8, 17)
    assert held.birth_date_differs


def test_the_review_warns_about_a_birth_date_that_differs(client):
    from tests.flows import fill_all
    fill_all(client, identity={"birth_day": "1", "birth_month": "9", "birth_year": "1985", "sex": "L"})
    assert "berbeda dengan NIK" in client.get("/daftar/periksa").data.decode()


@pytest.mark.parametrize("day, month, year, message", [
    ("1", "1", "2999", "tidak mungkin"), ("1", "1", "1850", "tidak mungkin"),
    ("17x", "8", "1985", "tidak dikenali"), ("30", "2", "1985", "tidak ada di kalender"),
    ("0", "8", "1985", "tidak ada di kalender"), ("17", "13", "1985", "tidak ada di kalender"),
    ("17", "", "1985", "Isi tanggal, bulan dan tahun"), ("１７", "8", "1985", "tidak dikenali"),
])
def test_impossible_birth_dates_are_refused_and_kept(visit, day, month, year, message):
    response = post_identity(visit, birth_day=day, birth_month=month, birth_year=year, sex="L")
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert f'name="birth_day" type="text" value="{day}"' in html


@pytest.mark.parametrize("name", ["Ni Luh Putu", "Moh. Syafi'i", "Sukarno", "Siti Nur'aini, S.Pd",
                                  "I Gusti Ayu Made Ratna-Dewi"])
def test_real_names_of_every_shape_are_accepted(visit, name):
    assert post_identity(visit, full_name=name).status_code == 303


@pytest.mark.parametrize("name, message", [
    ("", "wajib diisi"), ("A" * 500, "Terlalu panjang"), ("Budi 😀", "Hanya huruf"),
    ("<script>alert(1)</script>", "Hanya huruf"), ("Budi2", "Hanya huruf"), ("Bu\u202edi", "Hanya huruf"),
])
def test_bad_names_get_a_message_and_are_escaped(visit, name, message):
    response = post_identity(visit, full_name=name)
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("field", ["full_name", "birth_place", "mother_name"])
@pytest.mark.parametrize("value", ["-Budi", "'Budi", "\u00a0-Budi", "\u3000'Budi"])
def test_names_starting_with_a_dash_or_apostrophe_are_refused_beside_the_field(visit, field, value):
    response = post_identity(visit, **{field: value})
    assert response.status_code == 422
    beside = re.search(rf'<div class="field has-error" id="{field}-field">(.*?)</div>', response.data.decode(), re.S)
    assert beside and "Awali dengan huruf" in beside.group(1)
    assert f'value="{value.replace(chr(39), "&#39;")}"' in beside.group(1)  # what was typed stays in the field


def test_a_name_refused_for_its_start_says_so_in_english(visit):
    visit.post("/bahasa", data={"lang": "en", "next": "/"})
    html = post_identity(visit, full_name="-Budi").data.decode()
    assert "Start with a letter" in html


def test_mother_name_is_required(visit):
    response = post_identity(visit, mother_name="  ")
    assert response.status_code == 422 and "wajib diisi" in response.data.decode()


def test_a_nik_with_an_open_application_is_not_registered_again(client, app):
    register(client)
    client.post("/selesai")
    other = app.test_client()
    start_visit(other)
    response = post_identity(other)
    html = response.data.decode()
    assert response.status_code == 422
    assert "sudah terdaftar" in html and "/cek" in html
    live = other.post("/daftar/identitas/nik", data={"nik": IDENTITY["nik"]}).data.decode()
    assert "sudah terdaftar" not in live and "NIK terbaca" in live  # said on submit only


def test_a_rejected_applicant_may_register_again(client, app):
    register(client)
    Registration.update(status="rejected").execute()
    client.post("/selesai")
    receipt, token = register(app.test_client())
    assert Registration.select().count() == 2


def test_two_visits_racing_with_one_nik_give_one_registration(app):
    from tests.flows import fill_all
    first, second = app.test_client(), app.test_client()
    fill_all(first)
    fill_all(second)
    assert first.post("/daftar/kirim").status_code == 303
    response = second.post("/daftar/kirim")
    assert response.status_code == 409 and "sudah terdaftar" in response.data.decode()
    assert Registration.select().count() == 1
