"""Views of the walk-in flow. Each step: GET shows the form from the draft, POST validates and moves on."""

import datetime as dt
from functools import partial

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from wtforms.validators import ValidationError

from kiosk import audit, messages, registrations
from kiosk.clock import today
from kiosk.db import UNAVAILABLE
from kiosk.flow import nik_lookups, steps, visit
from kiosk.flow.nik import identity_summary, quiet_parse, typing_state
from kiosk.flow.receipts import claim_autoprint, paper_mm, public_url
from kiosk.flow.regions import REGION_LEVELS, WORK_LEVELS, cascade, cascade_offline_safe
from kiosk.flow.screens import render_screen
from kiosk.forms import ConsentForm
from kiosk.kiosks import current_kiosk, enrol
from kiosk.models import Draft, Registration, utcnow
from kiosk.occupations import BY_CODE, OCCUPATIONS
from kiosk.regions import name_of
from kiosk.services.contributions import month_runs, quote_bpu
from kiosk.services.person import mask_address, mask_email, mask_name
from kiosk.services.phone import mask_phone
from kiosk.services.qr import qr_svg
from kiosk.services.rules import load_rules
from kiosk.services.rupiah import NotRupiah, read_rupiah
from kiosk.services.workflow import NEEDS_FIX, TransitionError
from kiosk.walkin import bp
from kiosk.walkin.forms import ContactForm, IdentityForm, ProgramForm, ReprintForm, WorkForm
from kiosk.web import throttles
from kiosk.web.extensions import limiter
from kiosk.web.navigation import see_other

STEP_ENDPOINTS = {
    "consent": "walkin.consent",
    "identity": "walkin.identity",
    "contact": "walkin.contact",
    "work": "walkin.work",
    "program": "walkin.program",
}


class WalkinFlow(steps.Flow):
    def detour(self, current, step: str):
        """The flow's rules, and a correction opens only the steps the officer asked to fix."""
        detour = super().detour(current, step)
        if (detour is None and current.correcting and step in STEP_ENDPOINTS and step != "consent"
                and step not in current.fix_sections):
            return see_other("walkin.review")
        return detour


FLOW = WalkinFlow(STEP_ENDPOINTS, visit=visit, submitted="registration", review="walkin.review",
                  receipt="walkin.receipt", render=render_screen,
                  step_screen=lambda endpoint: _step_screen(endpoint),
                  retry_screen=lambda endpoint: _retry_screen(endpoint))
next_after = FLOW.next_after
step_context = FLOW.context


# --- Welcome, start, finish ---------------------------------------------------------------

@bp.get("/")
def welcome():
    """Show language choice, Register, Check status, and what the programs cover and cost."""
    rules = load_rules()
    start = today()
    example = quote_bpu(rules.bpu_for(start).min_income, jht=False, period_months=1, start=start,
                        transport=False, rules=rules)
    example_jht = quote_bpu(rules.bpu_for(start).min_income, jht=True, period_months=1, start=start,
                            transport=False, rules=rules)
    return render_screen("walkin/welcome.html", title=_("Selamat datang"), example=example,
                         example_jht=example_jht, kiosk=current_kiosk())


@bp.post("/daftar")
@limiter.shared_limit(lambda: current_app.config["VISIT_START_LIMIT"], scope="visit-start",
                      on_breach=FLOW.too_many_starts)
def start():
    """Begin a new visit and go to the consent screen."""
    return FLOW.start()


@bp.post("/selesai")
def finish():
    """Wipe the visit (done, cancel or idle timeout) and return to Welcome."""
    visit.wipe()
    return see_other("walkin.welcome")


@bp.get("/kiosk/pasang/<code>")
def enrol_kiosk(code):
    """Bind this browser to a kiosk (kiosk mode: receipts print themselves)."""
    response = see_other("walkin.welcome")
    if not enrol(code, response):
        abort(404)
    return response


# --- Step 1: consent -------------------------------------------------------------------------

@bp.route("/daftar/persetujuan", methods=["GET", "POST"])
def consent():
    """Explain what is collected and why; go on only with consent."""
    return FLOW.consent("walkin/consent.html")


# --- Step 2: identity ------------------------------------------------------------------------

