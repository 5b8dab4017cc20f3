"""Admin views: kiosks and their device enrolment, events (socialization drives), staff accounts.

Every view is admin-only. Changes are POST-redirect-GET with a flash message and an audit entry
(no passwords, enrolment codes or personal data in it). Enrolment codes are shown once, in the
response to the POST that issued them, and never again.
"""

import datetime as dt
from collections import defaultdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from kiosk import accounts, audit, signins
from kiosk.admin import bp
from kiosk.admin.forms import (
    KIND_LABELS, ROLE_LABELS, USERNAME_CHARS, USERNAME_TAKEN, AccountForm, EventForm, KioskForm, PasswordForm,
    RoleForm, password_short,
)
from kiosk.db import db
from kiosk.kiosks import issue_enrol_code
from kiosk.models import Event, Kiosk, KioskEvent, Region, StaffUser, utcnow
from kiosk.services.qr import qr_svg
from kiosk.services.workflow import ADMIN
from kiosk.staff.auth import role_required, staff_user
from kiosk.walkin.forms import CHOOSE_ONE


def see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def region_names(codes) -> dict[str, str]:
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return {r.code: r.name for r in Region.select().where(Region.code.in_(list(codes)))}


def today() -> dt.date:
    return dt.date.today()


MAX_ID = 2**31 - 1  # a bigger number in a URL is no row of ours (and would overflow SQLite)


def _get_or_404(model, pk: int):
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


# --- Kiosks ------------------------------------------------------------------------------------

def _kiosk_or_404(kiosk_id: int) -> Kiosk:
    return _get_or_404(Kiosk, kiosk_id)


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
                             kind=form.kind.data)
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
                           "kind": kiosk.kind})
    if form.validate_on_submit():
        new = {"name": form.name.data, "place": form.place.data, "regency_code": form.regency.data,
               "kind": form.kind.data}
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
    qr = Markup(qr_svg(url, title=_("QR pendaftaran perangkat kios")))  # noqa: S704 - our own SVG
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


# --- Events ------------------------------------------------------------------------------------

def _event_or_404(event_id: int) -> Event:
    return _get_or_404(Event, event_id)


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


# --- Staff accounts ----------------------------------------------------------------------------

ACCOUNT_ERRORS = {
    "username_taken": ("username", USERNAME_TAKEN),
    "username_invalid": ("username", USERNAME_CHARS),
    "password_short": ("password", password_short()),
    "role": ("role", CHOOSE_ONE),
}


def _user_or_404(user_id: int) -> StaffUser:
    return _get_or_404(StaffUser, user_id)


def _audit_account(user: StaffUser, change: str, **detail):
    audit.record(audit.ACCOUNT, actor=staff_user(), subject=f"account:{user.id}", change=change,
                 username=user.username, role=user.role, **detail)


def _is_me(user: StaffUser) -> bool:
    me = staff_user()
    return me is not None and me.id == user.id


@bp.get("/akun")
@role_required(ADMIN)
def accounts_list():
    """List staff accounts."""
    rows = StaffUser.select().order_by(StaffUser.active.desc(), StaffUser.username)
    return render_template("admin/accounts.html", title=_l("Akun petugas"), users=rows, roles=ROLE_LABELS)


