"""The workers step: the list the owner builds by hand or by uploading a CSV/XLSX file, each row checked, fixed
or removed before anything is saved; and the downloadable templates."""


from flask import make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk import businesses
from kiosk.business import bp, visit
from kiosk.business.forms import (
    WorkerForm,
)
from kiosk.business.steps import FLOW, MAX_MB, next_after, render_screen, step_context, upload_message
from kiosk.business.worker_list import WorkerList, errors_by_field, label as row_label
from kiosk.flow import nik_lookups
from kiosk.forms import StepForm
from kiosk.services.worker_list import (
    COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    UploadRefused,
    read_upload,
    template_csv,
    template_xlsx,
)
from kiosk.web.htmx import wants_fragment
from kiosk.web.navigation import see_other
from kiosk.web.uploads import takes_upload

# --- The list -------------------------------------------------------------------------------------

def workers_screen(current, *, listed: WorkerList | None = None, add_form=None, add_errors=None,
                   upload_error=None, list_error=None, editing=None, edit_values=None, status=200,
                   notice=None, read_form=True):
    """The workers step: the list (rows with problems first, as forms), add-one, upload, template."""
    listed = listed or WorkerList(current.section("workers"))
    errors = listed.errors()
    if editing is not None and editing not in errors:
        row = listed.find(editing)
        if row:
            errors[row["id"]] = errors_by_field(row, listed.by_id)
    return render_screen(
        "business/workers.html", status=status, title=_("Daftar pekerja"),
        listed=listed, errors=errors, editing=editing, edit_values=edit_values or {},
        add_form=add_form or WorkerForm(formdata=None), add_errors=add_errors or {},
        upload_error=upload_error, list_error=list_error, notice=notice,
        max_rows=MAX_ROWS, max_mb=MAX_MB, max_bytes=MAX_UPLOAD_BYTES, columns=COLUMNS,
        # read_form=False: the body could not be read (too large); the forms must not try again.
        form=StepForm(back_to=request.args.get("kembali"), **({} if read_form else {"formdata": None})),
        row_label=row_label,
        **step_context("workers", current))


def asking(current):
    """The worker list's registered() that asks the register (rationed: kiosk.flow.nik_lookups)."""
    return nik_lookups.asking(current, businesses.taken_niks)


def save_list(current, listed: WorkerList):
    current.save("workers", listed.as_section() if listed.rows else {})


@bp.route("/usaha/pekerja", methods=["GET", "POST"])
def workers():
    """Show the worker list; POST goes on once every row is fine."""
    current = FLOW.visit_at("workers")
    if request.method == "POST":
        form = StepForm(back_to=request.args.get("kembali"))  # its CSRF token and back_to
        if form.validate_on_submit():
            listed = WorkerList(current.section("workers")).check(asking(current))
            save_list(current, listed)
            if listed.ready:
                return next_after(current, "workers", form)
            message = (_("Tambahkan paling sedikit satu pekerja.") if not listed.rows else
                       _("Perbaiki atau hapus %(n)s baris yang salah dulu. Belum ada yang disimpan.",
                         n=len(listed.bad)))
            return workers_screen(current, listed=listed, list_error=message, status=422)
    editing = request.args.get("ubah", type=int)
    return workers_screen(current, editing=editing)


def _row_input():
    return {name: (request.form.get(name) or "")[:300] for name in ("nik", "full_name", "wage", "job")}


@bp.post("/usaha/pekerja/tambah")
def add_worker():
    """Add one worker typed by hand; a row with a problem is not added, its form shows why."""
    current = FLOW.visit_at("workers")
    form = WorkerForm()
    if not form.validate_on_submit():  # CSRF
        return workers_screen(current, status=400)
    listed = WorkerList(current.section("workers"))
    if listed.room() <= 0:
        return workers_screen(current, add_form=form, status=422,
                              list_error=_("Satu pendaftaran paling banyak %(max)s pekerja.", max=MAX_ROWS))
    row = listed.add(**_row_input())
    listed.check(nik_lookups.known(current))
    if row.get("problems"):
        add_errors = errors_by_field(row, listed.by_id)
        listed.remove(row["id"])
        return workers_screen(current, listed=listed, add_form=form, add_errors=add_errors, status=422)
    save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/ubah")
