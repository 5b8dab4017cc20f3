"""Collective-upload export of a business's workers (/staff/usaha/<token>/ekspor.csv|xlsx) and of every
business a filter selects (/staff/usaha/ekspor.csv|xlsx), read back with csv and openpyxl."""

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest

from kiosk.models import AuditEntry, Registration
from kiosk.registrations import personal, seal_personal
from kiosk.staff import collective_export, export
from tests.factories import make_business, worker_nik
from tests.flows import sign_in

HYPERLINK = '=HYPERLINK("http://x","klik")'
WORKERS = (
    ("Siti Rahayu", 2_500_000, "Penjahit", True),
    (HYPERLINK, 3_000_000, "@SUM(A1)", False),
    ("Dewi Lestari", 2_200_000, "Kasir", True),
    ("Joko Ditolak", 2_000_000, "Sopir", False),
)


@pytest.fixture
def business(app):
    business = make_business(app, workers=WORKERS)
    workers = list(Registration.select().where(Registration.business == business.id).order_by(Registration.id))
    with app.app_context():  # a value that a spreadsheet would run, set straight on the row
        held = personal(workers[2])
        sealed = seal_personal(birth_place="-Ngawi", birth_date=held.birth_date, nik_birth_date=held.nik_birth_date,
                               address=held.address, email=held.email)
    Registration.update(personal_enc=sealed).where(Registration.id == workers[2].id).execute()
    Registration.update(status="rejected").where(Registration.id == workers[3].id).execute()
    return business


@pytest.fixture
def supervisor(app):
    client = app.test_client()
    sign_in(client, "supervisor")
    return client


