"""The business's public status page /u/<token>: the business and each worker's status, names masked."""

from flask import current_app, render_template
from flask_babel import gettext as _

from kiosk.businesses import owner
from kiosk.labels import RISK_LABELS, SCALE_LABELS, STATUS_LABELS
from kiosk.lookups import by_token_or_404
from kiosk.models import Business
from kiosk.services.person import mask_name
from kiosk.status import bp
from kiosk.web.extensions import limiter


@bp.get("/u/<token>")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def business(token):
    """Show a business's application and each worker's status to whoever holds its receipt."""
    business = by_token_or_404(Business, token)
    workers = list(business.workers())
    counts: dict = {}
    for worker in workers:
        counts[worker.status] = counts.get(worker.status, 0) + 1
    return render_template(
        "status/business.html", title=_("Status pendaftaran usaha"), business=business, workers=workers,
        rows=[{"worker": w, "masked_name": mask_name(w.full_name), "label": STATUS_LABELS.get(w.status, w.status)}
              for w in workers],
        label=STATUS_LABELS.get(business.status, business.status), counts=counts, labels=STATUS_LABELS,
        masked_owner=mask_name(owner(business).full_name), scale_label=SCALE_LABELS.get(business.scale),
        risk_label=RISK_LABELS.get(business.risk_group),
    )
