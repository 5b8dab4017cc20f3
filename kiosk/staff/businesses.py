"""Businesses (UMKM, koperasi) at the staff desk: their queue, their page with the staff panel (verify
with or without the workers, activate, reject), an audited reveal of the owner's data, and the
collective-upload export of their workers."""

import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from peewee import fn

from kiosk import audit, businesses as business_rows
from kiosk.auth import role_required, staff_user
from kiosk.labels import BUSINESS_KINDS, SCALE_LABELS, STATUS_LABELS
from kiosk.lookups import by_token_or_404
from kiosk.models import Business, Event, Region, Registration
from kiosk.panels.business import ERRORS, details_for, panel_context
from kiosk.services import business_workflow as bw
from kiosk.services.workflow import PETUGAS, STATUSES, SUPERVISOR
from kiosk.staff import bp, collective_export, export
from kiosk.staff.filters import SCALES, BusinessFilter
from kiosk.staff.queue import PAGE_SIZE
from kiosk.web.htmx import wants_fragment
from kiosk.web.navigation import safe_next
from kiosk.web.paging import page_of

RESULTS_TARGET = "business-results"

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


# --- the business page ---------------------------------------------------------------------------

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
        updated = business_rows.apply_action(found, action, actor=staff_user(), expected_version=expected,
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
