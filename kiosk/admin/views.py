"""Admin views (being built out)."""

from flask import render_template
from flask_babel import lazy_gettext as _l

from kiosk.admin import bp
from kiosk.models import Kiosk
from kiosk.services.workflow import ADMIN
from kiosk.staff.auth import role_required


@bp.get("/kios")
@role_required(ADMIN)
def kiosks():
    """List kiosks."""
    return render_template("admin/kiosks.html", title=_l("Kios"), kiosks=Kiosk.select().order_by(Kiosk.name))
