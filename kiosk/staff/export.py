"""CSV and XLSX export of applications for a collective upload, streamed in constant memory.

Rows are read in keyset batches (``id < last`` ordered by id, ``.iterator()`` inside a batch), so
neither the database driver nor Python ever holds more than one batch, on SQLite or PostgreSQL.
The export is a snapshot up to the highest id that existed when it started: applications
registered while it streams are left for the next one, so the audited row count holds (a status
change during the export can still move a row out of a status filter).

Spreadsheet formula injection: a text cell that starts with = + - @ tab or CR is prefixed with an
apostrophe in CSV, unless the whole cell is a plain number such as the E.164 phone "+62812..."
(a number cannot run anything, and the apostrophe would spoil the upload); the rule is
kiosk.services.spreadsheet's, shared with the kiosk's worker-list upload. In XLSX every text is
written as a string cell, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile

from flask import Response, stream_with_context
from flask_babel import get_timezone, to_user_timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from peewee import fn
from pytz import UTC

from kiosk import audit
from kiosk.crypto import vault
from kiosk.models import Event, Kiosk, Registration, utcnow
from kiosk.services.spreadsheet import neutralise

COLUMNS = (
    "receipt_code", "nik", "full_name", "birth_place", "birth_date", "sex", "address",
    "province_code", "regency_code", "district_code", "village_code", "phone", "email",
    "occupation", "occupation_transport", "work_regency_code", "monthly_income", "programs",
    "period_months", "monthly_contribution", "status", "kpj", "kiosk", "event", "created_at",
)
FIELDS = (
    Registration.id, Registration.receipt_code, Registration.nik_enc, Registration.full_name,
    Registration.personal_enc, Registration.sex,
    Registration.province_code, Registration.regency_code, Registration.district_code,
    Registration.village_code, Registration.phone_enc, Registration.occupation,
    Registration.occupation_transport, Registration.work_regency_code, Registration.monthly_income,
    Registration.jht, Registration.period_months, Registration.monthly_contribution,
    Registration.status, Registration.kpj, Registration.kiosk, Registration.event, Registration.created_at,
)
BATCH = 2000  # rows per database query
CSV_FLUSH_ROWS = 500  # rows per chunk sent to the client
FILE_CHUNK = 256 * 1024
XLSX_MAX_ROWS = 1_048_575  # Excel's limit (1,048,576) minus the header row
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

class Snapshot:
    """The rows a filter selects, fixed at the highest id when the export starts."""

    def __init__(self, query_filter):
        self.filter = query_filter
        self.upper_id = Registration.select(fn.MAX(Registration.id)).scalar() or 0
        self.count = self.filter.apply(Registration.select()).where(Registration.id <= self.upper_id).count()

    def raw_rows(self):
        """Yield the selected columns as tuples, newest first, BATCH rows per query."""
        base = self.filter.apply(Registration.select(*FIELDS))
        last = self.upper_id + 1
        while True:
            seen = 0
            query = base.where(Registration.id < last).order_by(Registration.id.desc()).limit(BATCH)
            for row in query.tuples().iterator():
                seen += 1
                last = row[0]
                yield row
            if seen < BATCH:
                return

    def rows(self):
        """Yield one list of values per application, in COLUMNS order (personal fields decrypted)."""
        decrypt, unseal = vault().decrypt, vault().unseal
        kiosks = dict(Kiosk.select(Kiosk.id, Kiosk.name).tuples())
        events = dict(Event.select(Event.id, Event.name).tuples())
        tz = get_timezone()
        for (_id, receipt, nik_enc, name, personal_enc, sex, province, regency,
             district, village, phone_enc, occupation, transport, work_regency, income, jht,
             period, contribution, status, kpj, kiosk_id, event_id, created) in self.raw_rows():
            held = unseal(personal_enc)  # ISO birth date as stored
            yield [
                receipt, decrypt(nik_enc), name, held["birth_place"], held["birth_date"], sex, held["address"],
                province, regency, district, village, decrypt(phone_enc) if phone_enc else "",
                held["email"] or "", occupation, 1 if transport else 0, work_regency, income,
                "JKK+JKM+JHT" if jht else "JKK+JKM", period, contribution, status, kpj or "",
                kiosks.get(kiosk_id, ""), events.get(event_id, ""), _local_iso(created, tz),
            ]


def _local_iso(value, tz) -> str:
    """UTC as stored -> the desk's time zone with its offset: 2026-11-03T14:05:09+07:00."""
    if not isinstance(value, dt.datetime):
        return str(value or "")
    return value.replace(tzinfo=UTC).astimezone(tz).isoformat(timespec="seconds")


# --- writers ----------------------------------------------------------------------------------------

def csv_chunks(rows, columns=COLUMNS):
    """Yield the CSV (UTF-8, no BOM, CRLF rows as RFC 4180) in chunks of CSV_FLUSH_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    pending = 0
    for values in rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
        pending += 1
        if pending >= CSV_FLUSH_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def _xlsx_value(ws, value):
    """A text always becomes a string cell: openpyxl would store "=..." as a formula, "#N/A" as an error."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_chunks(rows, columns=COLUMNS, sheet_title="pendaftaran"):
    """Build the workbook in write-only mode into a private temp file, then stream and delete it.

    openpyxl's write-only mode writes inline strings (no shared-string table), so memory stays flat;
    the file is unlinked as soon as it is open for reading, so it disappears even if the client
    goes away mid-download.
    """
    fd, path = tempfile.mkstemp(prefix="kios-ekspor-", suffix=".xlsx")  # mode 0600
    os.close(fd)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title)
        sheet.append(columns)
        for values in rows:
            sheet.append([_xlsx_value(sheet, v) for v in values])
        workbook.save(path)
        with open(path, "rb") as fh:
            os.unlink(path)
            path = None
            while chunk := fh.read(FILE_CHUNK):
                yield chunk
    finally:
        if path is not None:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass


WRITERS = {"csv": csv_chunks, "xlsx": xlsx_chunks}


def filename(fmt: str, prefix: str = "kios-jamsos") -> str:
    """prefix-YYYYMMDD-HHMM.fmt in the desk's time zone; prefix must be plain ASCII (a header value)."""
    return to_user_timezone(utcnow()).strftime(f"{prefix}-%Y%m%d-%H%M.{fmt}")


def attachment(body, fmt: str, prefix: str = "kios-jamsos") -> Response:
    response = Response(body, content_type=MIME[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(fmt, prefix)}"'
    return response


def stream(fmt: str, snapshot: Snapshot, *, actor) -> Response:
    """Audit the export, then stream it as an attachment."""
    audit.record(audit.EXPORT, actor=actor, format=fmt, filters=snapshot.filter.audit_detail(),
                 rows=snapshot.count)
    return attachment(stream_with_context(WRITERS[fmt](snapshot.rows())), fmt)
