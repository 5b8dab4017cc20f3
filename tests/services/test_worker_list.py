"""Tests for kiosk.services.worker_list: reading an uploaded list of workers and checking each row."""

import codecs
import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook, load_workbook

from kiosk.services.rules import load_rules
from kiosk.services.worker_list import (
    COLUMNS,
    COLUMNS_EN,
    JOB_MAX_CHARS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    CheckedWorker,
    RawRow,
    RowProblem,
    UploadRefused,
    check_one,
    check_rows,
    read_upload,
    template_csv,
    template_xlsx,
)

RULES = load_rules()
TODAY = date(2026, 6, 1)


class FakeRegions:
    """Look region names up in a small dict instead of the real data."""

    NAMES = {"35": "Jawa Timur", "35.78": "Kota Surabaya", "35.78.01": "Karang Pilang", "35.78.26": "Mulyorejo",
             "35.73": "Kota Malang"}

    def name(self, code):
        return self.NAMES.get(code)


REGIONS = FakeRegions()


def valid_nik(n: int) -> str:
    """A valid NIK for worker n: Surabaya / Karang Pilang, a real birth date (day + 40 for women), serial n+1.

    Serials ending in 1-9 only, so a NIK stored in a number cell is never mistaken for an Excel-rounded one.
    """
    born = date(1970, 1, 1) + timedelta(days=97 * n)
    day = born.day + (40 if n % 2 else 0)
    serial = 10 * (n // 9) + n % 9 + 1
    return f"357801{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


NIK_A, NIK_B, NIK_C = valid_nik(0), valid_nik(1), valid_nik(2)
GOOD = [
    (NIK_A, "Siti Aminah", "2.500.000", "Penjahit"),
    (NIK_B, "Moh. Syafi'i", "3000000", "Kasir"),
]


def make_csv(rows, header=COLUMNS, *, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def make_xlsx(rows, header=COLUMNS, *, title="Pekerja", before=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in before:
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(data, filename="pekerja.csv"):
    with pytest.raises(UploadRefused) as caught:
        read_upload(filename, data)
    return caught.value


def fields(rows):
    return [(r.line, r.nik, r.full_name, r.wage, r.job) for r in rows]


def check(rows):
    return check_rows(rows, regions=REGIONS, rules=RULES, today=TODAY)


def codes(worker):
    return {(p.field, p.code) for p in worker.problems}


def test_valid_nik_factory_makes_valid_distinct_niks():
    niks = [valid_nik(n) for n in range(300)]
    assert len(set(niks)) == 300
    assert all(w.ok for w in check([RawRow(i + 2, nik, "Budi", "2000000", "Kuli") for i, nik in enumerate(niks)]))


# --- reading CSV --------------------------------------------------------------------------------


def test_good_csv_with_commas():
    rows = read_upload("pekerja.csv", make_csv(GOOD))
    assert fields(rows) == [(2, NIK_A, "Siti Aminah", "2.500.000", "Penjahit"),
                            (3, NIK_B, "Moh. Syafi'i", "3000000", "Kasir")]


def test_good_csv_with_semicolons_and_bom_as_excel_in_indonesia_saves_it():
    data = codecs.BOM_UTF8 + make_csv(GOOD, delimiter=";")
    assert fields(read_upload("pekerja.csv", data)) == fields(read_upload("x.csv", make_csv(GOOD)))


def test_semicolon_file_keeps_commas_inside_cells():
    rows = read_upload("p.csv", make_csv([(NIK_A, "Aminah, Siti", "2.500.000,00", "Penjahit")], delimiter=";"))
    assert (rows[0].full_name, rows[0].wage) == ("Aminah, Siti", "2.500.000,00")


def test_windows_1252_csv():
    rows = read_upload("p.csv", make_csv([(NIK_A, "José Müller", "2500000", "Koki")], encoding="cp1252"))
    assert rows[0].full_name == "José Müller"


def test_utf16_tab_separated_unicode_text_from_excel():
    data = codecs.BOM_UTF16_LE + make_csv(GOOD, delimiter="\t").decode().encode("utf-16-le")
    assert fields(read_upload("p.txt", data)) == fields(read_upload("x.csv", make_csv(GOOD)))


def test_english_headers_in_another_order_with_extra_columns():
    header = ("No.", "Job", "monthly WAGE (rp)", "  full   name ", "NIK", "Catatan")
    rows = [(1, "Penjahit", "2500000", "Siti Aminah", NIK_A, "x"), (2, "Kasir", "3000000", "Budi", NIK_B, "")]
    for data in (make_csv(rows, header), make_xlsx(rows, header)):
        assert fields(read_upload("p", data)) == [(2, NIK_A, "Siti Aminah", "2500000", "Penjahit"),
                                                    (3, NIK_B, "Budi", "3000000", "Kasir")]


@pytest.mark.parametrize("header", [COLUMNS, COLUMNS_EN, tuple(h.upper() for h in COLUMNS),
                                    ("nik", "NAMA  LENGKAP", "Upah per bulan Rp", "Pekerjaan/Jabatan")])
def test_header_spelling_is_forgiving(header):
    assert len(read_upload("p.csv", make_csv(GOOD, header))) == 2


def test_missing_column_names_it():
    refused = refusal(make_csv([r[:3] for r in GOOD], COLUMNS[:3]))
    assert refused.code == "no_header" and "Pekerjaan / jabatan" in refused.detail


def test_repeated_column_is_refused():
    refused = refusal(make_csv([r + (r[0],) for r in GOOD], COLUMNS + ("NIK",)))
    assert refused.code == "no_header" and "NIK" in refused.detail


def test_a_list_without_header_is_refused():
    assert refusal(b"\n".join(",".join(r).encode() for r in GOOD)).code == "no_header"


def test_blank_rows_are_skipped_and_line_numbers_stay_those_of_the_sheet():
    data = b"\r\n ; ;\r\n" + make_csv(GOOD, delimiter=";").replace(b"\r\n", b"\r\n;;;\r\n\r\n", 1) + b"\r\n\r\n"
    # rows: 1 blank, 2 blank (only separators), 3 header, 4 and 5 blank, 6 and 7 workers
    assert [r.line for r in read_upload("p.csv", data)] == [6, 7]


def test_quoted_line_break_stays_in_one_row():
    data = make_csv([(NIK_A, "Siti\nAminah", "2500000", "Penjahit"), GOOD[1]])
    assert [r.line for r in read_upload("p.csv", data)] == [2, 3]


@pytest.mark.parametrize("data", [b"", b"   \r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n\r\n"])
def test_empty_file(data):
    assert refusal(data).code == "empty"


def test_header_without_workers_is_empty():
    refused = refusal(make_csv([]))
    assert refused.code == "empty" and refused.detail


def test_thousand_workers_is_the_limit():
    rows = [(valid_nik(n), "Budi", "2000000", "Kuli") for n in range(MAX_ROWS)]
    assert len(read_upload("p.csv", make_csv(rows))) == MAX_ROWS
    assert refusal(make_csv(rows + [(valid_nik(MAX_ROWS), "Budi", "2000000", "Kuli")])).code == "too_many_rows"
    assert refusal(make_xlsx(rows + [(valid_nik(MAX_ROWS), "Budi", "2000000", "Kuli")])).code == "too_many_rows"


def test_blank_rows_do_not_count_towards_the_limit():
    rows = [(valid_nik(n), "Budi", "2000000", "Kuli") for n in range(MAX_ROWS)]
    data = make_csv(rows).replace(b"\r\n", b"\r\n,,,\r\n")
    assert len(read_upload("p.csv", data)) == MAX_ROWS


def test_size_limit_is_one_megabyte():
    data = make_csv(GOOD)
    exact = data + b"\r\n" * ((MAX_UPLOAD_BYTES - len(data)) // 2)
    assert len(exact) == MAX_UPLOAD_BYTES and len(read_upload("p.csv", exact)) == 2
    refused = refusal(exact + b" ")
    assert refused.code == "too_large"


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("filename", ["pekerja.csv", "pekerja.xlsx"])
@pytest.mark.parametrize(
    "data",
    [
        PNG,
        PDF,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64,   # a Windows program
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,                           # old binary .xls
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"<html><table><tr><td>NIK</td></tr></table></html>",                         # "Excel" from a website
        b"NIK,Nama lengkap\x00,Upah\r\n",
        b"\x80\x81\x8d\x8f\x90\x9d",                                                   # not text in any encoding
    ],
)
def test_files_that_are_not_spreadsheets(data, filename):
    assert refusal(data, filename).code == "not_spreadsheet"


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(buffer.getvalue(), "pekerja.xlsx").code == "not_spreadsheet"


# --- reading XLSX -------------------------------------------------------------------------------


def test_good_xlsx_with_numbers_stored_as_numbers_and_as_text():
    rows = [
        (int(NIK_A), "Siti Aminah", 2_500_000, "Penjahit"),         # numbers as numbers
        (NIK_B, "Budi", "3.000.000", "Kasir"),                      # as text
        (float(NIK_C), "Sri", 2_750_000.0, "Koki"),                 # floats that are whole numbers
        (valid_nik(3), "Wati", 1_234_567.5, "Pelayan"),             # a fraction stays visible
    ]
    got = read_upload("pekerja.xlsx", make_xlsx(rows))
    assert fields(got) == [
        (2, NIK_A, "Siti Aminah", "2500000", "Penjahit"),
        (3, NIK_B, "Budi", "3.000.000", "Kasir"),
        (4, NIK_C, "Sri", "2750000", "Koki"),
        (5, valid_nik(3), "Wati", "1234567.5", "Pelayan"),
    ]
    assert got[0].number_cells == {"nik", "wage"} and got[1].number_cells == frozenset()
    checked = check(got)
    assert [w.wage for w in checked[:3]] == [2_500_000, 3_000_000, 2_750_000]
    assert all(w.ok for w in checked[:3])
    assert codes(checked[3]) == {("wage", "not_number")}   # no sen


def test_xlsx_gaps_and_header_below_a_title():
    data = make_xlsx([GOOD[0], ("", None, "", None), GOOD[1]], before=[("Daftar pekerja CV Maju",), ()])
    assert [r.line for r in read_upload("p.xlsx", data)] == [4, 6]


def test_xlsx_with_a_wrong_dimension_still_gives_every_row():
    data = make_xlsx(GOOD)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', content)
            target.writestr(item, content)
    assert len(read_upload("p.xlsx", buffer.getvalue())) == 2


def test_the_list_may_be_on_a_later_sheet():
    workbook = Workbook()
    workbook.active.append(("Petunjuk", "Isi lembar kedua"))
    sheet = workbook.create_sheet("Data")
    sheet.append(COLUMNS)
    sheet.append(GOOD[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert fields(read_upload("p.xlsx", buffer.getvalue()))[0][1] == NIK_A


def test_formula_cell_is_read_as_text_and_refused_never_evaluated():
    rows = [(NIK_A, "Siti", "=1000000*2", "Penjahit"), (NIK_B, '=HYPERLINK("http://x","Budi")', 2_000_000, "Kasir")]
    got = read_upload("p.xlsx", make_xlsx(rows))
    assert got[0].wage == "=1000000*2" and got[1].full_name.startswith("=HYPERLINK")
    first, second = check(got)
    assert codes(first) == {("wage", "formula")} and first.wage is None
    assert codes(second) == {("full_name", "formula")}


def test_damaged_xlsx_is_unreadable():
    data = make_xlsx(GOOD)
    assert refusal(data[: len(data) // 2], "p.xlsx").code == "unreadable"
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[:200]
            target.writestr(item, content)
    assert refusal(broken.getvalue(), "p.xlsx").code == "unreadable"


def test_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"<" + b"a" * 60_000_000)
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    assert refusal(buffer.getvalue(), "p.xlsx").code == "unreadable"


def test_a_row_number_past_excels_last_row_is_refused_without_scanning_for_ever():
    data = make_xlsx(GOOD)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<row r="3"', b'<row r="900000000"').replace(b'r="A3"', b'r="A900000000"')
            target.writestr(item, content)
    assert refusal(buffer.getvalue(), "p.xlsx").code == "unreadable"


# --- checking -----------------------------------------------------------------------------------


def test_good_rows_are_ok_and_cleaned():
    rows = read_upload("p.csv", make_csv([(f" {NIK_A[:4]} {NIK_A[4:]} ", "  siti   aminah ", "Rp 2,5 juta",
                                            "  Penjahit\tbaju  ")]))
    (worker,) = check(rows)
    assert worker.ok and isinstance(worker, CheckedWorker)
    assert (worker.nik, worker.full_name, worker.wage, worker.job) == (NIK_A, "siti aminah", 2_500_000, "Penjahit baju")
    assert worker.nik_info.birth_date == date(1970, 1, 1) and worker.nik_info.sex == "L"
    assert worker.typed == rows[0]


@pytest.mark.parametrize(
    "nik, code",
    [
        ("", "empty"),
        ("3578O11708850003", "chars"),
        ("357801170885003", "length"),
        ("9978011708850003", "province"),
        ("3599011708850003", "regency"),
        ("3578017202990001", "birth_day"),
        ("3578011713850001", "birth_month"),
        ("3578013102990001", "birth_date"),
        ("3578011708850000", "serial"),
    ],
)
def test_invalid_nik_gives_its_code_on_that_row(nik, code):
    worker, other = check([RawRow(2, nik, "Budi", "2000000", "Kuli"), RawRow(3, NIK_A, "Sri", "2000000", "Kuli")])
    assert worker.problems == [RowProblem("nik", code)]
    assert (worker.nik, worker.nik_info, worker.ok) == ("", None, False)
    assert other.ok


def test_unknown_district_is_a_warning_not_a_problem():
    (worker,) = check([RawRow(2, "3578321708850003", "Budi", "2000000", "Kuli")])
    assert worker.ok and "district_unknown" in worker.nik_info.warnings


def test_nik_that_a_spreadsheet_turned_into_a_number():
    rounded = NIK_A[:-1] + "0"   # Excel keeps 15 digits: the 16th becomes 0
    rows = [RawRow(2, rounded, "Budi", "2000000", "Kuli", number_cells=frozenset({"nik"})),
            RawRow(3, "3,57801E+15", "Sri", "2000000", "Kuli"),
            RawRow(4, NIK_B, "Wati", "2000000", "Kuli", number_cells=frozenset({"nik"}))]
    first, second, third = check(rows)
    assert codes(first) == codes(second) == {("nik", "number_cell")}
    assert third.ok   # a number cell whose last digit is not 0 was not rounded


def test_every_problem_of_a_row_is_reported_at_once():
    (worker,) = check([RawRow(7, "123", "", "dua juta", "")])
    assert codes(worker) == {("nik", "length"), ("full_name", "empty"), ("wage", "not_number"), ("job", "job_empty")}
    assert worker.line == 7 and worker.wage is None


@pytest.mark.parametrize(
    "wage, code", [("0", "too_low"), ("-5", "too_low"), ("abc", "not_number"), ("2,5", "not_number"),
                   ("9.999.999.999", "too_high"), ("", "empty")],
)
def test_wage_problems(wage, code):
    (worker,) = check([RawRow(2, NIK_A, "Budi", wage, "Kuli")])
    assert codes(worker) == {("wage", code)}


@pytest.mark.parametrize(
    "column, value",
    [("nik", "=1+1"), ("full_name", "@SUM(A1)"), ("full_name", "+cmd|' /C calc'!A0"), ("wage", "\t=1"),
     ("job", "-2+3"), ("job", "\r=1")],
)
def test_formula_cells_are_refused(column, value):
    raw = dict(line=2, nik=NIK_A, full_name="Budi", wage="2000000", job="Kuli")
    raw[column] = value
    (worker,) = check([RawRow(**raw)])
    assert worker.problems == [RowProblem(column, "formula")]


@pytest.mark.parametrize("column", ["full_name", "job"])
@pytest.mark.parametrize("value", [" =1+1", "\u00a0=1+1", "\u200b@SUM(A1)", "\u2060+1+1", "\u00a0\u200b-2+3",
                                   "\ufeff=HYPERLINK(\"http://x\")", "\t=1+1"])
def test_formulas_behind_spaces_or_invisible_characters_are_refused(column, value):
    # The cleaned value is what is stored: a check of the raw cell alone let these through bare.
    raw = dict(line=2, nik=NIK_A, full_name="Budi", wage="2000000", job="Kuli")
    raw[column] = value
    (worker,) = check([RawRow(**raw)])
    assert worker.problems == [RowProblem(column, "formula")]
    assert getattr(worker, column) == value  # shown back as typed


@pytest.mark.parametrize("value", ["-Budi", "'Budi", "\u00a0-Budi"])
def test_worker_names_must_start_with_a_letter(value):
    (worker,) = check([RawRow(2, NIK_A, value, "2000000", "Kuli")])
    assert codes(worker) <= {("full_name", "start"), ("full_name", "formula")} and codes(worker)
    assert worker.full_name == value


def test_names_keep_what_was_typed_when_refused():
    (worker,) = check([RawRow(2, NIK_A, "Budi <b>", "2000000", "Kuli")])
    assert codes(worker) == {("full_name", "chars")} and worker.full_name == "Budi <b>"


def test_job_is_cleaned_and_limited():
    ok, empty, long_job = check([
        RawRow(2, NIK_A, "Budi", "2000000", "Tukang\u200b \x07jahit\u202e"),
        RawRow(3, NIK_B, "Sri", "2000000", " \t\u200b "),
        RawRow(4, NIK_C, "Wati", "2000000", "x" * (JOB_MAX_CHARS + 1)),
    ])
    assert ok.ok and ok.job == "Tukang jahit"
    assert codes(empty) == {("job", "job_empty")}
    assert codes(long_job) == {("job", "job_too_long")}
    assert check([RawRow(2, NIK_A, "Budi", "2000000", "x" * JOB_MAX_CHARS)])[0].ok


def test_duplicate_nik_flags_both_rows_with_each_others_line():
    rows = [RawRow(2, NIK_A, "Siti", "2000000", "Kuli"), RawRow(3, NIK_B, "Budi", "2000000", "Kuli"),
            RawRow(5, f"{NIK_A[:6]}.{NIK_A[6:12]}.{NIK_A[12:]}", "Siti A", "2000000", "Kuli")]
    first, second, third = check(rows)
    assert first.problems == [RowProblem("nik", "duplicate_in_list", "5")]
    assert third.problems == [RowProblem("nik", "duplicate_in_list", "2")]
    assert second.ok


def test_three_rows_with_one_nik_each_point_to_another():
    rows = [RawRow(line, NIK_A, "Siti", "2000000", "Kuli") for line in (2, 4, 9)]
    assert [w.problems[0].detail for w in check(rows)] == ["4", "2", "2"]


def test_check_one_for_the_add_one_by_one_form():
    worker = check_one(NIK_A, "Siti Aminah", "2.500.000", "Penjahit", line=3, regions=REGIONS, rules=RULES, today=TODAY)
    assert worker.ok and (worker.line, worker.nik, worker.wage) == (3, NIK_A, 2_500_000)
    bad = check_one(None, None, None, None, line=1, regions=REGIONS, rules=RULES, today=TODAY)
    assert codes(bad) == {("nik", "empty"), ("full_name", "empty"), ("wage", "empty"), ("job", "job_empty")}


def test_the_caller_can_add_its_own_problems():
    worker = check_one(NIK_A, "Siti", "2000000", "Kuli", line=2, regions=REGIONS, rules=RULES, today=TODAY)
    worker.problems.append(RowProblem("nik", "registered"))
    assert not worker.ok


# --- templates ----------------------------------------------------------------------------------


def test_csv_template_is_the_header_only():
    data = template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").splitlines() == [",".join(COLUMNS)]
    assert refusal(data).code == "empty"   # an unfilled template has no workers


def test_xlsx_template_keeps_nik_as_text_and_explains_each_column():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["Pekerja", "Petunjuk"]
    sheet = workbook["Pekerja"]
    assert [c.value for c in sheet[1]] == list(COLUMNS) and sheet.max_row == 1
    assert sheet.column_dimensions["A"].number_format == "@"
    notes = [row for row in workbook["Petunjuk"].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in notes[: len(COLUMNS)]] == list(COLUMNS)
    assert all(row[1] for row in notes)


def test_a_filled_xlsx_template_reads_back():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    for row in GOOD:
        workbook["Pekerja"].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert fields(read_upload("template.xlsx", buffer.getvalue())) == fields(read_upload("p.csv", make_csv(GOOD)))


# --- properties ---------------------------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEED_XLSX = make_xlsx(GOOD)
SEED_CSV = make_csv(GOOD, delimiter=";")


def _read_or_refuse(data):
    try:
        rows = read_upload("x", data)
    except UploadRefused as refused:
        assert refused.code in UploadRefused.CODES
        return
    assert 0 < len(rows) <= MAX_ROWS and all(isinstance(r, RawRow) for r in rows)
    assert all(isinstance(v, str) for r in rows for v in (r.nik, r.full_name, r.wage, r.job))
    check(rows)   # whatever was read can be checked without an exception


@st.composite
def mutated(draw, seed):
    """The seed file with a few bytes overwritten, inserted or cut off."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["set", "insert", "cut"]))
        if action == "set":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:]
            if not data:
                break
    return bytes(data)


@FUZZ
@given(st.one_of(st.binary(max_size=2048), mutated(SEED_XLSX), mutated(SEED_CSV),
                 st.text(max_size=400).map(lambda t: t.encode("utf-8")),
                 st.lists(st.lists(st.text(max_size=30), max_size=6), max_size=8).map(
                     lambda rows: make_csv(rows, header=COLUMNS))))
def test_no_input_bytes_make_read_upload_fail_other_than_refusing(data):
    _read_or_refuse(data)