def csv_rows(data: bytes):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert tuple(rows[0]) == collective_export.COLUMNS
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def xlsx_rows(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    assert tuple(values[0]) == collective_export.COLUMNS
    return [dict(zip(values[0], r)) for r in values[1:]]


EXPECTED = [
    {"NIK": worker_nik(101, female=True), "Nama Lengkap": "Siti Rahayu", "Tempat Lahir": "Surabaya",
     "Tanggal Lahir (DD-MM-YYYY)": "17-08-1985", "Jenis Kelamin (L/P)": "P", "Upah (Rp)": 2_500_000,
     "Jabatan / Pekerjaan": "Penjahit", "Program": "JKK+JKM+JHT", "NIB Perusahaan": "9120001122334",
     "Nama Perusahaan": "UD Sumber Rejeki"},
    {"NIK": worker_nik(102), "Nama Lengkap": "'" + HYPERLINK, "Tempat Lahir": "Surabaya",
     "Tanggal Lahir (DD-MM-YYYY)": "17-08-1985", "Jenis Kelamin (L/P)": "L", "Upah (Rp)": 3_000_000,
     "Jabatan / Pekerjaan": "'@SUM(A1)", "Program": "JKK+JKM+JHT", "NIB Perusahaan": "9120001122334",
     "Nama Perusahaan": "UD Sumber Rejeki"},
    {"NIK": worker_nik(103, female=True), "Nama Lengkap": "Dewi Lestari", "Tempat Lahir": "'-Ngawi",
     "Tanggal Lahir (DD-MM-YYYY)": "17-08-1985", "Jenis Kelamin (L/P)": "P", "Upah (Rp)": 2_200_000,
     "Jabatan / Pekerjaan": "Kasir", "Program": "JKK+JKM+JHT", "NIB Perusahaan": "9120001122334",
     "Nama Perusahaan": "UD Sumber Rejeki"},
]


def test_csv_has_one_row_per_worker_with_the_full_nik_and_formulas_neutralised(supervisor, business):
    response = supervisor.post(f"/staff/usaha/{business.token}/ekspor.csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="upload-tk-kolektif-\d{8}-\d{4}\.csv"',
                        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_rows(response.data)
    assert rows == [{k: str(v) for k, v in row.items()} for row in EXPECTED]  # the rejected worker is left out


def test_xlsx_has_the_same_rows_as_text_cells_and_no_formula(supervisor, business):
    response = supervisor.post(f"/staff/usaha/{business.token}/ekspor.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = xlsx_rows(response.data)
    assert rows == EXPECTED
    assert all(isinstance(r["NIK"], str) and isinstance(r["Upah (Rp)"], int) for r in rows)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_export_is_audited_with_the_business_and_no_personal_data(supervisor, business):
    supervisor.post(f"/staff/usaha/{business.token}/ekspor.xlsx").data
    entry = AuditEntry.get(AuditEntry.action == "export")
    assert entry.actor == "supervisor-test" and entry.subject == f"business:{business.id}"
    assert json.loads(entry.detail) == {"format": "xlsx", "collective": True, "full_nik": True, "rows": 3,
                                        "business": business.id}
    for row in EXPECTED:
        assert row["NIK"] not in entry.detail and row["Nama Lengkap"].lstrip("'") not in entry.detail
    assert "mengunduh data pekerja" in supervisor.get(f"/staff/usaha/{business.token}").data.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_every_business_the_filter_selects(supervisor, app, business, fmt):
    other = make_business(app, name="Koperasi Tani", kind="koperasi", scale="mikro", nib="8120009988776",
                          status="verified", workers=(("Bambang Sutrisno", 2_000_000, "Petani", False),),
                          first_serial=301)
    read = csv_rows if fmt == "csv" else xlsx_rows
    everything = read(supervisor.post(f"/staff/usaha/ekspor.{fmt}").data)
    assert [r["Nama Perusahaan"] for r in everything] == ["UD Sumber Rejeki"] * 3 + ["Koperasi Tani"]
    only = read(supervisor.post(f"/staff/usaha/ekspor.{fmt}?status=verified").data)
    assert [(r["NIK"], r["Program"]) for r in only] == [(worker_nik(301), "JKK+JKM")]
    by_nib = read(supervisor.post(f"/staff/usaha/ekspor.{fmt}?q=8120009988776").data)
    assert [r["Nama Lengkap"] for r in by_nib] == ["Bambang Sutrisno"]
    assert read(supervisor.post(f"/staff/usaha/ekspor.{fmt}?status=rejected").data) == []
    entry = AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.seq.desc()).first()
    assert json.loads(entry.detail)["filters"] == {"status": "rejected"} and other.receipt_code not in entry.detail


def test_a_name_search_stays_out_of_the_audit_log(supervisor, business):
    rows = csv_rows(supervisor.post("/staff/usaha/ekspor.csv?q=sumber+rejeki").data)
    assert len(rows) == 3
    detail = json.loads(AuditEntry.get(AuditEntry.action == "export").detail)
    assert detail["filters"] == {"q": "(nama)"} and detail["rows"] == 3


def test_streams_in_batches_without_losing_or_repeating_rows(supervisor, business, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 1)
    monkeypatch.setattr(export, "CSV_FLUSH_ROWS", 1)
    response = supervisor.post(f"/staff/usaha/{business.token}/ekspor.csv", buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    response.close()
    assert len(chunks) >= 3
    assert [r["NIK"] for r in csv_rows(b"".join(chunks))] == [row["NIK"] for row in EXPECTED]


def test_xlsx_refuses_more_rows_than_excel_holds(supervisor, business, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    response = supervisor.post("/staff/usaha/ekspor.xlsx?kind=umkm")
    assert response.status_code == 303 and response.location.endswith("/staff/usaha?kind=umkm")
    assert "Terlalu banyak baris" in supervisor.get(response.location).data.decode()
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()


def test_a_get_or_head_exports_nothing_and_is_not_audited(supervisor, business):
    for url in (f"/staff/usaha/{business.token}/ekspor.csv", f"/staff/usaha/{business.token}/ekspor.xlsx"):
        assert supervisor.get(url).status_code == 405 and supervisor.head(url).status_code == 405
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()


def test_petugas_sees_no_export_links_and_may_not_export(app, business):
    client = app.test_client()
    sign_in(client, "petugas")
    assert "ekspor" not in client.get("/staff/usaha").data.decode()
    assert client.post(f"/staff/usaha/{business.token}/ekspor.csv").status_code == 403
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()
