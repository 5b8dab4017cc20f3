"""Export for a collective upload: /staff/ekspor.csv and /staff/ekspor.xlsx read back column by column."""

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import zipfile

import openpyxl
import pytest

from kiosk import accounts, registrations
from kiosk.models import AuditEntry, Event, Kiosk, Registration, StaffUser
from kiosk.staff import export
from tests.flows import register

PASSWORD = "ekspor-sandi-123"
HYPERLINK = '=HYPERLINK("http://x","klik")'

# What each applicant typed at the kiosk, and what the export must say about it.
APPLICANTS = (
    dict(identity={"nik": "3578011708850003", "full_name": "Moh. Syafi'i"},
         contact={"phone": "0812 3456 7890"},
         expect={"nik": "3578011708850003", "phone": "+6281234567890", "birth_date": "1985-08-17", "sex": "L",
                 "occupation": "tukang_becak", "occupation_transport": 1, "monthly_income": 1_500_000,
                 "programs": "JKK+JKM+JHT", "period_months": 3, "email": ""}),
    dict(identity={"nik": "3578011708850011", "full_name": "Siti Aminah, Rahayu"},
         contact={"phone": "0813 1111 2222", "email": "siti@example.com", "address": HYPERLINK},
         program={"package": "base", "period": "12"},
         expect={"nik": "3578011708850011", "phone": "+6281311112222", "birth_date": "1985-08-17", "sex": "L",
                 "programs": "JKK+JKM", "period_months": 12, "email": "siti@example.com", "address": HYPERLINK}),
    dict(identity={"nik": "3578104102000002", "full_name": "Dewi Lestari"},
         contact={"phone": "0857 3333 4444"},
         work={"occupation": "pedagang_pasar", "income": "3.000.000"},
         expect={"nik": "3578104102000002", "phone": "+6285733334444", "birth_date": "2000-02-01", "sex": "P",
                 "occupation": "pedagang_pasar", "occupation_transport": 0, "monthly_income": 3_000_000}),
    dict(identity={"nik": "3578015708850004", "full_name": "Budi Darmawan"},
         contact={"phone": "0878 7777 8888"},
         expect={"nik": "3578015708850004", "phone": "+6287877778888", "birth_date": "1985-08-17", "sex": "P"}),
)
# Set straight on the row: the kiosk forms would refuse these, an import or a bug might not.
INJECTED = {"full_name": "@Budi Darmawan", "birth_place": "-Ngawi", "address": "\t=1+1",
            "email": "+cmd|' /C calc'!A0"}


