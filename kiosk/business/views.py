"""Views of the business flow: consent, business, owner, workers, programs, review, receipt.

Each step: GET shows the form from the draft, POST validates and moves on (303), the same htmx-swap /
full-page pattern as the walk-in flow, whose helpers (step order, region cascade, screens, visit) are reused.
"""

from functools import partial

from flask import current_app, make_response, render_template, request
from flask_babel import format_decimal, get_locale, gettext as _, lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk import businesses, messages, nik_lookups, steps
from kiosk.business import bp, visit
from kiosk.business.forms import (
    KINDS, RISK_LABELS, SCALE_LABELS, BusinessForm, OwnerForm, ProgramForm, WorkerForm,
)
from kiosk.business.sectors import BY_CODE as SECTORS, SECTORS as SECTOR_LIST
from kiosk.business.workers import WorkerList, errors_by_field, label as row_label
from kiosk.extensions import limiter
from kiosk.models import Registration
from kiosk.nik_summary import identity_summary, quiet_parse, typing_state
from kiosk.pages import takes_upload
from kiosk.receipts import claim_autoprint, paper_mm, public_url
from kiosk.regions import DbRegionLookup, name_of
from kiosk.services.contributions import load_rules
from kiosk.services.nik import InvalidNik, parse_nik
from kiosk.services.person import mask_name
from kiosk.services.qr import qr_svg
from kiosk.services.wage_contributions import RISK_GROUPS, SCALES, programs_for, quote_business
from kiosk.services.worker_list import (
    COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES, UploadRefused, read_upload, template_csv, template_xlsx,
)
from kiosk.walkin.forms import StepForm, today
from kiosk.walkin.screens import render_screen as render_walkin_screen
from kiosk.walkin.views import REGION_LEVELS, cascade

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
                    receipt="business.receipt", render=render_screen)
bp.register_error_handler(nik_lookups.LookupRefused, FLOW.nik_refused)
see_other = steps.see_other
require_visit = FLOW.require_visit
next_after = FLOW.next_after
step_context = FLOW.context


# --- Start and consent -------------------------------------------------------------------------

@bp.post("/usaha")
@limiter.shared_limit(lambda: current_app.config["VISIT_START_LIMIT"], scope="visit-start",
                      on_breach=FLOW.too_many_starts)
def start():
    """Begin a business visit (a fresh draft) and go to the consent screen."""
    return FLOW.start()


@bp.route("/usaha/persetujuan", methods=["GET", "POST"])
def consent():
    """Explain what is collected about the owner and the workers; go on only with consent."""
    return FLOW.consent("business/_consent.html")


# --- Business ------------------------------------------------------------------------------------

@bp.route("/usaha/data", methods=["GET", "POST"])
def details():
    """Ask kind, NIB, name, scale, sector and address of the business."""
    current, detour = require_visit("business")
    if detour:
        return detour
    saved = current.section("business")
    form = BusinessForm(data=saved or {"kind": "umkm"}, back_to=request.args.get("kembali"))
    cascade(form, REGION_LEVELS)
    refreshing = request.method == "POST" and "refresh" in request.form
    if request.method == "POST" and not refreshing and form.validate():
        current.save("business", {
            "kind": form.kind.data, "nib": form.nib.data, "name": form.name.data, "scale": form.scale.data,
            "sector": form.sector.data, "address": form.address.data, "province": form.province.data,
            "regency": form.regency.data, "district": form.district.data, "village": form.village.data,
        })
        program = current.section("program")
        if program:  # the scale is asked here and may be changed on the program step: keep one value
            current.save("program", {**program, "scale": form.scale.data})
        return next_after(current, "business", form)
    return render_screen("business/_business.html", status=422 if form.errors else 200,
                         title=_("Data usaha"), form=form, sectors=SECTOR_LIST, kinds=KINDS,
                         **step_context("business", current))


# --- Owner ---------------------------------------------------------------------------------------

