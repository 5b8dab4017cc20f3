"""Workers of businesses as an employer's collective workers upload ("upload tenaga kerja kolektif").

One row per worker, in the order they were registered. The column set is this project's reading of
what such an upload needs (no published BPJS Ketenagakerjaan template could be confirmed); see the
README. Rejected workers are left out: they are not to be registered.

Every text cell is neutralised (kiosk.services.spreadsheet) in both CSV and XLSX, because this file
is meant to travel on into other spreadsheets and upload tools. NIKs are decrypted in full: only
supervisors export, and every export is audited. Rows are streamed in keyset batches like
kiosk.staff.export, as a snapshot up to the highest worker id when the export starts.
"""

from __future__ import annotations

import datetime as dt

from flask import stream_with_context
from peewee import fn

from kiosk import audit
from kiosk.crypto import vault
from kiosk.models import Business, Registration
from kiosk.services.spreadsheet import neutralise
from kiosk.services.workflow import REJECTED
from kiosk.staff import export

COLUMNS = (
    "NIK", "Nama Lengkap", "Tempat Lahir", "Tanggal Lahir (DD-MM-YYYY)", "Jenis Kelamin (L/P)", "Upah (Rp)",
    "Jabatan / Pekerjaan", "Program", "NIB Perusahaan", "Nama Perusahaan",
)
FIELDS = (
    Registration.id, Registration.nik_enc, Registration.full_name, Registration.personal_enc,
    Registration.sex, Registration.monthly_income, Registration.job,
    Registration.programs, Business.nib, Business.name,
)
SHEET_TITLE = "tenaga kerja"
FILE_PREFIX = "upload-tk-kolektif"


class WorkerSnapshot:
    """The workers to export: of one business, or of every business a BusinessFilter selects."""

    def __init__(self, *, business: Business | None = None, business_filter=None):
        self.business = business
        self.filter = business_filter
        self.upper_id = Registration.select(fn.MAX(Registration.id)).scalar() or 0
        self.count = self._query(Registration.select()).where(Registration.id <= self.upper_id).count()

    def _query(self, query):
        query = (query.join(Business, on=(Registration.business == Business.id))
                 .where(Registration.kind == "pu", Registration.status != REJECTED))
        if self.business is not None:
            return query.where(Registration.business == self.business.id)
        return self.filter.apply(query) if self.filter is not None else query

    def raw_rows(self):
        """Yield FIELDS tuples in registration order, export.BATCH rows per query."""
        base = self._query(Registration.select(*FIELDS))
        last = 0
        while True:
            seen = 0
            query = (base.where(Registration.id > last, Registration.id <= self.upper_id)
                     .order_by(Registration.id).limit(export.BATCH))
            for row in query.tuples().iterator():
                seen += 1
                last = row[0]
                yield row
            if seen < export.BATCH:
                return

    def rows(self):
        """Yield one list per worker in COLUMNS order, personal fields decrypted and every text neutralised."""
        decrypt, unseal = vault().decrypt, vault().unseal
        for (_id, nik_enc, name, personal_enc, sex, wage, job, programs, nib, business_name) in self.raw_rows():
            held = unseal(personal_enc)
            values = [decrypt(nik_enc), name, held["birth_place"], _day_month_year(held["birth_date"]), sex,
                      wage, job or "", (programs or "").replace(",", "+"), nib, business_name]
            yield [neutralise(v) if isinstance(v, str) else v for v in values]

    def audit_detail(self) -> dict:
        if self.business is not None:
            return {"business": self.business.id}
        return {"filters": self.filter.audit_detail() if self.filter is not None else {}}


def _day_month_year(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")


def stream(fmt: str, snapshot: WorkerSnapshot, *, actor):
    """Audit the export (full NIKs leave the server), then stream it as an attachment."""
    subject = f"business:{snapshot.business.id}" if snapshot.business is not None else ""
    audit.record(audit.EXPORT, actor=actor, subject=subject, format=fmt, collective=True, full_nik=True,
                 rows=snapshot.count, **snapshot.audit_detail())
    if fmt == "csv":
        body = export.csv_chunks(snapshot.rows(), COLUMNS)
    else:
        body = export.xlsx_chunks(snapshot.rows(), COLUMNS, SHEET_TITLE)
    return export.attachment(stream_with_context(body), fmt, FILE_PREFIX)
