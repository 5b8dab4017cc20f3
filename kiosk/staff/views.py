"""Desk views: scan a receipt, browse the audit log."""

import datetime as dt
import json
import re

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk import audit
from kiosk.auth import role_required
from kiosk.models import AuditEntry, Business, Registration
from kiosk.services import receipt_codes
from kiosk.services.receipt_codes import parse_code
from kiosk.services.workflow import PETUGAS, SUPERVISOR
from kiosk.staff import bp
from kiosk.web.paging import page_of

TOKEN_IN_URL = re.compile(r"/s/([A-Za-z0-9_-]{16,32})(?:[/?#]|$)")
# A business receipt's QR opens its public page /u/<token>; staff scanning it go to the business's desk page.
BUSINESS_IN_URL = re.compile(r"/u/([A-Za-z0-9_-]{16,32})(?:[/?#]|$)")
TOKEN_ALONE = re.compile(r"^[A-Za-z0-9_-]{22}$")


def find_scanned(code: str) -> Registration | Business | None:
    """Find the application or business a scanned URL, bare token or receipt code (KJ-/KU-) points at."""
    code = (code or "").strip()[:300]
    if match := TOKEN_IN_URL.search(code):
        return Registration.get_or_none(Registration.token == match.group(1))
    if match := BUSINESS_IN_URL.search(code):
        return Business.get_or_none(Business.token == match.group(1))
    if parsed := parse_code(code):
        prefix, receipt = parsed
        model = Registration if prefix == receipt_codes.WALKIN else Business
        return model.get_or_none(model.receipt_code == receipt)
    if TOKEN_ALONE.match(code):
        return (Registration.get_or_none(Registration.token == code)
                or Business.get_or_none(Business.token == code))
    return None


@bp.route("/pindai", methods=["GET", "POST"])
@role_required(PETUGAS)
def scan():
    """Take a scanned QR URL, token or receipt code (+ Enter) and open that application or business."""
    code = request.form.get("code", "") if request.method == "POST" else ""
    if request.method == "POST":
        found = find_scanned(code)
        if isinstance(found, Business):
            return redirect(url_for("staff.business", token=found.token), code=303)
        if found:
            return redirect(url_for("status.show", token=found.token), code=303)
    return render_template("staff/scan.html", title=_l("Pindai tanda terima"), code=code[:300],
                           not_found=request.method == "POST"), 404 if request.method == "POST" else 200


AUDIT_PAGE = 50


@bp.get("/audit")
@role_required(SUPERVISOR)
def audit_log():
    """Browse the audit log, newest first, filtered by action, person, receipt code and dates."""
    query = AuditEntry.select().order_by(AuditEntry.seq.desc())
    action = request.args.get("action", "")
    actor = request.args.get("actor", "").strip()[:40]
    receipt = request.args.get("receipt", "").strip().upper()[:20]
    date_from, date_to = _date_arg("from"), _date_arg("to")
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor == actor.lower())
    if receipt:
        query = query.where(_receipt_terms(receipt))
    if date_from:
        query = query.where(AuditEntry.at >= date_from.isoformat())
    if date_to:
        query = query.where(AuditEntry.at < (date_to + dt.timedelta(days=1)).isoformat())
    total = query.count()
    page, pages = page_of(total, AUDIT_PAGE)
    entries = [(e, json.loads(e.detail)) for e in query.paginate(page, AUDIT_PAGE)]
    return render_template("staff/audit.html", title=_l("Log audit"), entries=entries, total=total,
                           page=page, pages=pages, actions=AUDIT_ACTIONS,
                           filters={"action": action, "actor": actor, "receipt": receipt,
                                    "from": request.args.get("from", ""), "to": request.args.get("to", "")})


AUDIT_ACTIONS = {
    audit.LOGIN: _l("Masuk"), audit.LOGIN_FAILED: _l("Gagal masuk"), audit.LOGIN_LOCKED: _l("Masuk dikunci"),
    audit.LOGOUT: _l("Keluar"),
    audit.STATUS_CHANGE: _l("Perubahan status"), audit.PII_REVEAL: _l("Data pribadi dibuka"),
    audit.EXPORT: _l("Ekspor"), audit.RESUBMIT: _l("Perbaikan oleh pemohon"),
    audit.CORRECTION_OPENED: _l("Pemohon membuka perbaikan"), audit.LOGIN_THROTTLED: _l("Masuk ditahan"),
    audit.ACCOUNT: _l("Akun petugas"), audit.KIOSK: _l("Kios"), audit.EVENT: _l("Acara"),
}


def _receipt_terms(receipt: str):
    """Entries about an application (KJ-) or a business (KU-: the business and each of its workers)."""
    business = Business.get_or_none(Business.receipt_code == receipt) if receipt.startswith("KU-") else None
    if business is not None:
        workers = Registration.select(Registration.id).where(Registration.business == business.id)
        return (AuditEntry.subject == f"business:{business.id}") | AuditEntry.registration_id.in_(workers)
    registration = Registration.get_or_none(Registration.receipt_code == receipt)
    return AuditEntry.registration_id == (registration.id if registration else -1)


def _date_arg(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None