@bp.route("/usaha/pemilik", methods=["GET", "POST"])
def owner():
    """Ask the owner's (or koperasi officer's) NIK, name and contact."""
    current, detour = require_visit("owner")
    if detour:
        return detour
    saved = current.section("owner")
    form = OwnerForm(data=saved, back_to=request.args.get("kembali"))
    if request.method == "POST" and form.validate():
        current.save("owner", {"nik": form.nik_info.nik, "full_name": form.full_name.data,
                               "phone": form.phone.data, "email": (form.email.data or "").strip()})
        return next_after(current, "owner", form)
    info = form.nik_info or (quiet_parse(form.nik.data) if form.nik.data and not form.nik.errors else None)
    return render_screen("business/_owner.html", status=422 if form.errors else 200,
                         title=_("Pemilik usaha"), form=form, summary=identity_summary(info) if info else None,
                         **step_context("owner", current))


@bp.post("/usaha/nik")
def check_nik():
    """Read a NIK as it is typed (owner or worker): what it says, or what is wrong (htmx fragment)."""
    current = visit.current()
    if current is None:
        return "", 204
    raw = request.form.get("nik", "")[:64]
    target = "worker-nik-check" if request.form.get("for") == "worker" else "owner-nik-check"
    digits, still_typing = typing_state(raw)
    error = info = None
    if raw.strip() and not still_typing:
        try:
            info = parse_nik(raw, DbRegionLookup(), today())
        except InvalidNik as exc:
            error = messages.NIK[exc.code]
        # This visit's own list only: whether the NIK is registered is for the submitted step.
        if info and target == "worker-nik-check":
            listed = WorkerList(current.section("workers"))
            if any(row.get("nik") == info.nik for row in listed.rows):
                error = _("NIK ini sudah ada di daftar pekerja.")
    return render_template("business/_nik_check.html", check_id=target, error=error,
                           digits=digits, still_typing=still_typing and bool(raw.strip()),
                           summary=identity_summary(info) if info and not error else None)


# --- Workers -------------------------------------------------------------------------------------

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
        "business/_workers.html", status=status, title=_("Daftar pekerja"),
        listed=listed, errors=errors, editing=editing, edit_values=edit_values or {},
        add_form=add_form or WorkerForm(formdata=None), add_errors=add_errors or {},
        upload_error=upload_error, list_error=list_error, notice=notice,
        max_rows=MAX_ROWS, max_mb=MAX_MB, max_bytes=MAX_UPLOAD_BYTES, columns=COLUMNS,
        # read_form=False: the body could not be read (too large); the forms must not try again.
        form=StepForm(back_to=request.args.get("kembali"), **({} if read_form else {"formdata": None})),
        row_label=row_label,
        **step_context("workers", current))


def asking(current):
    """The worker list's registered() that asks the register (rationed: kiosk.nik_lookups)."""
    return nik_lookups.asking(current, businesses.taken_niks)


def _save_list(current, listed: WorkerList):
    current.save("workers", listed.as_section() if listed.rows else {})


def _workers_visit():
    current, detour = require_visit("workers")
    return current, detour


@bp.route("/usaha/pekerja", methods=["GET", "POST"])
def workers():
    """Show the worker list; POST goes on once every row is fine."""
    current, detour = _workers_visit()
    if detour:
        return detour
    if request.method == "POST":
        form = StepForm(back_to=request.args.get("kembali"))  # its CSRF token and back_to
        if form.validate_on_submit():
            listed = WorkerList(current.section("workers")).check(asking(current))
            _save_list(current, listed)
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
    current, detour = _workers_visit()
    if detour:
        return detour
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
    _save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/ubah")
def fix_worker():
    """Save the corrected values of one listed row (checked again with the whole list)."""
    current, detour = _workers_visit()
    if detour:
        return detour
    form = WorkerForm()
    listed = WorkerList(current.section("workers"))
    row = listed.find(form.row.data)
    if not form.validate_on_submit() or row is None:
        return see_other("business.workers")
    row["raw"] = _row_input()
    listed.check(nik_lookups.known(current))
    if row.get("problems"):  # shown with what was typed, but the draft keeps the row as it was
        return workers_screen(current, listed=listed, editing=row["id"], status=422)
    _save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/hapus")
