"""Kiosks: register a device or booth, its enrolment link, (de)activate it (admin only)."""

from collections import defaultdict

from flask import flash, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup

from kiosk import audit
from kiosk.admin import bp
from kiosk.admin.forms import (
    KIND_LABELS,
    KioskForm,
)
from kiosk.admin.views import get_or_404, region_names
from kiosk.auth import role_required, staff_user
from kiosk.clock import today
from kiosk.kiosks import issue_enrol_code
from kiosk.models import Event, Kiosk, KioskEvent, utcnow
from kiosk.services.qr import qr_svg
from kiosk.services.workflow import ADMIN
from kiosk.web.navigation import see_other

# --- Kiosks ------------------------------------------------------------------------------------

def _kiosk_or_404(kiosk_id: int) -> Kiosk:
    return get_or_404(Kiosk, kiosk_id)


def _events_by_kiosk(kiosk_ids) -> dict[int, list[Event]]:
    found = defaultdict(list)
    if not kiosk_ids:
        return found
    links = (KioskEvent.select(KioskEvent, Event).join(Event)
             .where(KioskEvent.kiosk.in_(list(kiosk_ids)))
             .order_by(Event.starts_on.desc(), Event.name))
    for link in links:
        found[link.kiosk_id].append(link.event)
    return found


def _audit_kiosk(kiosk: Kiosk, change: str, **detail):
    audit.record(audit.KIOSK, actor=staff_user(), subject=f"kiosk:{kiosk.id}", change=change,
                 kiosk_id=kiosk.id, **detail)


@bp.get("/kios")
@role_required(ADMIN)
def kiosks():
    """List kiosks: where they are, what kind, whether a device is enrolled, their events."""
    rows = list(Kiosk.select().order_by(Kiosk.active.desc(), Kiosk.name))
    return render_template("admin/kiosks.html", title=_l("Kios"), kiosks=rows, kinds=KIND_LABELS,
                           regions=region_names(k.regency_code for k in rows),
                           events=_events_by_kiosk([k.id for k in rows]), today=today())


@bp.route("/kios/baru", methods=["GET", "POST"])
@role_required(ADMIN)
def kiosk_new():
    """Add a kiosk (its device is enrolled afterwards with a one-time code)."""
    form = KioskForm()
    if form.validate_on_submit():
        kiosk = Kiosk.create(name=form.name.data, place=form.place.data, regency_code=form.regency.data,
                             kind=form.kind.data, payer=form.payer.data,
                             payer_programme=form.payer_programme.data or None)
        _audit_kiosk(kiosk, "create")
        flash(_("Kios %(name)s dibuat. Buat kode pendaftaran perangkat untuk memasangnya.",
                name=kiosk.name), "success")
        return see_other("admin.kiosk_edit", kiosk_id=kiosk.id)
    return render_template("admin/kiosk_form.html", title=_l("Kios baru"), form=form, kiosk=None), \
        422 if form.errors else 200


@bp.route("/kios/<int:kiosk_id>", methods=["GET", "POST"])
@role_required(ADMIN)
def kiosk_edit(kiosk_id):
    """Change a kiosk's name, place, regency or kind; enrol its device; (de)activate it."""
    kiosk = _kiosk_or_404(kiosk_id)
    form = KioskForm(data={"name": kiosk.name, "place": kiosk.place, "regency": kiosk.regency_code,
                           "kind": kiosk.kind, "payer": kiosk.payer or "self",
                           "payer_programme": kiosk.payer_programme})
    if form.validate_on_submit():
        new = {"name": form.name.data, "place": form.place.data, "regency_code": form.regency.data,
               "kind": form.kind.data, "payer": form.payer.data, "payer_programme": form.payer_programme.data or None}
        changed = sorted(k for k, v in new.items() if getattr(kiosk, k) != v)
        if changed:
            for key, value in new.items():
                setattr(kiosk, key, value)
            kiosk.save()
            _audit_kiosk(kiosk, "edit", fields=changed)
            flash(_("Perubahan kios disimpan."), "success")
        else:
            flash(_("Tidak ada yang berubah."), "info")
        return see_other("admin.kiosk_edit", kiosk_id=kiosk.id)
    return render_template("admin/kiosk_form.html", title=_l("Ubah kios"), form=form, kiosk=kiosk,
                           kinds=KIND_LABELS, region=region_names([kiosk.regency_code]),
                           events=_events_by_kiosk([kiosk.id])[kiosk.id], now=utcnow()), \
        422 if form.errors else 200


@bp.post("/kios/<int:kiosk_id>/kode-pendaftaran")
@role_required(ADMIN)
def kiosk_enrol_code(kiosk_id):
    """Issue a one-time enrolment code and show its URL and QR, this once (nothing else stores it).

    Not a redirect: showing the code on a later GET would mean keeping it somewhere readable.
    """
    kiosk = _kiosk_or_404(kiosk_id)
    if not kiosk.active:
        flash(_("Kios ini nonaktif. Aktifkan dulu sebelum memasang perangkat."), "error")
        return see_other("admin.kiosk_edit", kiosk_id=kiosk.id)
    code = issue_enrol_code(kiosk)
    _audit_kiosk(kiosk, "enrol_code")
    url = url_for("walkin.enrol_kiosk", code=code, _external=True)
    qr = Markup(qr_svg(url, title=_("QR pendaftaran perangkat kios")))
    return render_template("admin/kiosk_enrol.html", title=_l("Kode pendaftaran perangkat"), kiosk=kiosk,
                           url=url, qr=qr, expires_at=kiosk.enrol_expires_at)


@bp.post("/kios/<int:kiosk_id>/nonaktifkan")
@role_required(ADMIN)
def kiosk_deactivate(kiosk_id):
    """Stop a kiosk: its device becomes the plain web channel and an unused code stops working."""
    kiosk = _kiosk_or_404(kiosk_id)
    if kiosk.active:
        kiosk.active = False
        kiosk.enrol_code = None
        kiosk.enrol_expires_at = None
        kiosk.save()
        _audit_kiosk(kiosk, "deactivate")
        flash(_("Kios %(name)s dinonaktifkan. Pendaftaran dari perangkatnya tidak lagi dicatat sebagai kios ini.",
                name=kiosk.name), "success")
    else:
        flash(_("Kios ini sudah nonaktif."), "info")
    return see_other("admin.kiosk_edit", kiosk_id=kiosk.id)


@bp.post("/kios/<int:kiosk_id>/aktifkan")
@role_required(ADMIN)
def kiosk_activate(kiosk_id):
    """Bring a kiosk back; a device enrolled before counts as this kiosk again."""
    kiosk = _kiosk_or_404(kiosk_id)
    if not kiosk.active:
        kiosk.active = True
        kiosk.save()
        _audit_kiosk(kiosk, "activate")
        flash(_("Kios %(name)s diaktifkan lagi.", name=kiosk.name), "success")
    else:
        flash(_("Kios ini sudah aktif."), "info")
    return see_other("admin.kiosk_edit", kiosk_id=kiosk.id)
