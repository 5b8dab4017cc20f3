"""Staff accounts for tests: create one per role and sign a client in through the real form; a fake clock."""

import datetime as dt

from kiosk import accounts, signins

PASSWORD = "sandi-rahasia-123"


def make_staff(role: str, username: str | None = None):
    return accounts.create_user(username or f"{role}-test", f"{role.title()} Test", role, PASSWORD)


def sign_in(client, role: str, username: str | None = None):
    """Create a staff user of role (if needed) and sign client in; return the user."""
    from kiosk.models import StaffUser
    name = username or f"{role}-test"
    user = StaffUser.get_or_none(StaffUser.username == name) or make_staff(role, name)
    response = client.post("/staff/masuk", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, response.data.decode()[:500]
    return user


class Clock:
    """A settable UTC clock standing in for kiosk.models.utcnow where sign-ins and sessions read the time."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


def fake_clock(monkeypatch, now=None) -> Clock:
    clock = Clock(now or dt.datetime(2026, 11, 17, 3, 0))  # 10:00 WIB
    for module in (accounts, signins):
        monkeypatch.setattr(module, "utcnow", clock)
    return clock