@bp.route("/daftar/identitas", methods=["GET", "POST"])
def identity():
    """Ask NIK first (checked and decoded as typed), then name, birth details and mother's name."""
    current = FLOW.visit_at("identity")
    saved = current.section("identity")
    form = IdentityForm(data={k: saved.get(k) for k in ("nik", "full_name", "birth_place", "sex", "mother_name")},
                        back_to=request.args.get("kembali"))
    if request.method == "GET" and saved:
        form.set_birth_date(dt.date.fromisoformat(saved["birth_date"]))
    nik_taken = False
    if request.method == "POST":
        _fill_from_nik(form)
        valid = form.validate()
        # Asked only of a step that is otherwise right: each answer is rationed (kiosk.flow.nik_lookups).
        if valid and nik_lookups.taken(current, [form.nik_info.nik], partial(_open, current)):
            form.nik.errors = list(form.nik.errors) + [messages.NIK["taken"]]
            nik_taken, valid = True, False
        if valid:
            info = form.nik_info
            current.save("identity", {
                "nik": info.nik, "full_name": form.full_name.data, "birth_place": form.birth_place.data,
                "birth_date": form.birth_date.isoformat(), "nik_birth_date": info.birth_date.isoformat(),
                "sex": form.sex.data, "nik_sex": info.sex, "mother_name": form.mother_name.data,
                "province": info.province_code, "regency": info.regency_code,
                "district": info.district_code, "district_known": info.district_known,
            })
            return next_after(current, "identity", form)
    nik_info = form.nik_info
    if nik_info is None and form.nik.data and not form.nik.errors:
        nik_info = quiet_parse(form.nik.data)
    return render_screen("walkin/identity.html", status=422 if form.errors else 200,
                         title=_("Data diri"), form=form, nik_taken=nik_taken,
                         summary=identity_summary(nik_info) if nik_info else None,
                         mismatch=_mismatches(form, nik_info), **step_context("identity"))


def _open(current, niks) -> set[str]:
    """The NIKs with an application in progress or active, besides the one this visit corrects."""
    return {nik for nik in niks if registrations.open_application(nik, besides=current.correcting)}


def _fill_from_nik(form):
    """Without JavaScript nothing filled birth date and sex as the NIK was typed: take them from it."""
    info = quiet_parse(form.nik.data)
    if info:
        if not any((f.data or "").strip() for f in (form.birth_day, form.birth_month, form.birth_year)):
            form.set_birth_date(info.birth_date)
        form.sex.data = form.sex.data or info.sex


def _mismatches(form, info) -> list:
    if not info:
        return []
    notes = []
    if form.birth_date and form.birth_date != info.birth_date:
        notes.append(messages.WARNINGS["birth_date_differs"])
    if form.sex.data in ("L", "P") and form.sex.data != info.sex:
        notes.append(messages.WARNINGS["sex_differs"])
    return notes


@bp.post("/daftar/identitas/nik")
def check_nik():
    """Read the NIK as it is typed; fill birth date and sex from it (htmx fragment).

    Never says whether the NIK is registered: that is for the submitted step (kiosk.flow.nik_lookups).
    """
    FLOW.visit_at("identity", fragment=True)
    form = IdentityForm()
    raw = form.nik.data or ""
    digits, still_typing = typing_state(raw)
    error = info = None
    if raw.strip() and not still_typing:
        try:
            form.validate_nik(form.nik)
            info = form.nik_info
        except ValidationError as exc:  # carries the translated message
            error = exc.args[0]
    if info and not error:
        form.set_birth_date(info.birth_date)
        form.sex.data = info.sex
    return render_template("walkin/_nik_check.html", form=form, error=error,
                           digits=digits, still_typing=still_typing and bool(raw.strip()),
                           summary=identity_summary(info) if info and not error else None,
                           fill=bool(info and not error))


# --- Step 3: contact and address ---------------------------------------------------------------

@bp.route("/daftar/kontak", methods=["GET", "POST"])
def contact():
    """Ask mobile number, optional e-mail and address with a cascading region select."""
    current = FLOW.visit_at("contact")
    saved = current.section("contact")
    ident = current.section("identity")
    hint = current.section("contact_hint")  # a correction: what is on file, masked, to be typed again
    defaults = saved or hint.get("regions") or {
        "province": ident.get("province"), "regency": ident.get("regency"),
        "district": ident.get("district") if ident.get("district_known") else ""}
    form = ContactForm(data=defaults, back_to=request.args.get("kembali"))
    cascade(form, REGION_LEVELS)
    refreshing = request.method == "POST" and "refresh" in request.form
    if request.method == "POST" and not refreshing and form.validate():
        current.save("contact", {
            "phone": form.phone.data, "email": (form.email.data or "").strip(),
            "address": form.address.data, "province": form.province.data, "regency": form.regency.data,
            "district": form.district.data, "village": form.village.data,
        })
        return next_after(current, "contact", form)
    return render_screen("walkin/contact.html", status=422 if form.errors else 200,
                         title=_("Kontak dan alamat"), form=form, hint=hint if not saved else {},
                         **step_context("contact"))


