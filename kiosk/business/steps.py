"""The business flow's steps: their order and screens, the upload limits they explain, and what each step shows
when the database is away."""

from functools import partial

from flask_babel import gettext as _, lazy_gettext as _l

from kiosk.business import bp, visit
from kiosk.business.forms import (
    KINDS,
    BusinessForm,
    OwnerForm,
)
from kiosk.db import UNAVAILABLE
from kiosk.flow import nik_lookups, steps
from kiosk.flow.regions import REGION_LEVELS, cascade_offline_safe
from kiosk.flow.screens import render_screen as render_walkin_screen
from kiosk.forms import ConsentForm
from kiosk.sectors import SECTORS as SECTOR_LIST
from kiosk.services.worker_list import (
    COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
)

STEP_ENDPOINTS = {
    "consent": "business.consent",
    "business": "business.details",
    "owner": "business.owner",
    "workers": "business.workers",
    "program": "business.program",
}
MAX_MB = MAX_UPLOAD_BYTES // 1_000_000  # the limit as people say it (1 MB)

UPLOAD_REFUSED = {
    "too_large": _l("File terlalu besar. Batasnya %(mb)s MB; bagi daftar menjadi beberapa file."),
    "not_spreadsheet": _l("File ini bukan CSV atau Excel (.xlsx). Unduh templat di bawah lalu isi."),
    "empty": _l("File ini kosong. Isi satu pekerja per baris di bawah judul kolom."),
    "no_header": _l("Judul kolom tidak dikenali. Baris pertama harus berisi kolom: %(columns)s (seperti templat)."),
    "too_many_rows": _l("Terlalu banyak baris. Satu pendaftaran paling banyak %(max)s pekerja."),
    "unreadable": _l("File tidak dapat dibaca. Simpan ulang sebagai CSV atau .xlsx lalu coba lagi."),
}


def upload_message(code: str) -> str:
    """The translated message for an UploadRefused code, with the limits filled in."""
    text = str(UPLOAD_REFUSED.get(code, UPLOAD_REFUSED["unreadable"]))
    return text % {"mb": MAX_MB, "max": MAX_ROWS, "columns": ", ".join(COLUMNS)} if "%(" in text else text


# The walk-in's render_screen, in a page that also loads the business styles.
render_screen = partial(render_walkin_screen, page_template="business/page.html")


class BusinessFlow(steps.Flow):
    def context(self, step: str, current=None, **extra):
        """The step counter, and whether a koperasi is registering (the screens word some things so)."""
        kind = (current.section("business").get("kind") if current else None) or "umkm"
        return super().context(step, koperasi=kind == "koperasi", **extra)


FLOW = BusinessFlow(STEP_ENDPOINTS, visit=visit, submitted="business", review="business.review",
                    receipt="business.receipt", render=render_screen,
                    step_screen=lambda endpoint: _step_screen(endpoint),
                    retry_screen=lambda endpoint: _retry_screen(endpoint))
bp.register_error_handler(nik_lookups.LookupRefused, FLOW.nik_refused)
for _error in UNAVAILABLE:
    bp.register_error_handler(_error, FLOW.database_unavailable)
next_after = FLOW.next_after
step_context = FLOW.context


# --- Database unavailable: keep what the person typed (kiosk.flow.unavailable) ----------------------------

def _step_screen(endpoint):
    """(template, title, form, context) of the step this POST came from, built without the database."""
    if endpoint == "business.consent":
        return "business/consent.html", _("Persetujuan data pribadi"), ConsentForm(), step_context("consent")
    if endpoint == "business.details":
        form = BusinessForm()
        cascade_offline_safe(form, REGION_LEVELS)
        return ("business/business.html", _("Data usaha"), form,
                dict(sectors=SECTOR_LIST, kinds=KINDS, **step_context("business")))
    if endpoint == "business.owner":
        return "business/owner.html", _("Pemilik usaha"), OwnerForm(), dict(summary=None, **step_context("owner"))
    return None


def _retry_screen(endpoint):
    """(button label, step) of a step whose screen needs the draft: it offers to send the same form again. An
    upload is not offered again (its file is not kept): the generic page asks to try again."""
    return {"business.workers": (_("Lanjut"), "workers"),
            "business.add_worker": (_("Tambahkan ke daftar"), "workers"),
            "business.fix_worker": (_("Simpan baris ini"), "workers"),
            "business.remove_worker": (_("Hapus"), "workers"),
            "business.program": (_("Lanjut"), "program"),
            "business.submit": (_("Kirim pendaftaran"), "review")}.get(endpoint)