def remove_worker():
    """Remove one row, or every row with a problem ("bad"), or the whole list ("all")."""
    current, detour = _workers_visit()
    if detour:
        return detour
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
        _save_list(current, listed)
    return see_other("business.workers")


@bp.post("/usaha/pekerja/unggah")
@takes_upload(MAX_UPLOAD_BYTES)
def upload_workers():
    """Read a CSV/XLSX worker list in memory (never stored as a file) and add its rows to the list."""
    current, detour = _workers_visit()
    if detour:
        return detour
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
    _save_list(current, listed)
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
        return body, 413 if not request.headers.get("HX-Request") else 200
    return render_template("error.html", title=_("Isian terlalu panjang"),
                           message=_("Periksa lagi isian Anda lalu coba lagi."), lang_next="/"), 413


@bp.get("/usaha/pekerja/templat.csv")
def template_csv_download():
    """Download the worker-list template as CSV."""
    response = make_response(template_csv())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="templat-daftar-pekerja.csv"'
    return response


@bp.get("/usaha/pekerja/templat.xlsx")
def template_xlsx_download():
    """Download the worker-list template as an Excel workbook."""
    response = make_response(template_xlsx())
    response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = 'attachment; filename="templat-daftar-pekerja.xlsx"'
    return response


# --- Programs and contributions ------------------------------------------------------------------

def _choice(value, allowed, fallback=None):
    return value if value in allowed else fallback


def quote_for(current, scale, risk_group):
    """(BusinessQuote or None, programs) for the listed workers at this scale and risk group."""
    scale = _choice(scale, SCALES)
    try:
        group = int(risk_group) if risk_group not in (None, "") else None
    except (TypeError, ValueError):
        group = None
    group = _choice(group, RISK_GROUPS)
    rules = load_rules()
    if scale is None:
        return None, ()
    programs = programs_for(scale, rules.pu_for(today()))
    if group is None:
        return None, programs
    wages = WorkerList(current.section("workers")).wages()
    return quote_business(wages, scale=scale, risk_group=group, day=today(), rules=rules), programs


PROGRAM_NAMES = {
    "JKK": _l("JKK (kecelakaan kerja)"), "JKM": _l("JKM (kematian)"),
    "JHT": _l("JHT (hari tua)"), "JP": _l("JP (pensiun)"),
}


def percent(rate) -> str:
    """0.0024 -> "0,24%" (in the visit's language)."""
    return format_decimal(rate * 100, format="#,##0.##") + "%"


def program_context(current, scale, risk_group):
    quote, programs = quote_for(current, scale, risk_group)
    pu = load_rules().pu_for(today())
    listed = WorkerList(current.section("workers"))
    totals: dict = {program: [0, 0] for program in programs}
    for worker_quote in quote.workers if quote else ():
        for line in worker_quote.lines:
            totals[line.program][0] += line.employer
            totals[line.program][1] += line.worker
    return {"quote": quote, "programs": programs, "pu": pu, "program_totals": totals,
            "program_names": PROGRAM_NAMES, "risk_labels": RISK_LABELS, "scale_labels": SCALE_LABELS,
            "worker_quotes": list(zip(listed.good, quote.workers)) if quote else [],
            "jp_capped": bool(quote) and any(w.jp_capped for w in quote.workers),
            "risk_rates": {g: percent(pu.jkk_risk_rates[g - 1]) for g in RISK_GROUPS},
            "scale_programs": {s: programs_for(s, pu) for s in SCALES}}