def signed_in(client, role="supervisor"):
    """Create (once) a staff user of role and sign client in through the real form."""
    username = f"ekspor-{role}"
    user = StaffUser.get_or_none(StaffUser.username == username) or accounts.create_user(
        username, f"Ekspor {role.title()}", role, PASSWORD)
    response = client.post("/staff/masuk", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.data.decode()[:500]
    return user


@pytest.fixture
def applicants(app):
    """Registrations through the kiosk flow; returns [(registration, expected values, its personal fields)]."""
    made = []
    for person in APPLICANTS:
        sections = {k: v for k, v in person.items() if k != "expect"}
        _receipt, token = register(app.test_client(), **sections)
        made.append(Registration.get(Registration.token == token))
    kiosk = Kiosk.create(name='Kios "Pasar Turi", Surabaya', place="Pasar Turi")
    event = Event.create(name="Sosialisasi =Jamsos", place="Balai Kota", starts_on=dt.date(2026, 3, 1),
                         ends_on=dt.date(2026, 3, 3))
    Registration.update(kiosk=kiosk, event=event, status="active", kpj="09012345678",
                        created_at=dt.datetime(2026, 3, 1, 23, 30, 5)).where(Registration.id == made[0].id).execute()
    with app.app_context():
        held = registrations.personal(made[3])
        sealed = registrations.seal_personal(
            birth_place=INJECTED["birth_place"], birth_date=held.birth_date, nik_birth_date=held.nik_birth_date,
            address=INJECTED["address"], email=INJECTED["email"])
        Registration.update(full_name=INJECTED["full_name"], personal_enc=sealed).where(
            Registration.id == made[3].id).execute()
        stored = [Registration.get_by_id(r.id) for r in made]
        return [(r, p["expect"], registrations.personal(r)) for r, p in zip(stored, APPLICANTS)]


@pytest.fixture
def supervisor(client):
    signed_in(client, "supervisor")
    return client


def expected_row(registration, expect, held):
    """Every column from the stored row and its decrypted personal fields (held), with NIK and phone from
    what was typed (not from the vault)."""
    kiosk = Kiosk.get_by_id(registration.kiosk_id).name if registration.kiosk_id else ""
    event = Event.get_by_id(registration.event_id).name if registration.event_id else ""
    created = (registration.created_at + dt.timedelta(hours=7)).isoformat(timespec="seconds") + "+07:00"
    row = {
        "receipt_code": registration.receipt_code, "nik": expect["nik"], "full_name": registration.full_name,
        "birth_place": held.birth_place, "birth_date": held.birth_date.isoformat(),
        "sex": registration.sex, "address": held.address, "province_code": registration.province_code,
        "regency_code": registration.regency_code, "district_code": registration.district_code,
        "village_code": registration.village_code, "phone": expect["phone"], "email": held.email or "",
        "occupation": registration.occupation, "occupation_transport": 1 if registration.occupation_transport else 0,
        "work_regency_code": registration.work_regency_code, "monthly_income": registration.monthly_income,
        "programs": "JKK+JKM+JHT" if registration.jht else "JKK+JKM", "period_months": registration.period_months,
        "monthly_contribution": registration.monthly_contribution, "status": registration.status,
        "kpj": registration.kpj or "", "kiosk": kiosk, "event": event, "created_at": created,
    }
    for key, value in expect.items():  # what the applicant typed agrees with what was stored
        assert row[key] == value, (key, row[key], value)
    assert row["province_code"] == "35" and row["regency_code"] == "35.78" and row["work_regency_code"] == "35.78"
    return row


def csv_rows(data: bytes):
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == export.COLUMNS
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def xlsx_rows(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheet = workbook.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    assert tuple(values[0]) == export.COLUMNS
    return [dict(zip(values[0], r)) for r in values[1:]]


# --- CSV ------------------------------------------------------------------------------------------

def test_csv_has_every_column_for_every_applicant(supervisor, applicants):
    response = supervisor.post("/staff/ekspor.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="kios-jamsos-\d{8}-\d{4}\.csv"', response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    rows = {r["receipt_code"]: r for r in csv_rows(response.data)}
    assert len(rows) == len(APPLICANTS)
    for registration, expect, held in applicants:
        want = expected_row(registration, expect, held)
        got = rows[registration.receipt_code]
        for column in export.COLUMNS:
            value = want[column]
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and column != "phone":
                value = "'" + value
            assert got[column] == str(value), (column, got[column], value)


def test_csv_neutralises_formulas_but_keeps_phone_numbers(supervisor, applicants):
    rows = {r["receipt_code"]: r for r in csv_rows(supervisor.post("/staff/ekspor.csv").data)}
    hyperlinked, injected = rows[applicants[1][0].receipt_code], rows[applicants[3][0].receipt_code]
    assert hyperlinked["address"] == "'" + HYPERLINK
    assert injected["full_name"] == "'@Budi Darmawan" and injected["birth_place"] == "'-Ngawi"
    assert injected["address"] == "'\t=1+1" and injected["email"] == "'+cmd|' /C calc'!A0"
    assert rows[applicants[0][0].receipt_code]["event"] == "Sosialisasi =Jamsos"  # "=" not first: as is
    assert all(r["phone"].startswith("+62") for r in rows.values())  # a plain number cannot run anything
    assert rows[applicants[0][0].receipt_code]["kiosk"] == 'Kios "Pasar Turi", Surabaya'


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("+6281234567890", "+6281234567890"), ("-5", "-5"), ("+1.5", "+1.5"), ("Budi", "Budi"),
    ("", ""), ("a=1", "a=1"), ("+62 812", "'+62 812"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
])
def test_neutralise(text, safe):
    assert export.neutralise(text) == safe


# --- XLSX -----------------------------------------------------------------------------------------

def test_xlsx_has_every_column_for_every_applicant(supervisor, applicants):
    response = supervisor.post("/staff/ekspor.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(r'attachment; filename="kios-jamsos-\d{8}-\d{4}\.xlsx"',
                        response.headers["Content-Disposition"])
    rows = {r["receipt_code"]: r for r in xlsx_rows(response.data)}
    assert len(rows) == len(APPLICANTS)
    for registration, expect, held in applicants:
        want = expected_row(registration, expect, held)
        got = rows[registration.receipt_code]
        for column in export.COLUMNS:
            value = got[column] if got[column] is not None else ""
            assert value == want[column] and type(value) is type(want[column]), (column, value, want[column])
    assert isinstance(rows[applicants[0][0].receipt_code]["nik"], str)  # 16 digits would not survive as a number
    assert rows[applicants[0][0].receipt_code]["kpj"] == "09012345678"


def test_xlsx_writes_formulas_as_plain_text(supervisor, applicants):
    data = supervisor.post("/staff/ekspor.xlsx").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula cell at all
    assert "HYPERLINK(&quot;http://x&quot;" in sheet or 'HYPERLINK("http://x"' in sheet
    rows = {r["receipt_code"]: r for r in xlsx_rows(data)}
    assert rows[applicants[1][0].receipt_code]["address"] == HYPERLINK  # no apostrophe in a string cell
    assert rows[applicants[3][0].receipt_code]["full_name"] == "@Budi Darmawan"


def test_xlsx_temp_file_is_removed(supervisor, applicants):
    def leftovers():
        return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("kios-ekspor-")}

    before = leftovers()
    assert supervisor.post("/staff/ekspor.xlsx").status_code == 200
    assert leftovers() == before


def test_xlsx_refuses_more_rows_than_excel_holds(supervisor, applicants, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    response = supervisor.post("/staff/ekspor.xlsx?status=submitted")
    assert response.status_code == 303 and response.location.endswith("/staff/antrian?status=submitted")
    assert "Terlalu banyak baris" in supervisor.get(response.location).data.decode()
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()
    assert supervisor.post("/staff/ekspor.xlsx?status=active").status_code == 200


# --- both -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filters_apply_to_the_export(supervisor, applicants, fmt):
    read = csv_rows if fmt == "csv" else xlsx_rows
    kiosk_id = applicants[0][0].kiosk_id
    for query, expected in (("status=active", [0]), (f"kiosk={kiosk_id}", [0]), ("status=submitted", [1, 2, 3]),
                            ("from=2026-03-02&to=2026-03-02", [0]), ("status=rejected", []),
                            ("regency=35.15", []), ("status=nonsense&kiosk=abc", [0, 1, 2, 3])):
        rows = read(supervisor.post(f"/staff/ekspor.{fmt}?{query}").data)
        assert sorted(r["receipt_code"] for r in rows) == sorted(applicants[i][0].receipt_code for i in expected), query


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_audited_without_personal_data(supervisor, applicants, fmt):
    user = StaffUser.get(StaffUser.username == "ekspor-supervisor")
    supervisor.post(f"/staff/ekspor.{fmt}?status=submitted&regency=35.78&from=2020-01-01&page=2").data
    entry = AuditEntry.select().where(AuditEntry.action == "export").get()
    assert entry.actor == "ekspor-supervisor" and entry.actor_id == user.id
    detail = json.loads(entry.detail)
    assert detail == {"format": fmt, "rows": 3,
                      "filters": {"status": "submitted", "regency": "35.78", "from": "2020-01-01"}}
    for registration, expect, _held in applicants:
        for secret in (expect["nik"], expect["phone"], registration.full_name, registration.receipt_code):
            assert secret not in entry.detail


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_petugas_may_not_export_and_anonymous_must_sign_in(client, app, applicants, fmt):
    signed_in(client, "petugas")
    assert client.post(f"/staff/ekspor.{fmt}").status_code == 403
    anonymous = app.test_client()
    response = anonymous.post(f"/staff/ekspor.{fmt}")
    assert response.status_code == 302 and "/staff/masuk" in response.location
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_may_export(client, applicants, fmt):
    signed_in(client, "admin")
    assert client.post(f"/staff/ekspor.{fmt}").status_code == 200


def test_export_streams_in_batches_without_losing_or_repeating_rows(supervisor, applicants, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)
    monkeypatch.setattr(export, "CSV_FLUSH_ROWS", 1)
    response = supervisor.post("/staff/ekspor.csv", buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    response.close()
    assert len(chunks) >= len(APPLICANTS)  # header+row, then a chunk per row
    rows = csv_rows(b"".join(chunks))
    assert [r["receipt_code"] for r in rows] == [r.receipt_code for r, *_ in sorted(applicants, key=lambda a: -a[0].id)]


def test_export_is_a_snapshot_of_the_rows_when_it_started(supervisor, applicants, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 1)
    monkeypatch.setattr(export, "CSV_FLUSH_ROWS", 1)
    response = supervisor.post("/staff/ekspor.csv", buffered=False)
    stream = iter(response.response)
    first = next(stream)
    template = applicants[0][0]
    fields = {f.name: getattr(template, f.name) for f in Registration._meta.sorted_fields if f.name != "id"}
    Registration.create(**{**fields, "token": "later-token-000000000", "receipt_code": "KJ-LATE-0001",
                           "submission_key": "later", "kpj": None, "nik_hash": "later", "kiosk": template.kiosk_id,
                          "event": template.event_id})
    rest = b"".join(stream)
    response.close()
    codes = [r["receipt_code"] for r in csv_rows(first + rest)]
    assert "KJ-LATE-0001" not in codes and len(codes) == len(APPLICANTS)


def test_empty_export_has_only_the_header(supervisor, applicants):
    assert supervisor.post("/staff/ekspor.csv?status=rejected").data.decode() == ",".join(export.COLUMNS) + "\r\n"
    assert xlsx_rows(supervisor.post("/staff/ekspor.xlsx?status=rejected").data) == []


@pytest.mark.parametrize("path", ["/staff/ekspor.csv", "/staff/ekspor.xlsx", "/staff/usaha/ekspor.csv"])
def test_a_link_or_a_page_on_another_site_cannot_export(csrf_app, path):
    """An export writes to the audit log: a GET (any link, an <img> on another site) exports nothing, and a
    POST needs the page's CSRF token."""
    from tests.factories import PASSWORD, make_staff

    make_staff("supervisor")
    client = csrf_app.test_client()
    page = client.get("/staff/masuk").data.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/staff/masuk", data={"username": "supervisor-test", "password": PASSWORD, "csrf_token": token})
    assert client.get(path).status_code in (404, 405)  # /staff/usaha/<token> takes "ekspor.csv" as a token
    assert client.head(path).status_code in (404, 405)
    assert client.post(path).status_code == 400  # no CSRF token: another site's form
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()
    queue = client.get("/staff/antrian" if "usaha" not in path else "/staff/usaha").data.decode()
    form_token = re.search(r'class="export-form"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                           queue).group(1)
    assert client.post(path, data={"csrf_token": form_token}).status_code == 200
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1
