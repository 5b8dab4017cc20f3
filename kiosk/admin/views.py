"""The admin area's start and what its pages share."""


from flask import abort

from kiosk import accounts
from kiosk.admin import bp
from kiosk.auth import role_required
from kiosk.models import Region
from kiosk.services.workflow import ADMIN
from kiosk.web.navigation import see_other


def region_names(codes) -> dict[str, str]:
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return {r.code: r.name for r in Region.select().where(Region.code.in_(list(codes)))}


MAX_ID = 2**31 - 1  # a bigger number in a URL is no row of ours (and would overflow SQLite)


def get_or_404(model, pk: int):
    """The row with this id, or 404 (also for an id no row of ours can have)."""
    if pk > MAX_ID:
        abort(404)
    return model.get_or_none(model.id == pk) or abort(404)


@bp.context_processor
def _admin_context():
    return {"min_password": accounts.MIN_PASSWORD_LENGTH}


@bp.get("/")
@role_required(ADMIN)
def index():
    """The admin area starts at the kiosk list."""
    return see_other("admin.kiosks")
