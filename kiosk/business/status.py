"""The business's public status page /u/<token>: the business and each worker's status, names masked."""

from flask import abort, current_app, render_template
from flask_babel import gettext as _

from kiosk.business import bp
from kiosk.business.forms import RISK_LABELS, SCALE_LABELS
from kiosk.businesses import owner
from kiosk.extensions import limiter
from kiosk.models import Business, Registration
from kiosk.services.person import mask_name
from kiosk.status.views import LABELS, TOKEN_CHARS


def find_or_404(token: str) -> Business:
    """Return the business for token or abort 404 the same way whatever was wrong with it."""
    well_formed = 16 <= len(token) <= 32 and set(token) <= TOKEN_CHARS
    # Malformed tokens still cost one indexed lookup, so timing does not tell them apart.
    business = Business.get_or_none(Business.token == (token if well_formed else "-" * 22))
    if business is None:
        abort(404)
    return business


@bp.get("/u/<token>")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def status(token):
    """Show a business's application and each worker's status to whoever holds its receipt."""
    business = find_or_404(token)
    workers = list(Registration.select().where(Registration.business == business).order_by(Registration.id))
    counts: dict = {}
    for worker in workers:
        counts[worker.status] = counts.get(worker.status, 0) + 1
    return render_template(
        "business/status.html", title=_("Status pendaftaran usaha"), business=business, workers=workers,
        rows=[{"worker": w, "masked_name": mask_name(w.full_name), "label": LABELS.get(w.status, w.status)}
              for w in workers],
        label=LABELS.get(business.status, business.status), counts=counts, labels=LABELS,
        masked_owner=mask_name(owner(business).full_name), scale_label=SCALE_LABELS.get(business.scale),
        risk_label=RISK_LABELS.get(business.risk_group),
    )