@bp.get("/daftar/kontak/wilayah")
def contact_regions():
    """Re-render the address region selects after one of them changed (htmx fragment)."""
    form = ContactForm(formdata=request.args, meta={"csrf": False})
    cascade(form, REGION_LEVELS)
    return render_template("walkin/_regions.html", form=form, fields=[n for n, _ in REGION_LEVELS],
                           block_id="address-regions", url=url_for("walkin.contact_regions"))


# --- Step 4: work ------------------------------------------------------------------------------

@bp.route("/daftar/pekerjaan", methods=["GET", "POST"])
def work():
    """Ask main occupation, where the work is, and monthly income."""
    current = FLOW.visit_at("work")
    saved = current.section("work")
    home = current.section("contact")
    data = dict(saved) if saved else {"work_province": home.get("province"), "work_regency": home.get("regency")}
    if saved:
        # income_confirmed: a small income was confirmed when it was saved; going back does not ask again.
        data.update(work_province=saved["work_regency"].split(".")[0], income=str(saved["income"]),
                    income_confirmed=True)
    form = WorkForm(data=data, back_to=request.args.get("kembali"))
    cascade(form, WORK_LEVELS)
    refreshing = request.method == "POST" and "refresh" in request.form
    if request.method == "POST" and not refreshing and form.validate():
        occupation = BY_CODE[form.occupation.data]
        current.save("work", {
            "occupation": occupation.code, "occupation_other": form.occupation_other.data,
            "transport": occupation.transport, "work_regency": form.work_regency.data,
            "income": form.income_value,
        })
        return next_after(current, "work", form)
    return render_screen("walkin/work.html", status=422 if form.errors else 200,
                         title=_("Pekerjaan"), form=form, occupations=OCCUPATIONS, **step_context("work"))


@bp.post("/daftar/pekerjaan/penghasilan")
def income_echo():
    """Say back the amount being typed as the app reads it ("= Rp 1.500.000"); nothing while it reads as none
    (the step explains a refusal when it is sent) (htmx fragment)."""
    FLOW.visit_at("work", fragment=True)
    try:
        read = read_rupiah((request.form.get("income") or "")[:100], units=True)
    except NotRupiah:
        read = None
    amount = int(read.value) if read and not read.negative and read.value == read.value.to_integral_value() else 0
    return render_template("walkin/_income_echo.html", amount=amount)


@bp.get("/daftar/pekerjaan/wilayah")
def work_regions():
    """Re-render the work-location selects after the province changed (htmx fragment)."""
    form = WorkForm(formdata=request.args, meta={"csrf": False})
    cascade(form, WORK_LEVELS)
    return render_template("walkin/_regions.html", form=form, fields=[n for n, _ in WORK_LEVELS],
                           block_id="work-regions", url=url_for("walkin.work_regions"))


# --- Step 5: programs and contribution -----------------------------------------------------------

def payer_of(current) -> tuple[str, str | None]:
    """(payer, programme): a kiosk run by a budget programme pays its registrants' contributions."""
    kiosk = current.draft.kiosk
    if kiosk is None or kiosk.payer in (None, "self"):
        return "self", None
    return kiosk.payer, kiosk.payer_programme


def quote_for(current, package: str | None, period: str | None):
    work_answers = current.section("work")
    try:
        months = int(period or 1)
    except ValueError:
        months = 1
    if months not in (1, 3, 6, 12):
        months = 1
    return quote_bpu(work_answers["income"], jht=package == "jht", period_months=months, start=today(),
                     transport=work_answers["transport"], payer=payer_of(current)[0], rules=load_rules())


@bp.route("/daftar/program", methods=["GET", "POST"])
def program():
    """Choose JHT or not and the payment period, with a live contribution estimate."""
    current = FLOW.visit_at("program")
    saved = current.section("program")
    form = ProgramForm(data={"package": "jht" if saved.get("jht") else ("base" if saved else None),
                             "period": str(saved["period"]) if saved else None},
                       back_to=request.args.get("kembali"))
    if request.method == "POST" and "refresh" not in request.form and form.validate():
        current.save("program", {"jht": form.package.data == "jht", "period": int(form.period.data)})
        return next_after(current, "program", form)
    quote = quote_for(current, form.package.data, form.period.data)
    return render_screen("walkin/program.html", status=422 if form.errors else 200,
                         title=_("Program dan iuran"), form=form, quote=quote, runs=month_runs(quote),
                         chosen=bool(form.package.data), payer=payer_of(current), **step_context("program"))


