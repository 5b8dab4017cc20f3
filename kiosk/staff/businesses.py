"""Businesses (UMKM, koperasi) at the staff desk: their queue, their page with the staff panel (verify
with or without the workers, activate, reject), an audited reveal of the owner's data, and the
collective-upload export of their workers."""

import json
import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from peewee import fn

from kiosk import audit
from kiosk.auth import role_required, staff_user
from kiosk.businesses import address as business_address, owner as business_owner
from kiosk.crypto import vault
from kiosk.labels import BUSINESS_KINDS, RISK_LABELS, SCALE_LABELS, STATUS_LABELS
from kiosk.lookups import by_token_or_404
from kiosk.models import AuditEntry, Business, Event, Region, Registration
from kiosk.regions import name_of
from kiosk.sectors import BY_CODE as SECTORS
from kiosk.services import business_workflow as bw
from kiosk.services.person import mask_name
from kiosk.services.workflow import PETUGAS, STATUSES, SUPERVISOR
from kiosk.staff import bp, business_status, collective_export, export
from kiosk.staff.filters import SCALES, BusinessFilter
from kiosk.staff.queue import PAGE_SIZE
from kiosk.web.htmx import wants_fragment
from kiosk.web.navigation import safe_next
from kiosk.web.paging import page_of

RESULTS_TARGET = "business-results"

ACTION_LABELS = {
    bw.VERIFY_ALL: _l("Verifikasi usaha + semua pekerja yang masih Diterima"),
    bw.VERIFY: _l("Verifikasi usaha saja"),
    bw.ACTIVATE: _l("Aktifkan usaha"),
    bw.REJECT: _l("Tolak usaha"),
}
ERRORS = {
    "stale": _l("Usaha ini atau pekerjanya baru saja diubah petugas lain. Periksa data terbaru di bawah "
                "lalu ulangi bila perlu."),
    "illegal": _l("Tindakan ini tidak diperbolehkan dari status usaha sekarang."),
    "role": _l("Peran Anda tidak boleh melakukan tindakan ini (hanya supervisor)."),
    "reason_required": _l("Tulis alasan penolakan untuk pemilik usaha."),
    "reason_too_long": _l("Alasan terlalu panjang (paling banyak 500 huruf)."),
    "workers_open": _l("Usaha baru bisa diaktifkan bila setiap pekerja sudah Aktif atau Ditolak."),
    "no_active_worker": _l("Usaha baru bisa diaktifkan bila paling sedikit satu pekerja sudah Aktif."),
    "nothing_to_verify": _l("Tidak ada pekerja yang menunggu verifikasi."),
    "unknown_action": _l("Tindakan tidak dikenal."),
}


# --- queue ---------------------------------------------------------------------------------------

@bp.get("/usaha")
@role_required(PETUGAS)
def businesses():
    """List businesses newest first, 50 a page, filtered or searched; workers per status for each."""
    query_filter = BusinessFilter.from_args(request.args)
    counts = query_filter.status_counts()
    total = counts[query_filter.status] if query_filter.status else sum(counts.values())
    page, pages = page_of(total, PAGE_SIZE)
    rows = list(query_filter.apply(Business.select(
                    Business.id, Business.token, Business.receipt_code, Business.nib, Business.name,
                    Business.kind, Business.scale, Business.status, Business.regency_code, Business.event,
                    Business.created_at))
                .order_by(Business.created_at.desc(), Business.id.desc())
                .paginate(page, PAGE_SIZE))
    context = dict(
        rows=_queue_rows(rows), filter=query_filter, counts=counts, total=total, page=page, pages=pages,
        labels=STATUS_LABELS, statuses=bw.BUSINESS_STATUSES, worker_statuses=STATUSES, kind_labels=BUSINESS_KINDS,
        scale_labels=SCALE_LABELS,
    )
    if wants_fragment(RESULTS_TARGET):
        return render_template("staff/_business_results.html", fragment=True, **context)
    return render_template("staff/businesses.html", title=_l("Usaha"), scales=SCALES,
                           events=list(Event.select(Event.id, Event.name, Event.starts_on)
                                       .order_by(Event.starts_on.desc(), Event.name)),
                           regencies=Region.regency_groups(), **context)


