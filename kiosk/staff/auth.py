"""Staff sign-in and sign-out."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from kiosk import accounts, audit, signins
from kiosk.auth import DEMO_PREFIX, StaffLogin, session_lifetime
from kiosk.models import StaffUser
from kiosk.staff import bp
from kiosk.web.extensions import limiter
from kiosk.web.navigation import safe_next


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"))
    password = PasswordField(_l("Kata sandi"))


def _login_failed(response) -> bool:
    return response.status_code in (422, 429)


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], methods=["POST"], deduct_when=_login_failed)
def login():
    """Sign a staff member in."""
    form = LoginForm()
    failed = refused = False
    locked_until = None
    if form.validate_on_submit():
        typed = accounts.normalise_username(form.username.data)
        attempt = signins.begin(accounts.find_user(typed), typed)
        user = None if attempt.refused_until else accounts.authenticate(typed, form.password.data)
        if user:
            failures_before = signins.succeeded(attempt)
            login_user(StaffLogin(user, accounts.start_session(user, lifetime=session_lifetime())))
            session.permanent = True
            audit.record(audit.LOGIN, actor=user, **({"failures_before": failures_before} if failures_before else {}))
            return redirect(safe_next(request.args.get("next"), url_for("staff.queue")), code=303)
        signins.failed(attempt)
        refused = attempt.refused_until is not None
        failed = not refused
        locked_until = attempt.locked_until  # also when this failure set the lock: say so at once
    demo = StaffUser.select().where(StaffUser.username.startswith(DEMO_PREFIX), StaffUser.active == True).exists()  # noqa: E712
    return render_template("staff/login.html", form=form, failed=failed, locked_until=locked_until, demo=demo,
                           title=_l("Masuk petugas")), 429 if refused else 422 if failed else 200


@bp.post("/keluar")
def logout():
    """Sign out: the session is revoked on the server, so a saved copy of the cookie opens nothing."""
    if current_user.is_authenticated:
        accounts.end_session(current_user.session_id)
        audit.record(audit.LOGOUT, actor=current_user.user)
    logout_user()
    return redirect(url_for("staff.login"), code=303)
