"""Staff accounts: create, role, password, disable and enable, lift a sign-in lock (admin only)."""


from flask import flash, render_template
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from kiosk import accounts, audit, signins
from kiosk.admin import bp
from kiosk.admin.forms import (
    ROLE_LABELS,
    USERNAME_CHARS,
    USERNAME_TAKEN,
    AccountForm,
    PasswordForm,
    RoleForm,
    password_short,
)
from kiosk.admin.views import get_or_404
from kiosk.auth import role_required, staff_user
from kiosk.forms import CHOOSE_ONE
from kiosk.models import StaffUser
from kiosk.services.workflow import ADMIN
from kiosk.web.navigation import see_other

# --- Staff accounts ----------------------------------------------------------------------------

ACCOUNT_ERRORS = {
    "username_taken": ("username", USERNAME_TAKEN),
    "username_invalid": ("username", USERNAME_CHARS),
    "password_short": ("password", password_short()),
    "role": ("role", CHOOSE_ONE),
}


def _user_or_404(user_id: int) -> StaffUser:
    return get_or_404(StaffUser, user_id)


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
        return _render_account(user, active_error=_(
            "Anda tidak bisa menonaktifkan akun Anda sendiri. Minta admin lain."),
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
