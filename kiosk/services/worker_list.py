"""Read and check the list of workers a business owner uploads (XLSX or CSV) or types in.

Reading (``read_upload``) only turns a file into rows of text, and refuses
anything that is not a spreadsheet of the expected shape with UploadRefused.
Checking (``check_rows`` / ``check_one``) validates every cell and gives each
row its problems, so the owner sees them all at once next to the row.

A cell that a spreadsheet would run as a formula is refused, never evaluated:
the XLSX is read with its formulas as text (openpyxl, ``data_only=False``).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from kiosk.services.errors import DomainError
from kiosk.services.nik import InvalidNik, NikInfo, RegionLookup, normalise_nik, parse_nik
from kiosk.services.person import InvalidName, clean_name
from kiosk.services.rules import PuRules, RuleBook
from kiosk.services.spreadsheet import looks_like_formula
from kiosk.services.wage_contributions import InvalidWage, parse_wage

MAX_UPLOAD_BYTES = 1_000_000
MAX_ROWS = 1000
JOB_MAX_CHARS = 100
COLUMNS = ("NIK", "Nama lengkap", "Upah per bulan (Rp)", "Pekerjaan / jabatan")
COLUMNS_EN = ("NIK", "Full name", "Monthly wage (Rp)", "Job")
FIELDS = ("nik", "full_name", "wage", "job")

_HEADER_SEARCH_ROWS = 5     # non-blank rows looked at for the header
_MAX_COLUMNS = 50            # columns read per row; the template has 4
_MAX_LINES = 1_048_576       # Excel's last row: a row number past it means a damaged file
_MAX_UNPACKED_BYTES = 25_000_000   # an XLSX is a zip: refuse one that would unpack to more (zip bomb)
_NOT_SPREADSHEET_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"MZ", "a Windows program"), (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls/.doc): save it as .xlsx"), (b"PK", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
# C0 controls other than tab, LF and CR, and DEL: never in a spreadsheet's text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# "3.57801E+15": a CSV saved by a spreadsheet that held the NIK as a number.
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+")


def _header_key(text: str) -> str:
    """Reduce a header to its letters and digits, casefolded: "Upah per bulan (Rp)" -> "upahperbulanrp"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


# openpyxl warns about every style or extension it skips in an owner's file; that
# is expected here, and warnings.catch_warnings() is not safe across threads.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")

_HEADER_FIELDS = {_header_key(name): f for names in (COLUMNS, COLUMNS_EN) for name, f in zip(names, FIELDS)}


class UploadRefused(DomainError):
    """Raise when an uploaded file cannot be read as a list of workers; see ``code``."""

    CODES = ("too_large", "not_spreadsheet", "empty", "no_header", "too_many_rows", "unreadable")
    what = "upload refused"


@dataclass(frozen=True)
class RawRow:
    """Hold one worker row as typed in the file (numbers stored as numbers come back as digits)."""

    line: int  # the row number the owner sees in the spreadsheet; the header is row 1
    nik: str
    full_name: str
    wage: str
    job: str
    number_cells: frozenset[str] = frozenset()  # fields whose XLSX cell held a number, not text


@dataclass
class RowProblem:
    """Say what is wrong with one field of a row; ``code`` picks the message shown."""

    field: str  # "nik" | "full_name" | "wage" | "job" | "row"
    code: str
    detail: str = ""


@dataclass
class CheckedWorker:
    """Hold one checked row: the cleaned values and every problem found."""

    line: int
    nik: str  # the normalised NIK, "" when it cannot be used
    nik_info: NikInfo | None
    full_name: str  # cleaned; as typed when it cannot be cleaned
    wage: int | None
    job: str  # cleaned; as typed when it cannot be cleaned
    problems: list[RowProblem] = field(default_factory=list)
    typed: RawRow | None = None  # the row as read, to show it back unchanged

    @property
    def ok(self) -> bool:
        """Tell whether the row can be registered as it is."""
        return not self.problems