@bp.post("/daftar/program/hitung")
def program_quote():
    """Recalculate the contribution for the current choice (htmx fragment)."""
    current = FLOW.visit_at("program", fragment=True)
    form = ProgramForm()
    quote = quote_for(current, form.package.data, form.period.data)
    return render_template("walkin/_quote.html", quote=quote, runs=month_runs(quote), chosen=bool(form.package.data),
                           payer=payer_of(current))


# --- Step 6: review and submit ---------------------------------------------------------------------

def review_context(current):
    ident, contact_answers = current.section("identity"), current.section("contact")
    work_answers, program_answers = current.section("work"), current.section("program")
    return {
        "ident": ident, "contact": contact_answers, "work": work_answers, "program": program_answers,
        "occupation": BY_CODE[work_answers["occupation"]],
        "birth_date": dt.date.fromisoformat(ident["birth_date"]),
        "region_names": {key: name_of(contact_answers.get(key))
                         for key in ("province", "regency", "district", "village")},
        "work_regency_name": name_of(work_answers["work_regency"]),
        "quote": quote_for(current, "jht" if program_answers["jht"] else "base", str(program_answers["period"])),
        "mismatch": ident["birth_date"] != ident["nik_birth_date"] or ident["sex"] != ident["nik_sex"],
        # a correction shows only what is being fixed; the rest stays as filed and is not shown again
        "correcting": bool(current.correcting),
        "shown": current.fix_sections if current.correcting else STEP_ENDPOINTS.keys(),
    }


@bp.get("/daftar/periksa")
def review():
    """Show every answer with an edit link per section, then Submit."""
    current = FLOW.visit_at("review")
    form = ConsentForm()  # only for its CSRF token
    return render_screen("walkin/review.html", title=_("Periksa kembali"), form=form,
                         **review_context(current), **step_context("review"))


@bp.post("/daftar/kirim")
@limiter.limit(lambda: current_app.config["SUBMIT_LIMIT"])
def submit():
    """Create the registration once (a double tap or resubmit lands on the same receipt)."""
    current = FLOW.visit_for_submit()
    context = review_context(current)
    try:
        if current.correcting:
            registration = registrations.resubmit(Registration.get_by_id(current.correcting), current.data,
                                                  quote=context["quote"], kiosk=current.draft.kiosk)
            Draft.update(registration=registration).where(Draft.id == current.draft.id).execute()
        else:
            registrations.submit(current.draft, current.data, quote=context["quote"],
                                 consent_version=current.section("consent")["version"],
                                 kiosk=current.draft.kiosk, locale=str(get_locale()))
    except registrations.NikTaken:
        return render_screen("walkin/review.html", status=409, title=_("Periksa kembali"), form=ConsentForm(),
                             nik_taken=True, **context, **step_context("review"))
    except TransitionError:  # staff moved the application on while the person was correcting it
        return render_screen("walkin/review.html", status=409, title=_("Periksa kembali"), form=ConsentForm(),
                             stale=True, **context, **step_context("review"))
    return see_other("walkin.receipt")


# --- Receipt and reprint ------------------------------------------------------------------------------

@bp.get("/tanda-terima")
def receipt():
    """Show (and in kiosk mode print once) the receipt with the status QR."""
    current = visit.current()
    if current is None or current.registration is None:
        return see_other("walkin.welcome")
    registration = current.registration
    autoprint = claim_autoprint(current)
    url = public_url("status.show", registration.token)
    needs_fix = registration.status == NEEDS_FIX and current.section("reprint") != {}
    return render_screen("walkin/receipt.html", title=_("Tanda terima"), registration=registration,
                         needs_fix=needs_fix, corrected=bool(current.correcting),
                         masked_name=mask_name(registration.full_name), status_url=url,
                         qr=qr_svg(url, title=_("QR status pendaftaran")), autoprint=autoprint,
                         reprint=current.section("reprint") != {}, form=ConsentForm(),
                         paper=paper_mm())


@bp.post("/perbaiki")
def start_correction():
    """Let a person whose application needs a fix (found by reprint) correct their answers."""
    current = visit.current()
    reprinted = current.section("reprint") if current else {}
    if not current or not current.registration or not reprinted or current.registration.status != NEEDS_FIX:
        return see_other("walkin.welcome")
    registration = current.registration
    sections = registrations.fix_sections_of(registration)
    answers = registrations.answers_from(registration, reprinted["mother_name"])
    if "contact" in sections:
        # Whoever knows a NIK and a mother's name must not read (or quietly replace) the phone, e-mail and
        # address: they are shown masked and typed again. The regions stay, they are no secret.
        stored = answers.pop("contact")
        answers["contact_hint"] = {"phone": mask_phone(stored["phone"]), "email": mask_email(stored["email"]),
                                   "address": mask_address(stored["address"]),
                                   "regions": {k: stored[k] for k in ("province", "regency", "district", "village")}}
    current.save_all({**answers, "correcting": {"id": registration.id, "sections": list(sections)}})
    Draft.update(registration=None).where(Draft.id == current.draft.id).execute()
    kiosk = current.draft.kiosk
    audit.record(audit.CORRECTION_OPENED, actor_name="applicant", registration=registration,
                 sections=list(sections), kiosk=kiosk.id if kiosk else None)
    return see_other(STEP_ENDPOINTS[sections[0]])


