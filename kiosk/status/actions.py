"""What a signed-in staff member does on an application's page: show the details (audited), change the status."""

import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk import audit, registrations
from kiosk.auth import role_required, staff_user
from kiosk.labels import STATUS_LABELS
from kiosk.lookups import by_token_or_404
from kiosk.models import Registration
from kiosk.panels.application import ERRORS, details_for
from kiosk.services import workflow
from kiosk.status import bp
from kiosk.status.views import render_status
from kiosk.web.htmx import wants_fragment


@bp.post("/s/<token>/data")
@role_required(workflow.PETUGAS)
def reveal(token):
    """Show the full personal data to staff, recording who looked and when."""
    registration = by_token_or_404(Registration, token)
    audit.record(audit.PII_REVEAL, actor=staff_user(), registration=registration)
    if wants_fragment("details"):
        return render_template("staff/_details.html", details=details_for(registration))
    return render_status(registration, revealed=True)


def _plain(text: str) -> str:
    """Drop control and format characters but line breaks: a NUL cannot be stored in PostgreSQL, and a
    reason made only of invisible characters is no message for the applicant."""
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


@bp.post("/s/<token>/status")
@role_required(workflow.PETUGAS)
def change(token):
    """Apply a status change (verify, ask for a fix, activate with KPJ, reject, reopen)."""
    registration = by_token_or_404(Registration, token)
    target = request.form.get("target", "")[:20]
    try:
        expected = int(request.form.get("version", ""))
    except ValueError:
        expected = -1
    reason, kpj = _plain(request.form.get("reason", "")[:2000]), request.form.get("kpj", "")[:100]
    fix = request.form.getlist("fix")[:10]
    payer, programme = request.form.get("payer", "")[:10], _plain(request.form.get("payer_programme", "")[:200])
    try:
        registrations.change_status(registration, target, actor=staff_user(), expected_version=expected,
                                    reason=reason, kpj=kpj, fix_sections=fix, payer=payer,
                                    payer_programme=programme)
    except workflow.TransitionError as exc:
        code = exc.code if exc.code in ERRORS else "illegal"
        return render_status(registration, errors={"target": target, "code": code, "message": ERRORS[code]},
                             form={"reason": reason, "kpj": kpj, "fix": fix, "payer": payer,
                                   "payer_programme": programme},
                             status=409 if code == "stale" else 422)
    except registrations.KpjTaken:
        return render_status(registration, errors={"target": target, "code": "kpj_taken",
                                                   "message": ERRORS["kpj_taken"]},
                             form={"reason": reason, "kpj": kpj, "fix": fix}, status=422)
    flash(_("Status diubah menjadi %(status)s.", status=STATUS_LABELS[target]), "success")
    return redirect(url_for("status.show", token=token), code=303)
