"""The worker list of a business visit, kept checked in the encrypted draft.

Each row keeps what was typed or uploaded ("raw") and what the check made of it. The whole list is
checked again after every change (kiosk.services.worker_list.check_rows), so duplicates within the
list are always current. Whether a NIK already holds an open application elsewhere is asked when the
list is sent on (and again on submit), rationed by kiosk.flow.nik_lookups; in between, the rows this visit
was told about stay flagged. Only a list with no problem left goes on to the next step and into the
database.
"""

import datetime as dt

from flask_babel import gettext as _, lazy_gettext as _l

from kiosk import messages
from kiosk.clock import today
from kiosk.regions import DbRegionLookup
from kiosk.services.rules import load_rules
from kiosk.services.worker_list import JOB_MAX_CHARS, MAX_ROWS, RawRow, check_rows

WAGE = {
    "empty": _l("Isi upah per bulan."),
    "not_number": _l("Tulis upah dengan angka saja. Contoh: 2500000."),
    "too_low": _l("Upah harus lebih dari 0."),
    "too_high": _l("Angka ini terlalu besar untuk upah per bulan. Periksa lagi."),
}
OTHER = {
    "formula": _l("Isian yang diawali =, +, - atau @ tidak diterima (bisa menjadi rumus di spreadsheet)."),
    "job_empty": _l("Isi pekerjaan atau jabatan."),
    "job_too_long": _l("Pekerjaan terlalu panjang (paling banyak %(max)s huruf)."),
    "registered": _l("NIK ini sudah terdaftar dan sedang diproses atau sudah aktif."),
    "number_cell": _l("NIK tersimpan sebagai angka sehingga angka terakhirnya hilang. Ubah format kolom NIK "
                      "menjadi Teks lalu ketik ulang NIK."),
}
FIELDS = ("nik", "full_name", "wage", "job")


def new_row(row_id: int, *, nik, full_name, wage, job, line=None) -> dict:
    """A list row from what was typed or read from a file (checked by check())."""
    return {"id": row_id, "line": line,
            "raw": {"nik": nik or "", "full_name": full_name or "", "wage": wage or "", "job": job or ""}}


def check(rows: list[dict], registered) -> list[dict]:
    """Check every row again (in place and returned): values, problems, duplicates, and the NIKs that
    registered(niks) says hold an open application (kiosk.flow.nik_lookups: asked, or only remembered)."""
    if not rows:
        return rows
    raw = [RawRow(line=row["id"], nik=row["raw"]["nik"], full_name=row["raw"]["full_name"],
                  wage=row["raw"]["wage"], job=row["raw"]["job"]) for row in rows]
    checked = check_rows(raw, regions=DbRegionLookup(), rules=load_rules(), today=today())
    for row, worker in zip(rows, checked, strict=True):
        info = worker.nik_info
        row.update(nik=worker.nik, full_name=worker.full_name, wage=worker.wage, job=worker.job,
                   birth_date=info.birth_date.isoformat() if info else None,
                   sex=info.sex if info else None, district_known=info.district_known if info else True,
                   problems=[[p.field, p.code, p.detail] for p in worker.problems])
    nik_ok = [row for row in rows if row["birth_date"] and not any(p[0] == "nik" for p in row["problems"])]
    taken = registered([row["nik"] for row in nik_ok])
    for row in nik_ok:
        if row["nik"] in taken:
            row["problems"].append(["nik", "registered", ""])
    return rows


def label(row: dict) -> str:
    """How a row is named in messages: its line in the uploaded file, or its place in the list."""
    if row.get("line"):
        return _("baris %(n)s", n=row["line"])
    return _("pekerja tambahan %(n)s", n=row.get("position", row["id"]))


def message(problem, rows_by_id: dict | None = None) -> str:
    """The translated message for one [field, code, detail] problem."""
    field, code, detail = problem
    if code == "duplicate_in_list":
        other = (rows_by_id or {}).get(_int(detail))
        return _("NIK ini sama dengan %(other)s.", other=label(other) if other else str(detail))
    if code in OTHER:
        text = str(OTHER[code])
        return text % {"max": JOB_MAX_CHARS} if "%(max)s" in text else text
    if field == "nik" and code in messages.NIK:
        return str(messages.NIK[code])
    if field == "full_name" and code in messages.NAME:
        return str(messages.NAME[code]) % {"max": 100}
    if field == "wage" and code in WAGE:
        return str(WAGE[code])
    return _("Isian ini tidak dapat dipakai.")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def errors_by_field(row: dict, rows_by_id: dict) -> dict:
    """{field: [message, ...]} for one row ("row"-level problems go under "nik", the first field)."""
    found: dict = {}
    for problem in row.get("problems") or ():
        field = problem[0] if problem[0] in FIELDS else "nik"
        found.setdefault(field, []).append(message(problem, rows_by_id))
    return found


class WorkerList:
    """The "workers" section of a business visit."""

    def __init__(self, section: dict):
        self.rows: list[dict] = list(section.get("rows") or [])
        self.next_id: int = int(section.get("next_id") or 1)
        for position, row in enumerate(self.rows, start=1):
            row["position"] = position

    def as_section(self) -> dict:
        return {"rows": [{k: v for k, v in row.items() if k != "position"} for row in self.rows],
                "next_id": self.next_id}

    @property
    def by_id(self) -> dict:
        return {row["id"]: row for row in self.rows}

    def find(self, row_id) -> dict | None:
        return self.by_id.get(_int(row_id))

    @property
    def bad(self) -> list[dict]:
        return [row for row in self.rows if row.get("problems")]

    @property
    def good(self) -> list[dict]:
        return [row for row in self.rows if not row.get("problems")]

    @property
    def ready(self) -> bool:
        """Every row checked and fine, and at least one worker."""
        return bool(self.rows) and not self.bad

    def room(self) -> int:
        return MAX_ROWS - len(self.rows)

    def add(self, *, nik, full_name, wage, job, line=None) -> dict:
        row = new_row(self.next_id, nik=nik, full_name=full_name, wage=wage, job=job, line=line)
        self.next_id += 1
        self.rows.append(row)
        row["position"] = len(self.rows)
        return row

    def remove(self, row_id) -> bool:
        before = len(self.rows)
        self.rows = [row for row in self.rows if row["id"] != _int(row_id)]
        self._renumber()
        return len(self.rows) != before

    def remove_bad(self) -> int:
        before = len(self.rows)
        self.rows = self.good
        self._renumber()
        return before - len(self.rows)

    def _renumber(self):
        for position, row in enumerate(self.rows, start=1):
            row["position"] = position

    def check(self, registered) -> "WorkerList":
        check(self.rows, registered)
        return self

    def errors(self) -> dict:
        """{row id: {field: [messages]}} for the rows with problems."""
        rows_by_id = self.by_id
        return {row["id"]: errors_by_field(row, rows_by_id) for row in self.bad}

    def wages(self) -> list[int]:
        return [row["wage"] for row in self.good]


def birth_date(row: dict) -> dt.date | None:
    return dt.date.fromisoformat(row["birth_date"]) if row.get("birth_date") else None