def _reprint_failed(_response) -> bool:
    # Not the status code: an htmx swap of the same screen answers 200 (kiosk.flow.screens).
    return bool(g.get("reprint_failed"))


@bp.route("/cek", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPRINT_FAILURE_LIMIT"], methods=["POST"],
               deduct_when=_reprint_failed)
def reprint():
    """Find a registration by NIK + mother's maiden name and show its receipt again."""
    form = ReprintForm()
    not_found = locked = busy = False
    if form.validate_on_submit():
        # Counted before the mother's name is checked (parallel guesses cannot all pass a check first), and
        # given back when it matches: one NIK gets 5 wrong names a day, everyone together a ceiling.
        nik_key = registrations.nik_index(form.nik_value)
        locked = not throttles.take("REPRINT_NIK_FAILURE_LIMIT", "reprint-nik", nik_key)
        busy = not locked and not throttles.take("REPRINT_FAILURE_CEILING", "reprint-all")
        registration = (None if locked or busy
                        else registrations.find_for_reprint(form.nik_value, form.mother_name.data))
        if registration:
            throttles.give_back("REPRINT_NIK_FAILURE_LIMIT", "reprint-nik", nik_key)
            throttles.give_back("REPRINT_FAILURE_CEILING", "reprint-all")
            current = visit.start(kiosk=current_kiosk())
            # The mother's name is kept (encrypted, in this visit only) in case the person corrects the
            # application: the registration stores only its hash.
            current.save("reprint", {"at": utcnow().isoformat(timespec="seconds"),
                                     "mother_name": form.mother_name.data.strip()})
            Draft.update(registration=registration).where(Draft.id == current.draft.id).execute()
            return see_other("walkin.receipt")
        not_found = not (locked or busy)
    if request.method == "POST":
        g.reprint_failed = True  # for the per-kiosk/IP limit
        form.mother_name.data = ""  # a secret, like a password: never shown back beside the NIK
    status = 429 if locked or busy else 422 if request.method == "POST" else 200
    return render_screen("walkin/reprint.html", status=status, title=_("Cek status / cetak ulang"), form=form,
                         not_found=not_found, locked=locked, busy=busy)


# --- Database unavailable: keep what the person typed (kiosk.flow.unavailable) ----------------------------

def _step_screen(endpoint):
    """(template, title, form, context) of the step this POST came from, built without the database."""
    if endpoint == "walkin.consent":
        return "walkin/consent.html", _("Persetujuan data pribadi"), ConsentForm(), step_context("consent")
    if endpoint == "walkin.identity":
        return ("walkin/identity.html", _("Data diri"), IdentityForm(),
                dict(nik_taken=False, summary=None, mismatch=[], **step_context("identity")))
    if endpoint == "walkin.contact":
        form = ContactForm()
        cascade_offline_safe(form, REGION_LEVELS)
        return "walkin/contact.html", _("Kontak dan alamat"), form, step_context("contact")
    if endpoint == "walkin.work":
        form = WorkForm()
        cascade_offline_safe(form, WORK_LEVELS)
        return "walkin/work.html", _("Pekerjaan"), form, dict(occupations=OCCUPATIONS, **step_context("work"))
    if endpoint == "walkin.reprint":
        form = ReprintForm()
        form.mother_name.data = ""  # never shown back beside the NIK, not even on the "try again" screen
        return "walkin/reprint.html", _("Cek status / cetak ulang"), form, dict(not_found=False)
    return None


def _retry_screen(endpoint):
    """(button label, step) of a step whose screen needs the draft: it offers to send the same form again."""
    return {"walkin.program": (_("Lanjut"), "program"),
            "walkin.submit": (_("Kirim pendaftaran"), "review")}.get(endpoint)


for _error in UNAVAILABLE:
    bp.register_error_handler(_error, FLOW.database_unavailable)
bp.register_error_handler(nik_lookups.LookupRefused, FLOW.nik_refused)
