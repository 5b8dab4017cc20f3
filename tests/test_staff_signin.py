"""Staff sessions as an attacker tries them (penetration test findings): replaying a saved session cookie
after sign-out, from another browser, past the session's lifetime."""

import pytest

from kiosk.models import StaffSession
from tests.staff_helpers import fake_clock, sign_in


@pytest.fixture
def clock(monkeypatch):
    return fake_clock(monkeypatch)


def saved_session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str, url: str = "/staff/antrian"):
    """The saved cookie sent from another browser (a fresh client that has no cookie jar of its own)."""
    return app.test_client(use_cookies=False).get(url, headers={"Cookie": f"session={cookie}"})


def is_sign_in(response) -> bool:
    return response.status_code == 302 and "/staff/masuk" in response.location


# --- (b) sessions live on the server -----------------------------------------------------------------

def test_a_cookie_saved_before_sign_out_opens_nothing_afterwards(app):
    desk = app.test_client()
    sign_in(desk, "petugas")
    cookie = saved_session_cookie(desk)
    assert replay(app, cookie).status_code == 200  # the copy works while the session is open...
    desk.post("/staff/keluar")
    assert is_sign_in(replay(app, cookie))  # ...and not after sign-out, from anywhere
    assert is_sign_in(replay(app, cookie, "/staff/pindai"))
    assert StaffSession.get().revoked_at is not None


@pytest.mark.parametrize("change", ["password", "role", "disable"])
def test_password_role_change_and_disable_revoke_every_saved_cookie(app, change):
    admin = app.test_client()
    sign_in(admin, "admin")
    desk = app.test_client()
    petugas = sign_in(desk, "petugas")
    cookie = saved_session_cookie(desk)
    assert replay(app, cookie).status_code == 200
    url, data = {"password": ("kata-sandi", {"password": "sandi-baru-panjang", "password_confirm": "sandi-baru-panjang"}),
                 "role": ("peran", {"role": "supervisor"}),
                 "disable": ("nonaktifkan", {})}[change]
    assert admin.post(f"/admin/akun/{petugas.id}/{url}", data=data).status_code == 303
    assert is_sign_in(replay(app, cookie))
    assert not StaffSession.select().where(StaffSession.user == petugas.id, StaffSession.revoked_at.is_null()).exists()
    assert admin.get("/admin/akun").status_code == 200  # the admin's own session is untouched


def test_a_session_ends_12_hours_after_sign_in_however_busy(app, clock):
    desk = app.test_client()
    sign_in(desk, "petugas")
    cookie = saved_session_cookie(desk)
    for _ in range(12 * 3):  # a request every 20 minutes: never idle
        assert desk.get("/staff/pindai").status_code == 200
        clock.advance(minutes=20)
    clock.advance(minutes=1)
    assert is_sign_in(desk.get("/staff/pindai"))
    assert is_sign_in(replay(app, cookie))
    sign_in(desk, "petugas")  # signing in again gives a new 12 hours
    assert desk.get("/staff/pindai").status_code == 200