def fix_worker():
    """Save the corrected values of one listed row (checked again with the whole list)."""
    current = FLOW.visit_at("workers")
    form = WorkerForm()
    listed = WorkerList(current.section("workers"))
    row = listed.find(form.row.data)
    if not form.validate_on_submit() or row is None:
        return see_other("business.workers")
    row["raw"] = _row_input()
    listed.check(nik_lookups.known(current))
    if row.get("problems"):  # shown with what was typed, but the draft keeps the row as it was
        return workers_screen(current, listed=listed, editing=row["id"], status=422)
    save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/hapus")
def remove_worker():
    """Remove one row, or every row with a problem ("bad"), or the whole list ("all")."""
    current = FLOW.visit_at("workers")
    form = StepForm()
    if form.validate_on_submit():
        listed = WorkerList(current.section("workers"))
        which = request.form.get("remove", "")
        if which == "all":
            listed.rows = []
        elif which == "bad":
            listed.remove_bad()
        else:
            listed.remove(which)
        listed.check(nik_lookups.known(current))  # a duplicate's twin may be fine now
        save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/unggah")
@takes_upload(MAX_UPLOAD_BYTES)
def upload_workers():
    """Read a CSV/XLSX worker list in memory (never stored as a file) and add its rows to the list."""
    current = FLOW.visit_at("workers")
    form = StepForm()
    if not form.validate_on_submit():
        return workers_screen(current, status=400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return workers_screen(current, upload_error=_("Pilih file daftar pekerja dulu."), status=422)
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    try:
        rows = read_upload(upload.filename, data)
    except UploadRefused as exc:
        return workers_screen(current, upload_error=upload_message(exc.code), status=422)
    finally:
        upload.close()
    listed = WorkerList(current.section("workers"))
    if len(rows) > listed.room():
        return workers_screen(current, upload_error=upload_message("too_many_rows"), status=422)
    for raw in rows:
        listed.add(nik=raw.nik, full_name=raw.full_name, wage=raw.wage, job=raw.job, line=raw.line)
    listed.check(nik_lookups.known(current))
    save_list(current, listed)
    if listed.bad:
        return workers_screen(current, listed=listed, status=422, list_error=_(
            "%(n)s baris perlu diperbaiki atau dihapus. Belum ada yang disimpan sampai semua baris benar.",
            n=len(listed.bad)))
    return see_other("business.workers")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    """An oversized upload re-renders the workers step with the limit (never a bare 413)."""
    current = visit.current()
    if request.endpoint == "business.upload_workers" and current and not current.business:
        # A body over the limit is a file too big; otherwise the form itself was odd (too many parts, a huge field).
        too_big = (request.content_length or 0) > (request.max_content_length or 0)
        message = upload_message("too_large") if too_big else _(
            "Kirim hanya satu file daftar pekerja lewat tombol Unggah dan periksa.")
        body, _status = workers_screen(current, upload_error=message, read_form=False)
        return body, 200 if wants_fragment("screen") else 413
    return render_template("error.html", title=_("Isian terlalu panjang"),
                           message=_("Periksa lagi isian Anda lalu coba lagi."), lang_next="/"), 413


TEMPLATES = {"csv": (template_csv, "text/csv; charset=utf-8"),
             "xlsx": (template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


@bp.get("/usaha/pekerja/templat.<any(csv, xlsx):fmt>")
def worker_template(fmt):
    """Download the worker-list template as CSV or an Excel workbook."""
    build, content_type = TEMPLATES[fmt]
    response = make_response(build())
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="templat-daftar-pekerja.{fmt}"'
    return response
