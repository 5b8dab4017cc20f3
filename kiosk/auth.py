"""Who is signed in (Flask-Login over server-side sessions) and what their role lets them open: the guard for
every staff and admin route, and for the staff panels on the status pages."""

import datetime as dt
from functools import wraps

from flask import abort, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from kiosk import accounts
from kiosk.models import StaffUser
from kiosk.services.workflow import role_at_least

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Silakan masuk untuk membuka halaman petugas.")
login_manager.session_protection = "basic"
DEMO_PREFIX = "demo-"


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])


def session_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["STAFF_SESSION_MAX_HOURS"])


@login_manager.user_loader
def load_user(session_id: str):
    # The cookie's expiry is only advice to the browser: the session row decides (revoked, idle, too old).
    found = accounts.find_session(session_id, idle=idle_limit(), lifetime=session_lifetime())
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
