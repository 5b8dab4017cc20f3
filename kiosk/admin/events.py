"""Events (socialization drives): dates, place and the kiosks that register there (admin only)."""

from collections import defaultdict

from flask import flash, render_template
from flask_babel import gettext as _, lazy_gettext as _l

from kiosk import audit
from kiosk.admin import bp
from kiosk.admin.forms import (
    EventForm,
)
from kiosk.admin.views import get_or_404, region_names
from kiosk.auth import role_required, staff_user
from kiosk.clock import today
from kiosk.db import db
from kiosk.models import Event, Kiosk, KioskEvent
from kiosk.services.workflow import ADMIN
from kiosk.web.navigation import see_other

# --- Events ------------------------------------------------------------------------------------

def _event_or_404(event_id: int) -> Event:
    return get_or_404(Event, event_id)


def _kiosks_by_event(event_ids) -> dict[int, list[Kiosk]]:
    found = defaultdict(list)
    if not event_ids:
        return found
    links = (KioskEvent.select(KioskEvent, Kiosk).join(Kiosk)
             .where(KioskEvent.event.in_(list(event_ids))).order_by(Kiosk.name))
    for link in links:
        found[link.event_id].append(link.kiosk)
    return found


def _audit_event(event: Event, change: str, **detail):
    audit.record(audit.EVENT, actor=staff_user(), subject=f"event:{event.id}", change=change,
                 event_id=event.id, **detail)


def _set_event_kiosks(event: Event, kiosk_ids: list[int]) -> tuple[list[int], list[int]]:
    """Make exactly these kiosks assigned to event; return (assigned, unassigned) kiosk ids."""
    current = {link.kiosk_id for link in KioskEvent.select().where(KioskEvent.event == event)}
    wanted = set(kiosk_ids)
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if removed:
        KioskEvent.delete().where(KioskEvent.event == event, KioskEvent.kiosk.in_(removed)).execute()
    if added:
        KioskEvent.insert_many([{"kiosk": k, "event": event.id} for k in added]).execute()
    return added, removed


@bp.get("/acara")
@role_required(ADMIN)
def events():
    """List events, the latest first, with their kiosks."""
    rows = list(Event.select().order_by(Event.starts_on.desc(), Event.name))
    return render_template("admin/events.html", title=_l("Acara"), events=rows,
                           regions=region_names(e.regency_code for e in rows),
                           kiosks=_kiosks_by_event([e.id for e in rows]), today=today())


@bp.route("/acara/baru", methods=["GET", "POST"])
@role_required(ADMIN)
def event_new():
    """Add an event and choose the kiosks that serve it."""
    form = EventForm()
    if form.validate_on_submit():
        with db.atomic():
            event = Event.create(name=form.name.data, place=form.place.data, regency_code=form.regency.data,
                                 starts_on=form.starts_value, ends_on=form.ends_value)
            _set_event_kiosks(event, form.kiosk_ids)
        _audit_event(event, "create", kiosk_ids=form.kiosk_ids)
        flash(_("Acara %(name)s dibuat.", name=event.name), "success")
        return see_other("admin.events")
    return render_template("admin/event_form.html", title=_l("Acara baru"), form=form, event=None), \
        422 if form.errors else 200


@bp.route("/acara/<int:event_id>", methods=["GET", "POST"])
@role_required(ADMIN)
def event_edit(event_id):
    """Change an event's details and which kiosks serve it."""
    event = _event_or_404(event_id)
    assigned = [str(link.kiosk_id) for link in KioskEvent.select().where(KioskEvent.event == event)]
    form = EventForm(data={"name": event.name, "place": event.place, "regency": event.regency_code,
                           "starts_on": event.starts_on.isoformat(), "ends_on": event.ends_on.isoformat(),
                           "kiosks": assigned})
    if form.validate_on_submit():
        new = {"name": form.name.data, "place": form.place.data, "regency_code": form.regency.data,
               "starts_on": form.starts_value, "ends_on": form.ends_value}
        changed = sorted(k for k, v in new.items() if getattr(event, k) != v)
        with db.atomic():
            if changed:
                for key, value in new.items():
                    setattr(event, key, value)
                event.save()
            added, removed = _set_event_kiosks(event, form.kiosk_ids)
        if changed:
            _audit_event(event, "edit", fields=changed)
        if added or removed:
            _audit_event(event, "kiosks", assigned=added, unassigned=removed)
        if changed or added or removed:
            flash(_("Perubahan acara disimpan."), "success")
        else:
            flash(_("Tidak ada yang berubah."), "info")
        return see_other("admin.event_edit", event_id=event.id)
    return render_template("admin/event_form.html", title=_l("Ubah acara"), form=form, event=event), \
        422 if form.errors else 200