def _queue_rows(rows) -> list:
    """One dict per business of the page, with region and event names and worker counts per status."""
    ids = [r.id for r in rows]
    workers: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    if ids:
        for business_id, status, n in (Registration
                                       .select(Registration.business, Registration.status,
                                               fn.COUNT(Registration.id))
                                       .where(Registration.business.in_(ids))
                                       .group_by(Registration.business, Registration.status).tuples()):
            workers[business_id][status] = n
    codes = {r.regency_code for r in rows}
    regencies = dict(Region.select(Region.code, Region.name).where(Region.code.in_(codes)).tuples()) if codes else {}
    event_ids = {r.event_id for r in rows if r.event_id}
    events = dict(Event.select(Event.id, Event.name).where(Event.id.in_(event_ids)).tuples()) if event_ids else {}
    return [{
        "token": r.token, "receipt_code": r.receipt_code, "nib": r.nib, "name": r.name, "kind": r.kind,
        "scale": r.scale, "status": r.status, "regency": regencies.get(r.regency_code, r.regency_code),
        "event": events.get(r.event_id, ""), "created_at": r.created_at,
        "workers": workers[r.id], "worker_total": sum(workers[r.id].values()),
    } for r in rows]


# --- the business page and its panel ----------------------------------------------------------------

def panel_context(business: Business, *, revealed: bool = False, errors: dict | None = None,
                  form: dict | None = None) -> dict:
    """What the staff panel of a business shows; for the signed-in staff member's role."""
    user = staff_user()
    workers = list(Registration
                   .select(Registration.id, Registration.token, Registration.receipt_code, Registration.full_name,
                           Registration.nik_masked, Registration.job, Registration.status, Registration.version,
                           Registration.programs, Registration.employer_contribution,
                           Registration.worker_contribution)
                   .where(Registration.business == business.id)
                   .order_by(Registration.id))
    states = [bw.WorkerState(w.id, w.status, w.version) for w in workers]
    actions = bw.allowed_actions(business.status, user.role, states) if user else ()
    counts = {status: 0 for status in STATUSES}
    for worker in workers:
        counts[worker.status] = counts.get(worker.status, 0) + 1
    return {
        "workers": [{
            "token": w.token, "receipt_code": w.receipt_code, "masked_name": mask_name(w.full_name),
            "nik_masked": w.nik_masked, "job": w.job or "", "status": w.status,
            "programs": (w.programs or "").replace(",", " + "),
            "employer": w.employer_contribution or 0, "worker": w.worker_contribution or 0,
        } for w in workers],
        "worker_counts": counts,
        "fingerprint": bw.workers_fingerprint(states),
        "actions": [(action, _action_label(action, business.status)) for action in actions],
        "errors": errors or {},
        "form": form or {},
        "details": details_for(business) if revealed else None,
        "history": [(e, json.loads(e.detail)) for e in AuditEntry.select()
                    .where(AuditEntry.subject == f"business:{business.id}").order_by(AuditEntry.seq)],
        "address": business_address(business),
        "regions": [name_of(business.village_code), name_of(business.district_code),
                    name_of(business.regency_code), name_of(business.province_code)],
        "owner_masked_name": mask_name(business_owner(business).full_name),
        "kind_label": BUSINESS_KINDS.get(business.kind, business.kind),
        "scale_label": SCALE_LABELS.get(business.scale, business.scale),
        "sector_label": SECTORS[business.sector].label if business.sector in SECTORS else business.sector,
        "risk_label": RISK_LABELS[business.risk_group][0] if business.risk_group in RISK_LABELS else "",
        "labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "may_export": user is not None and user.role in (SUPERVISOR, "admin"),
    }


def _action_label(action: str, status: str):
    if action == bw.VERIFY_ALL and status == bw.VERIFIED:
        return _l("Verifikasi semua pekerja yang masih Diterima")
    return ACTION_LABELS[action]


