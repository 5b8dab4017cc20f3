"""Views of the business flow: consent, business, owner, programs, review, receipt (the workers step:
kiosk.business.workers).

Each step: GET shows the form from the draft, POST validates and moves on (303), the same htmx-swap /
full-page pattern as the walk-in flow, with the shared kiosk screens toolkit (kiosk.flow).
"""


from flask import current_app, render_template, request
from flask_babel import format_decimal, get_locale, gettext as _, lazy_gettext as _l

from kiosk import businesses, messages
from kiosk.business import bp, visit
from kiosk.business.forms import (
    KINDS,
    RISK_LABELS,
    SCALE_LABELS,
    BusinessForm,
    OwnerForm,
    ProgramForm,
)
from kiosk.business.steps import FLOW, next_after, render_screen, step_context
from kiosk.business.worker_list import WorkerList
from kiosk.business.workers import asking, save_list
from kiosk.clock import today
from kiosk.flow.nik import identity_summary, quiet_parse, typing_state
from kiosk.flow.receipts import claim_autoprint, paper_mm, public_url
from kiosk.flow.regions import REGION_LEVELS, cascade
from kiosk.forms import StepForm
from kiosk.regions import DbRegionLookup, name_of
from kiosk.sectors import BY_CODE as SECTORS, SECTORS as SECTOR_LIST
from kiosk.services.nik import InvalidNik, parse_nik
from kiosk.services.person import mask_name
from kiosk.services.qr import qr_svg
from kiosk.services.rules import load_rules
from kiosk.services.wage_contributions import RISK_GROUPS, SCALES, programs_for, quote_business
from kiosk.web.extensions import limiter
from kiosk.web.navigation import see_other

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
    return FLOW.consent("business/consent.html")


# --- Business ------------------------------------------------------------------------------------

@bp.route("/usaha/data", methods=["GET", "POST"])
def details():
    """Ask kind, NIB, name, scale, sector and address of the business."""
    current = FLOW.visit_at("business")
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
    return render_screen("business/business.html", status=422 if form.errors else 200,
                         title=_("Data usaha"), form=form, sectors=SECTOR_LIST, kinds=KINDS,
                         **step_context("business", current))


# --- Owner ---------------------------------------------------------------------------------------

@bp.route("/usaha/pemilik", methods=["GET", "POST"])
def owner():
    """Ask the owner's (or koperasi officer's) NIK, name and contact."""
    current = FLOW.visit_at("owner")
    saved = current.section("owner")
    form = OwnerForm(data=saved, back_to=request.args.get("kembali"))
    if request.method == "POST" and form.validate():
        current.save("owner", {"nik": form.nik_info.nik, "full_name": form.full_name.data,
                               "phone": form.phone.data, "email": (form.email.data or "").strip()})
        return next_after(current, "owner", form)
    info = form.nik_info or (quiet_parse(form.nik.data) if form.nik.data and not form.nik.errors else None)
    return render_screen("business/owner.html", status=422 if form.errors else 200,
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
    current = FLOW.visit_at("program")
    saved = current.section("program")
    scale = saved.get("scale") or current.section("business").get("scale")
    form = ProgramForm(data={"scale": scale, "risk_group": str(saved["risk_group"]) if saved else None},
                       back_to=request.args.get("kembali"))
    if request.method == "POST" and "refresh" not in request.form and form.validate():
        current.save_all({"program": {"scale": form.scale.data, "risk_group": int(form.risk_group.data)},
                          "business": {**current.section("business"), "scale": form.scale.data}})
        return next_after(current, "program", form)
    return render_screen("business/program.html", status=422 if form.errors else 200,
                         title=_("Program dan iuran"), form=form,
                         **program_context(current, form.scale.data, form.risk_group.data),
                         **step_context("program", current))


@bp.post("/usaha/program/hitung")
def program_quote():
    """Recalculate the contributions for the current choice (htmx fragment)."""
    current = FLOW.visit_at("program", fragment=True)
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
    current = FLOW.visit_at("review")
    return render_screen("business/review.html", title=_("Periksa kembali"), form=StepForm(),
                         **review_context(current), **step_context("review", current))


@bp.post("/usaha/kirim")
@limiter.limit(lambda: current_app.config["SUBMIT_LIMIT"])
def submit():
    """Create the business and all its workers once (a double tap lands on the same receipt)."""
    current = FLOW.visit_for_submit()
    form = StepForm()
    if not form.validate_on_submit():
        return see_other("business.review")
    listed = WorkerList(current.section("workers")).check(asking(current))
    if not listed.ready:  # a worker was registered elsewhere since the list was checked
        save_list(current, listed)
        return see_other("business.workers")
    context = review_context(current)
    try:
        businesses.submit(current.draft, current.data, workers=listed.good, quote=context["quote"],
                          programs=context["programs"], consent_version=current.section("consent")["version"],
                          kiosk=current.draft.kiosk, locale=str(get_locale()))
    except businesses.WorkersTaken:
        save_list(current, listed.check(asking(current)))
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
    workers_rows = list(business.workers())
    business_url = public_url("status.business", business.token)
    slips = []
    for worker in workers_rows:
        url = public_url("status.show", worker.token)
        slips.append({"worker": worker, "masked_name": mask_name(worker.full_name), "url": url,
                      "qr": qr_svg(url, title=_("QR status pekerja"))})
    return render_screen("business/receipt.html", title=_("Tanda terima"), business=business,
                         business_url=business_url, qr=qr_svg(business_url, title=_("QR status usaha")),
                         slips=slips, autoprint=autoprint, form=StepForm(),
                         koperasi=business.kind == "koperasi",
                         paper=paper_mm())