# --- reading ------------------------------------------------------------------------------------


def read_upload(filename: str, data: bytes) -> list[RawRow]:
    """Read an uploaded XLSX or CSV (recognised by content; ``filename`` is not trusted) into rows.

    Blank rows are skipped; the header may use the Indonesian or the English
    column names, in any order, and extra columns are ignored.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused("too_large", f"{len(data)} bytes, at most {MAX_UPLOAD_BYTES}")
    if not data.strip():
        raise UploadRefused("empty")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    for magic, what in _NOT_SPREADSHEET_MAGIC:
        if data.startswith(magic):
            raise UploadRefused("not_spreadsheet", what)
    return _read_csv(_decode(data))


def _rows_from_records(records: Iterable[tuple[int, Sequence[object]]]) -> list[RawRow]:
    """Find the header (within the first non-blank rows) and turn the rows under it into RawRows.

    ``records`` are (spreadsheet row number, cell values): str from a CSV,
    str / numbers / dates / None from an XLSX.
    """
    columns: dict[str, int] | None = None
    not_header: UploadRefused | None = None
    tried = 0
    rows: list[RawRow] = []
    for line, values in records:
        if line > _MAX_LINES:
            raise UploadRefused("unreadable", f"a row past row {_MAX_LINES}")
        # Padded or styled-but-empty spreadsheet rows are all None: skip them before any work.
        if values.count(None) == len(values):
            continue
        texts = [_cell_text(v) for v in values]
        if not any(t.strip() for t in texts):
            continue
        if columns is None:
            # A title or a note may sit above the header; look a few rows down for it.
            try:
                columns = _header_columns(texts)
            except UploadRefused as refused:
                not_header = not_header or refused
                tried += 1
                if tried == _HEADER_SEARCH_ROWS:
                    raise not_header from None
            continue
        if len(rows) == MAX_ROWS:
            raise UploadRefused("too_many_rows", f"more than {MAX_ROWS} workers")
        cell = {f: (texts[i] if i < len(texts) else "") for f, i in columns.items()}
        rows.append(RawRow(
            line=line, nik=cell["nik"], full_name=cell["full_name"], wage=cell["wage"], job=cell["job"],
            number_cells=frozenset(f for f, i in columns.items() if i < len(values) and _is_number(values[i])),
        ))
    if columns is None:
        raise not_header or UploadRefused("empty")
    if not rows:
        raise UploadRefused("empty", "no worker rows under the header")
    return rows


def _header_columns(values: list[str]) -> dict[str, int]:
    """Map each field to its column index; refuse a header that lacks or repeats one."""
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        found = _HEADER_FIELDS.get(_header_key(value))
        if found is None:
            continue
        if found in columns:
            raise UploadRefused("no_header", f"the column {COLUMNS[FIELDS.index(found)]} appears twice")
        columns[found] = index
    missing = [name for name, f in zip(COLUMNS, FIELDS) if f not in columns]
    if missing:
        raise UploadRefused("no_header", "missing column(s): " + ", ".join(missing))
    return columns


# CSV


def _decode(data: bytes) -> str:
    """Decode CSV bytes (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRefused("not_spreadsheet", "not text")
    text = text.rstrip("\x1a")  # an old DOS end-of-file mark
    if _CONTROL_CHARS.search(text):
        raise UploadRefused("not_spreadsheet", "binary content")
    if not text.strip():
        raise UploadRefused("empty")
    if text.lstrip().startswith("<"):
        raise UploadRefused("not_spreadsheet", "an HTML or XML document")
    return text


def _read_csv(text: str) -> list[RawRow]:
    """Read CSV text; the delimiter (comma, semicolon or tab) is the one the header uses most."""
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _rows_from_records(enumerate(reader, start=1))
    except csv.Error as exc:
        raise UploadRefused("unreadable", f"CSV: {exc}") from None


# XLSX


def _read_xlsx(data: bytes) -> list[RawRow]:
    """Read the first sheet that has the header; refuse damaged or oversized workbooks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UploadRefused("unreadable", f"damaged zip: {exc}") from None
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise UploadRefused("not_spreadsheet", "a zip archive that is not an .xlsx workbook")
    if sum(m.file_size for m in members) > _MAX_UNPACKED_BYTES:
        raise UploadRefused("unreadable", "the workbook unpacks to too much data")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            return _rows_from_workbook(workbook)
        finally:
            workbook.close()
    except UploadRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any damage inside the workbook means "cannot read it"
        raise UploadRefused("unreadable", f"XLSX: {type(exc).__name__}") from None


def _rows_from_workbook(workbook) -> list[RawRow]:
    """Try each sheet in order; the first with a header is the list (the template's "Petunjuk" has none)."""
    first_refusal: UploadRefused | None = None
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # a wrong <dimension> would otherwise hide rows
        rows = sheet.iter_rows(min_row=1, max_col=_MAX_COLUMNS, values_only=True)
        try:
            return _rows_from_records(enumerate(rows, start=1))
        except UploadRefused as refused:
            if refused.code not in ("no_header", "empty"):
                raise
            first_refusal = first_refusal or refused
    raise first_refusal or UploadRefused("empty")


def _is_number(value: object) -> bool:
    """Tell whether an XLSX cell held a number (a bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell_text(value: object) -> str:
    """Return a cell as the text a person sees: 2500000 not "2500000.0", 3578011708850003 not "3.578e15"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        if math.isfinite(value):
            return format(Decimal(repr(value)), "f")
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


# --- checking -----------------------------------------------------------------------------------


def _clean_job(raw: str) -> str:
    """NFC, invisible and control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", raw)
    kept = (" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join("".join(kept).split())


def _check_nik(raw: RawRow, regions: RegionLookup, today: date) -> tuple[str, NikInfo | None, RowProblem | None]:
    """Return (normalised NIK, decoded info, problem)."""
    if looks_like_formula(raw.nik):
        return "", None, RowProblem("nik", "formula")
    digits = normalise_nik(raw.nik)
    # A spreadsheet keeps 15 significant digits of a number, so a 16-digit NIK
    # typed into a number cell ends in 0 whatever was typed; never guess it.
    if _SCIENTIFIC.fullmatch(digits) or ("nik" in raw.number_cells and len(digits) == 16 and digits.endswith("0")):
        return "", None, RowProblem("nik", "number_cell", "the NIK column must be formatted as text")
    try:
        info = parse_nik(raw.nik, regions, today)
    except InvalidNik as exc:
        return "", None, RowProblem("nik", exc.code)
    return info.nik, info, None


# Each check looks at what is typed and, again, at what would be stored: cleaning drops a leading
# space, NBSP or zero-width space and would leave "=1+1" bare.

def _check_name(raw: RawRow) -> tuple[str, RowProblem | None]:
    if looks_like_formula(raw.full_name):
        return raw.full_name, RowProblem("full_name", "formula")
    try:
        name = clean_name(raw.full_name)
    except InvalidName as exc:
        return raw.full_name, RowProblem("full_name", exc.code)
    if looks_like_formula(name):
        return raw.full_name, RowProblem("full_name", "formula")
    return name, None


def _check_wage(raw: RawRow, rules: PuRules) -> tuple[int | None, RowProblem | None]:
    if looks_like_formula(raw.wage):
        return None, RowProblem("wage", "formula")
    try:
        return parse_wage(raw.wage, rules), None
    except InvalidWage as exc:
        return None, RowProblem("wage", exc.code, exc.detail)


def _check_job(raw: RawRow) -> tuple[str, RowProblem | None]:
    if looks_like_formula(raw.job):
        return raw.job, RowProblem("job", "formula")
    job = _clean_job(raw.job)
    if looks_like_formula(job):
        return raw.job, RowProblem("job", "formula")
    if not job:
        return job, RowProblem("job", "job_empty")
    if len(job) > JOB_MAX_CHARS:
        return raw.job, RowProblem("job", "job_too_long", f"{len(job)} characters, at most {JOB_MAX_CHARS}")
    return job, None


def _check(raw: RawRow, regions: RegionLookup, pu: PuRules, today: date) -> CheckedWorker:
    """Check every field of one row; collect every problem rather than stopping at the first."""
    nik, info, nik_problem = _check_nik(raw, regions, today)
    full_name, name_problem = _check_name(raw)
    wage, wage_problem = _check_wage(raw, pu)
    job, job_problem = _check_job(raw)
    problems = [p for p in (nik_problem, name_problem, wage_problem, job_problem) if p is not None]
    return CheckedWorker(line=raw.line, nik=nik, nik_info=info, full_name=full_name, wage=wage, job=job,
                         problems=problems, typed=raw)


def check_rows(rows: Iterable[RawRow], *, regions: RegionLookup, rules: RuleBook, today: date) -> list[CheckedWorker]:
    """Check every row, then flag NIKs that appear more than once in the list (on every such row).

    ``detail`` of a duplicate is the line of another row with the same NIK (the
    first one, or for the first one the second). NIKs already registered are
    the caller's to flag: that needs the database.
    """
    pu = rules.pu_for(today)
    checked = [_check(raw, regions, pu, today) for raw in rows]
    lines_by_nik: dict[str, list[int]] = defaultdict(list)
    for worker in checked:
        if worker.nik:
            lines_by_nik[worker.nik].append(worker.line)
    for worker in checked:
        lines = lines_by_nik.get(worker.nik, []) if worker.nik else []
        if len(lines) > 1:
            other = next(line for line in lines if line != worker.line)
            worker.problems.append(RowProblem("nik", "duplicate_in_list", str(other)))
    return checked


def check_one(
    nik: str | None, full_name: str | None, wage: str | None, job: str | None,
    *, line: int, regions: RegionLookup, rules: RuleBook, today: date,
) -> CheckedWorker:
    """Check one worker typed into the add-one-by-one form."""
    raw = RawRow(line=line, nik=str(nik or ""), full_name=str(full_name or ""), wage=str(wage or ""),
                 job=str(job or ""))
    return _check(raw, regions, rules.pu_for(today), today)


# --- templates ----------------------------------------------------------------------------------

_INSTRUCTIONS = (
    ("NIK", "16 angka sesuai KTP pekerja. Kolom ini berformat Teks supaya Excel tidak mengubah angka "
            "terakhir menjadi 0; jangan ubah formatnya."),
    ("Nama lengkap", "Nama pekerja sesuai KTP."),
    ("Upah per bulan (Rp)", "Upah sebulan dalam rupiah, tanpa sen, misalnya 2500000 atau 2.500.000."),
    ("Pekerjaan / jabatan", "Pekerjaan atau jabatan pekerja di usaha ini, misalnya Penjahit atau Kasir."),
)
_BOLD = Font(name="Calibri", size=11, bold=True)
_GENERAL_NOTE = (f"Satu baris untuk satu pekerja, mulai baris 2 lembar Pekerja. Paling banyak {MAX_ROWS} pekerja "
                 f"dan berkas paling besar {MAX_UPLOAD_BYTES // 1_000_000} MB.")


def template_csv() -> bytes:
    """Return the CSV template: the header row only, UTF-8 with a BOM so Excel reads it right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """Return the XLSX template: the header, the NIK column as text, and a "Petunjuk" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pekerja"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (22, 32, 22, 28)):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].number_format = "@"  # text: Excel keeps all 16 digits
    sheet.column_dimensions["C"].number_format = "#,##0"

    notes = workbook.create_sheet("Petunjuk")
    notes.append(("Kolom", "Penjelasan"))
    for cell in notes[1]:
        cell.font = _BOLD
    for row in _INSTRUCTIONS:
        notes.append(row)
    notes.append(("", _GENERAL_NOTE))
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
