"""Staff sign-in with Flask-Login over server-side sessions; role checks for every staff and admin route."""

import datetime as dt
from functools import wraps

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from kiosk import accounts, audit, signins
from kiosk.extensions import limiter
from kiosk.models import StaffUser
from kiosk.pages import safe_next
from kiosk.services.workflow import role_at_least
from kiosk.staff import bp

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Silakan masuk untuk membuka halaman petugas.")
login_manager.session_protection = "basic"
DEMO_PREFIX = "demo-"


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])


def _lifetime() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"])


@login_manager.user_loader
def load_user(session_id: str):
    # The cookie's expiry is only advice to the browser: the session row decides (revoked, idle, too old).
    found = accounts.find_session(session_id, idle=_idle(), lifetime=_lifetime())
    return StaffLogin(found.user, session_id) if found is not None else None


class StaffLogin:
    """Flask-Login's view of a StaffUser signed in through one session."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: StaffUser, session_id: str):
        self.user = user
        self.session_id = session_id

    @property
    def is_active(self):
        return self.user.active

    def get_id(self):
        return self.session_id

    def __getattr__(self, name):
        return getattr(self.user, name)

    @property
    def is_demo(self):
        return self.user.username.startswith(DEMO_PREFIX)


def role_required(minimum: str):
    """Let signed-in staff of at least this role through; others to sign-in (anonymous) or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not role_at_least(current_user.role, minimum):
                abort(403)
            return view(*args, **kwargs)

        wrapped.min_role = minimum  # read by the route-map test
        return wrapped

    return decorator


def staff_user() -> StaffUser | None:
    return current_user.user if current_user.is_authenticated else None


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
            login_user(StaffLogin(user, accounts.start_session(user, lifetime=_lifetime())))
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


def init_app(app):
    login_manager.init_app(app)
    app.permanent_session_lifetime = dt.timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])

    @app.before_request
    def _forget_ended_session():
        # A revoked, idle or too old session id would stay in the cookie; drop it.
        if "_user_id" in session and not current_user.is_authenticated:
            logout_user()

    @app.context_processor
    def _staff():
        return {"staff": current_user if current_user.is_authenticated else None}