@bp.route("/usaha/program", methods=["GET", "POST"])
def program():
    """Choose the scale and the JKK risk group, with a live calculator per worker and in total."""
    current, detour = require_visit("program")
    if detour:
        return detour
    saved = current.section("program")
    scale = saved.get("scale") or current.section("business").get("scale")
    form = ProgramForm(data={"scale": scale, "risk_group": str(saved["risk_group"]) if saved else None},
                       back_to=request.args.get("kembali"))
    if request.method == "POST" and "refresh" not in request.form and form.validate():
        current.save_all({"program": {"scale": form.scale.data, "risk_group": int(form.risk_group.data)},
                          "business": {**current.section("business"), "scale": form.scale.data}})
        return next_after(current, "program", form)
    return render_screen("business/_program.html", status=422 if form.errors else 200,
                         title=_("Program dan iuran"), form=form,
                         **program_context(current, form.scale.data, form.risk_group.data),
                         **step_context("program", current))


@bp.post("/usaha/program/hitung")
def program_quote():
    """Recalculate the contributions for the current choice (htmx fragment)."""
    current, detour = require_visit("program")
    if detour:
        return "", 204
    form = ProgramForm()
    return render_template("business/_quote.html",
                           **program_context(current, form.scale.data, form.risk_group.data))


# --- Review and submit ---------------------------------------------------------------------------

def review_context(current):
    business, program_answers = current.section("business"), current.section("program")
    listed = WorkerList(current.section("workers"))
    quote, programs = quote_for(current, program_answers["scale"], program_answers["risk_group"])
    return {
        "business": business, "owner": current.section("owner"), "program": program_answers,
        "workers_list": listed.good, "quote": quote, "programs": programs,
        "sector": SECTORS.get(business["sector"]), "scale_label": SCALE_LABELS.get(program_answers["scale"]),
        "risk_label": RISK_LABELS.get(int(program_answers["risk_group"])),
        "region_names": {key: name_of(business.get(key)) for key in ("province", "regency", "district", "village")},
    }


@bp.get("/usaha/periksa")
def review():
    """Show everything with an edit link per section, then Submit."""
    current, detour = require_visit("review")
    if detour:
        return detour
    return render_screen("business/_review.html", title=_("Periksa kembali"), form=StepForm(),
                         **review_context(current), **step_context("review", current))


@bp.post("/usaha/kirim")
@limiter.limit(lambda: current_app.config["SUBMIT_LIMIT"])
def submit():
    """Create the business and all its workers once (a double tap lands on the same receipt)."""
    current, detour = FLOW.submit_detour()
    if detour:
        return detour
    form = StepForm()
    if not form.validate_on_submit():
        return see_other("business.review")
    listed = WorkerList(current.section("workers")).check(asking(current))
    if not listed.ready:  # a worker was registered elsewhere since the list was checked
        _save_list(current, listed)
        return see_other("business.workers")
    context = review_context(current)
    try:
        businesses.submit(current.draft, current.data, workers=listed.good, quote=context["quote"],
                          programs=context["programs"], consent_version=current.section("consent")["version"],
                          kiosk=current.draft.kiosk, locale=str(get_locale()))
    except businesses.WorkersTaken:
        _save_list(current, listed.check(asking(current)))
        return see_other("business.workers")
    return see_other("business.receipt")


# --- Receipt -------------------------------------------------------------------------------------

@bp.get("/usaha/tanda-terima")
def receipt():
    """Show (and in kiosk mode print once) the business receipt, then one QR slip per worker."""
    current = visit.current()
    if current is None or current.business is None:
        return see_other("walkin.welcome")
    business = current.business
    autoprint = claim_autoprint(current)
    workers_rows = list(Registration.select().where(Registration.business == business).order_by(Registration.id))
    business_url = public_url("business.status", business.token)
    slips = []
    for worker in workers_rows:
        url = public_url("status.show", worker.token)
        slips.append({"worker": worker, "masked_name": mask_name(worker.full_name), "url": url,
                      "qr": qr_svg(url, title=_("QR status pekerja"))})
    return render_screen("business/_receipt.html", title=_("Tanda terima"), business=business,
                         business_url=business_url, qr=qr_svg(business_url, title=_("QR status usaha")),
                         slips=slips, autoprint=autoprint, form=StepForm(),
                         koperasi=business.kind == "koperasi",
                         paper=paper_mm())