@bp.route("/akun/baru", methods=["GET", "POST"])
@role_required(ADMIN)
def account_new():
    """Create a staff account with a first password (the person can be told it in person)."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.full_name.data, form.role.data,
                                        form.password.data)
        except accounts.AccountError as exc:  # e.g. the name was taken a moment ago
            field, message = ACCOUNT_ERRORS.get(exc.code, ACCOUNT_ERRORS["username_invalid"])
            getattr(form, field).errors = [*getattr(form, field).errors, message]
        else:
            _audit_account(user, "create")
            flash(_("Akun %(username)s dibuat.", username=user.username), "success")
            return see_other("admin.account", user_id=user.id)
    return render_template("admin/account_new.html", title=_l("Akun baru"), form=form), \
        422 if form.errors else 200


def _render_account(user: StaffUser, *, role_form=None, password_form=None, active_error=None, status=200):
    role_form = role_form or RoleForm(data={"role": user.role})
    password_form = password_form or PasswordForm(formdata=None)
    return render_template("admin/account.html", title=_l("Akun petugas"), user=user, roles=ROLE_LABELS,
                           role_form=role_form, password_form=password_form, active_error=active_error,
                           is_me=_is_me(user), lock=signins.lock_of(user)), status


@bp.get("/akun/<int:user_id>")
@role_required(ADMIN)
def account(user_id):
    """One account: its role, a new password, disable or enable, a sign-in lock to lift."""
    return _render_account(_user_or_404(user_id))


@bp.post("/akun/<int:user_id>/peran")
@role_required(ADMIN)
def account_role(user_id):
    """Change the role (signs the person out, so the new role applies at once)."""
    user = _user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if _is_me(user) and form.role.data != ADMIN:
            form.role.errors = [_l("Anda tidak bisa menurunkan peran akun Anda sendiri. Minta admin lain.")]
        elif form.role.data == user.role:
            flash(_("Peran tidak berubah."), "info")
            return see_other("admin.account", user_id=user.id)
        else:
            previous = user.role
            accounts.set_role(user, form.role.data)
            _audit_account(user, "role", previous_role=previous)
            flash(_("Peran %(username)s sekarang %(role)s.", username=user.username,
                    role=ROLE_LABELS[user.role]), "success")
            return see_other("admin.account", user_id=user.id)
    return _render_account(user, role_form=form, status=422)


@bp.post("/akun/<int:user_id>/kata-sandi")
@role_required(ADMIN)
def account_password(user_id):
    """Set a new password; every session of the account is signed out."""
    user = _user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        # Every other session ends; an admin changing their own password stays signed in here.
        accounts.set_password(user, form.password.data,
                              keep_session=current_user.session_id if _is_me(user) else None)
        _audit_account(user, "password")
        flash(_("Kata sandi %(username)s diganti. Semua sesinya yang masih masuk sudah dikeluarkan.",
                username=user.username), "success")
        return see_other("admin.account", user_id=user.id)
    return _render_account(user, password_form=form, status=422)


@bp.post("/akun/<int:user_id>/nonaktifkan")
@role_required(ADMIN)
def account_disable(user_id):
    """Disable an account: it cannot sign in and its sessions end."""
    user = _user_or_404(user_id)
    if _is_me(user):
        return _render_account(user, active_error=_("Anda tidak bisa menonaktifkan akun Anda sendiri. Minta admin lain."),
                               status=422)
    if user.active:
        accounts.set_active(user, False)
        _audit_account(user, "disable")
        flash(_("Akun %(username)s dinonaktifkan dan sudah dikeluarkan dari semua sesi.",
                username=user.username), "success")
    else:
        flash(_("Akun ini sudah nonaktif."), "info")
    return see_other("admin.account", user_id=user.id)


@bp.post("/akun/<int:user_id>/aktifkan")
@role_required(ADMIN)
def account_enable(user_id):
    """Enable an account again (with its old password; set a new one if it may be known)."""
    user = _user_or_404(user_id)
    if not user.active:
        accounts.set_active(user, True)
        _audit_account(user, "enable")
        flash(_("Akun %(username)s diaktifkan lagi.", username=user.username), "success")
    else:
        flash(_("Akun ini sudah aktif."), "info")
    return see_other("admin.account", user_id=user.id)


@bp.post("/akun/<int:user_id>/buka-kunci")
@role_required(ADMIN)
def account_unlock(user_id):
    """Lift the lock that failed sign-ins put on an account, and forget the failures."""
    user = _user_or_404(user_id)
    failures = signins.unlock(user)
    if failures:
        _audit_account(user, "unlock", failures=failures)
        flash(_("Kunci masuk %(username)s dibuka.", username=user.username), "success")
    else:
        flash(_("Akun ini tidak terkunci."), "info")
    return see_other("admin.account", user_id=user.id)
