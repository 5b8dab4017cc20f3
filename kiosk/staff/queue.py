"""Queue, search and export of applications (being built out)."""

from flask import render_template
from flask_babel import lazy_gettext as _l

from kiosk.models import Registration
from kiosk.services.workflow import PETUGAS
from kiosk.staff import bp
from kiosk.staff.auth import role_required


@bp.get("/antrian")
@role_required(PETUGAS)
def queue():
    """List applications, newest first."""
    rows = Registration.select().order_by(Registration.created_at.desc()).limit(50)
    return render_template("staff/queue.html", title=_l("Antrian"), rows=rows)
