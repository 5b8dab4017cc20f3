"""Uploading a business's worker list (CSV / XLSX): good files, files with errors, wrong files."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from kiosk.models import Business, Draft, Registration
from kiosk.services.worker_list import COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES
from tests.flows import VALID_NIK, WORKERS, fill_business, pu_worker_nik, register

HEADER = ",".join(COLUMNS)


def csv_file(lines, name="pekerja.csv") -> dict:
    body = "\n".join([HEADER, *lines]).encode("utf-8")
    return {"file": (io.BytesIO(body), name)}


def xlsx_file(rows, name="pekerja.xlsx") -> dict:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return {"file": (buffer, name)}


def good_lines(count: int, first_serial: int = 2001):
    return [f"{pu_worker_nik(first_serial + i)},Pekerja Nomor {chr(65 + i % 26)},2500000,Penjahit"
            for i in range(count)]


def upload(client, files, **headers):
    return client.post("/usaha/pekerja/unggah", data=files, content_type="multipart/form-data", headers=headers)


def html_of(response) -> str:
    return response.data.decode()


@pytest.fixture
def at_workers_step(client):
    fill_business(client, workers=[])
    return client


def test_a_good_csv_fills_the_list_and_the_flow_goes_on(at_workers_step):
    client = at_workers_step
    response = upload(client, csv_file(good_lines(3)))
    assert response.status_code == 303 and response.location.endswith("/usaha/pekerja")
    page = html_of(client.get("/usaha/pekerja"))
    assert "3 pekerja siap didaftarkan" in page and "Pekerja Nomor A" in page
    assert client.post("/usaha/pekerja", data={}).location.endswith("/usaha/program")
    client.post("/usaha/program", data={"scale": "mikro", "risk_group": "2"})
    assert client.post("/usaha/kirim").location.endswith("/usaha/tanda-terima")
    assert Registration.select().where(Registration.kind == "pu").count() == 3


def test_a_good_xlsx_with_numbers_as_numbers_is_read(at_workers_step):
    client = at_workers_step
    rows = [[pu_worker_nik(3001), "Sri Wahyuni", 2750000, "Kasir"],
            [pu_worker_nik(3002), "Joko Susilo", "Rp 3.100.000", "Gudang"]]
    response = upload(client, xlsx_file(rows))
    assert response.status_code == 303
    page = html_of(client.get("/usaha/pekerja"))
    assert "2 pekerja siap didaftarkan" in page and "Rp\u00a02.750.000" in page and "Joko Susilo" in page


def test_a_file_with_errors_names_each_row_and_saves_nothing_until_fixed(at_workers_step):
    client = at_workers_step
    lines = good_lines(2) + [
        "3578013102990001,Nama Salah Tanggal,2500000,Kasir",          # line 4: 31 February
        f"{pu_worker_nik(2001)},Kembar,2500000,Kasir",                  # line 5: same NIK as line 2
        f"{pu_worker_nik(2010)},=HYPERLINK(\"http://x\"),2500000,Kasir",  # line 6: formula
        f"{pu_worker_nik(2011)},Tanpa Upah,,",                           # line 7: no wage, no job
    ]
    response = upload(client, csv_file(lines))
    html = html_of(response)
    assert response.status_code == 422
    assert "Belum ada yang disimpan" in html
    assert re.search(r"Baris 4: Tanggal lahir di NIK tidak ada di kalender", html)
    assert re.search(r"Baris 5: NIK ini sama dengan baris 2", html)
    assert re.search(r"Baris 2: NIK ini sama dengan baris 5", html)
    assert re.search(r"Baris 6: Isian yang diawali =", html)
    assert re.search(r"Baris 7: Isi upah per bulan", html) and re.search(r"Baris 7: Isi pekerjaan", html)
    assert 'value="3578013102990001"' in html  # what the file said is shown back, to fix
    assert client.post("/usaha/pekerja", data={}).status_code == 422  # cannot go on
    assert Registration.select().count() == 0

    ids = dict(re.findall(r'<form method="post" action="/usaha/pekerja/ubah" class="worker-fix has-problems" '
                          r'id="row-(\d+)"[\s\S]*?<h3>Baris (\d+)</h3>', html))
    by_line = {int(line): row_id for row_id, line in ids.items()}
    assert set(by_line) == {2, 4, 5, 6, 7}
    fixed = client.post("/usaha/pekerja/ubah", data={"row": by_line[4], "nik": pu_worker_nik(2020),
                                                      "full_name": "Nama Benar", "wage": "2.500.000",
                                                      "job": "Kasir"})
    assert fixed.status_code == 303
    client.post("/usaha/pekerja/hapus", data={"remove": by_line[5]})  # the twin: line 2 is fine again
    page = html_of(client.get("/usaha/pekerja"))
    assert "Baris 2: NIK ini sama" not in page and "Baris 6" in page
    client.post("/usaha/pekerja/hapus", data={"remove": "bad"})
    page = html_of(client.get("/usaha/pekerja"))
    assert "3 pekerja siap didaftarkan" in page and "Baris 6" not in page
    assert client.post("/usaha/pekerja", data={}).location.endswith("/usaha/program")


@pytest.mark.parametrize("job", [" =1+1", "\u00a0=1+1", "\u200b@SUM(A1)", "\u2060+1+1"])
def test_a_formula_behind_a_space_or_an_invisible_character_is_refused_and_kept(at_workers_step, job):
    client = at_workers_step
    response = upload(client, csv_file([f"{pu_worker_nik(2001)},Budi Santoso,2500000,{job}"]))
    html = html_of(response)
    assert response.status_code == 422 and "bisa menjadi rumus" in html
    typed = client.post("/usaha/pekerja/tambah", data={**WORKERS[1], "job": job, "full_name": "\u00a0'Budi"})
    beside = {name: re.search(rf'id="add-{name}-field">(.*?)</div>', html_of(typed), re.S).group(1)
              for name in ("job", "full_name")}
    assert typed.status_code == 422
    assert "bisa menjadi rumus" in beside["job"] and f'value="{job}"' in beside["job"]
    assert "Awali dengan huruf" in beside["full_name"] and 'value="\u00a0&#39;Budi"' in beside["full_name"]
    assert client.post("/usaha/pekerja", data={}).status_code == 422  # nothing goes on with them


def test_uploaded_workers_with_an_open_application_are_flagged(client, app):
    register(client)  # VALID_NIK is a walk-in in progress
    client.post("/selesai")
    fill_business(client, workers=[])
    response = upload(client, csv_file([f"{VALID_NIK},Moh Syafii,2500000,Kasir", *good_lines(1)]))
    assert response.status_code == 303  # the file is read and checked; the register is asked on Lanjut
    sent_on = client.post("/usaha/pekerja", data={})
    assert sent_on.status_code == 422
    assert re.search(r"Baris 2: NIK ini sudah terdaftar", html_of(sent_on))


def test_uploads_add_to_what_was_typed_and_duplicates_across_them_are_flagged(at_workers_step):
    client = at_workers_step
    client.post("/usaha/pekerja/tambah", data=WORKERS[0])
    response = upload(client, csv_file([f"{WORKERS[0]['nik']},Budi Lagi,2500000,Kasir"]))
    html = html_of(response)
    assert response.status_code == 422
    assert "Baris 2: NIK ini sama dengan pekerja tambahan 1" in html


@pytest.mark.parametrize("name, body", [
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    ("daftar.pdf", b"%PDF-1.7\n1 0 obj\n"),
    ("daftar.csv", b"MZ\x90\x00\x03\x00\x00\x00"),  # a program, whatever its name says
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
])
def test_files_that_are_not_spreadsheets_are_refused(at_workers_step, name, body):
    response = upload(at_workers_step, {"file": (io.BytesIO(body), name)})
    html = html_of(response)
    assert response.status_code == 422
    assert "bukan CSV atau Excel" in html
    assert "0 pekerja siap didaftarkan" in html


def test_an_empty_file_a_wrong_header_and_no_file_get_their_own_messages(at_workers_step):
    client = at_workers_step
    assert "File ini kosong" in html_of(upload(client, {"file": (io.BytesIO(b""), "kosong.csv")}))
    wrong = html_of(upload(client, {"file": (io.BytesIO(b"nama,alamat\nBudi,Surabaya\n"), "x.csv")}))
    assert "Judul kolom tidak dikenali" in wrong and "Nama lengkap" in wrong
    assert "Pilih file daftar pekerja dulu" in html_of(client.post("/usaha/pekerja/unggah", data={}))


def test_an_oversized_file_is_refused_with_the_limit(at_workers_step, htmx_headers):
    client = at_workers_step
    just_over = b"x" * (MAX_UPLOAD_BYTES + 10)  # within what the request may carry: read_upload refuses it
    response = upload(client, {"file": (io.BytesIO(just_over), "besar.csv")})
    assert response.status_code == 422 and "File terlalu besar. Batasnya 1 MB" in html_of(response)
    huge = b"x" * (MAX_UPLOAD_BYTES * 3)  # the request itself is too large: 413, still the step with the message
    response = upload(client, {"file": (io.BytesIO(huge), "besar.csv")})
    assert response.status_code == 413
    assert "File terlalu besar. Batasnya 1 MB" in html_of(response) and "Daftar pekerja" in html_of(response)
    swapped = upload(client, {"file": (io.BytesIO(huge), "besar.csv")}, **htmx_headers)
    assert swapped.status_code == 200 and "File terlalu besar" in html_of(swapped)  # htmx swaps no 4xx


def test_too_many_rows_are_refused(at_workers_step):
    response = upload(at_workers_step, csv_file(good_lines(MAX_ROWS + 1)))
    assert response.status_code == 422
    assert f"paling banyak {MAX_ROWS} pekerja" in html_of(response)


def test_other_forms_still_refuse_files(at_workers_step):
    response = at_workers_step.post("/usaha/pekerja/tambah", data={**WORKERS[0], "job": (io.BytesIO(b"x"), "a.csv")},
                                    content_type="multipart/form-data")
    assert response.status_code == 400


def test_the_uploaded_file_is_not_kept(at_workers_step):
    upload(at_workers_step, csv_file(good_lines(2)))
    from kiosk.db import db
    drafts = " ".join(row[0] for row in db.execute_sql("SELECT data FROM draft").fetchall())
    assert pu_worker_nik(2001) not in drafts and "Pekerja Nomor" not in drafts and "Penjahit" not in drafts


def test_templates_download_with_the_expected_columns(client):
    csv_response = client.get("/usaha/pekerja/templat.csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response.headers["Content-Disposition"]
    assert csv_response.data.decode("utf-8-sig").splitlines()[0] == HEADER
    xlsx_response = client.get("/usaha/pekerja/templat.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_response.data)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)


def test_a_filled_template_uploads(at_workers_step):
    client = at_workers_step
    workbook = load_workbook(io.BytesIO(client.get("/usaha/pekerja/templat.xlsx").data))
    workbook.active.append([pu_worker_nik(4001), "Rina Marlina", 2600000, "Penjahit"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert upload(client, {"file": (buffer, "isi.xlsx")}).status_code == 303
    assert "Rina Marlina" in html_of(client.get("/usaha/pekerja"))


def test_uploading_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    client.get("/")
    response = client.post("/usaha/pekerja/unggah", data=csv_file(good_lines(1)), content_type="multipart/form-data")
    assert response.status_code == 400
    assert Business.select().count() == 0 and Draft.select().count() == 0