def details_for(business: Business) -> dict:
    """The owner's data, decrypted: only ever built for an audited reveal."""
    owner = business_owner(business)
    return {
        "nik": vault().decrypt(business.owner_nik_enc),
        "full_name": owner.full_name,
        "phone": vault().decrypt(business.owner_phone_enc) if business.owner_phone_enc else "",
        "email": owner.email or "",
    }


@bp.app_context_processor
def _business_panel_helper():
    # The public business page includes staff/_business_panel.html with only `business` in hand:
    # the template asks for its panel through this.
    return {"business_panel_for": panel_context}


def render_business(business: Business, *, status: int = 200, **panel_options):
    return render_template("staff/business.html", title=business.name, business=business,
                           business_panel=panel_context(business, **panel_options)), status


@bp.get("/usaha/<token>")
@role_required(PETUGAS)
def business(token):
    """Show a business, its workers and what the staff member may do with them."""
    return render_business(by_token_or_404(Business, token))


@bp.post("/usaha/<token>/data")
@role_required(PETUGAS)
def business_reveal(token):
    """Show the owner's full data to staff, recording who looked and when."""
    found = by_token_or_404(Business, token)
    audit.record(audit.PII_REVEAL, actor=staff_user(), subject=f"business:{found.id}", business=found.id)
    if wants_fragment("business-details"):
        return render_template("staff/_business_details.html", details=details_for(found))
    return render_business(found, revealed=True)


def _plain(text: str) -> str:
    """Drop control and format characters but line breaks (as the walk-in reason does)."""
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


@bp.post("/usaha/<token>/status")
@role_required(PETUGAS)
def business_change(token):
    """Verify (with or without the workers), activate or reject a business."""
    found = by_token_or_404(Business, token)
    action = request.form.get("action", "")[:20]
    try:
        expected = int(request.form.get("version", "")[:12])
    except ValueError:
        expected = -1
    reason = _plain(request.form.get("reason", "")[:2000])
    try:
        updated = business_status.apply(found, action, actor=staff_user(), expected_version=expected,
                                        seen_workers=request.form.get("workers", "")[:64], reason=reason)
    except bw.BusinessTransitionError as exc:
        code = exc.code if exc.code in ERRORS else "illegal"
        return render_business(found, errors={"action": action, "code": code, "message": ERRORS[code]},
                               form={"reason": reason}, status=409 if code == "stale" else 422)
    flash(_("Status usaha sekarang: %(status)s.", status=STATUS_LABELS[updated.status]), "success")
    fallback = url_for("staff.business", token=token)
    return redirect(safe_next(request.form.get("next"), fallback), code=303)


# --- collective-upload export ---------------------------------------------------------------------

@bp.post("/usaha/<token>/ekspor.<any(csv, xlsx):fmt>")
@role_required(SUPERVISOR)
def business_export(token, fmt):
    """Download this business's workers as CSV or an Excel workbook for a collective upload (full NIKs;
    audited)."""
    found = by_token_or_404(Business, token)
    return collective_export.stream(fmt, collective_export.WorkerSnapshot(business=found), actor=staff_user())


@bp.post("/usaha/ekspor.<any(csv, xlsx):fmt>")
@role_required(SUPERVISOR)
def businesses_export(fmt):
    """Download the workers of every business the filter selects, as CSV or an Excel workbook (audited)."""
    query_filter = BusinessFilter.from_args(request.args)
    snapshot = collective_export.WorkerSnapshot(business_filter=query_filter)
    if fmt == "xlsx" and snapshot.count > export.XLSX_MAX_ROWS:
        flash(_("Terlalu banyak baris untuk Excel (%(rows)s, paling banyak %(max)s). "
                "Unduh CSV atau persempit saringan.", rows=snapshot.count, max=export.XLSX_MAX_ROWS), "error")
        return redirect(url_for("staff.businesses", **query_filter.args()), code=303)
    return collective_export.stream(fmt, snapshot, actor=staff_user())
