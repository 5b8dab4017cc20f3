"""Staff sign-in and sessions as an attacker tries them (penetration test findings): guessing a password
from many addresses with made-up cookies, replaying a saved session cookie, flooding the audit log."""

import json
import re
import secrets

import pytest

from kiosk.models import AuditEntry, SigninCounter, StaffSession, StaffUser
from tests.factories import PASSWORD, fake_clock, make_staff
from tests.flows import sign_in

WRONG = "tebakan-salah-1"
LOCKED_ID = "Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini"
LOCKED_EN = "Too many failed sign-ins with this username"


@pytest.fixture
def clock(monkeypatch):
    return fake_clock(monkeypatch)


def stranger(app, n: int):
    """A client from its own address with a made-up kiosk cookie and no session: nothing to tie it to the others."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.{n // 250}.{n % 250}.7"
    client.set_cookie("kiosk", secrets.token_urlsafe(24))
    return client


def try_password(app, n: int, username: str, password: str = WRONG):
    return stranger(app, n).post("/staff/masuk", data={"username": username, "password": password})


def audit_rows(*actions):
    query = AuditEntry.select().order_by(AuditEntry.seq)
    if actions:
        query = query.where(AuditEntry.action.in_(actions))
    return [(e.action, e.subject, json.loads(e.detail)) for e in query]


def saved_session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str, url: str = "/staff/antrian"):
    """The saved cookie sent from another browser (a fresh client that has no cookie jar of its own)."""
    return app.test_client(use_cookies=False).get(url, headers={"Cookie": f"session={cookie}"})


def is_sign_in(response) -> bool:
    return response.status_code == 302 and "/staff/masuk" in response.location


# --- (a) failed sign-ins counted per username, whatever the client ------------------------------------

def test_thirty_guesses_from_thirty_addresses_lock_the_name_and_even_the_right_password_waits(app, clock):
    make_staff("petugas")
    answers = [try_password(app, n, "petugas-test") for n in range(30)]
    assert [a.status_code for a in answers[:5]] == [422] * 5
    assert LOCKED_ID not in answers[3].data.decode() and LOCKED_ID in answers[4].data.decode()
    assert [a.status_code for a in answers[5:]] == [429] * 25
    assert all("pukul 10:01 WIB" in a.data.decode() for a in answers[4:])

    right = stranger(app, 99)
    response = right.post("/staff/masuk", data={"username": "petugas-test", "password": PASSWORD})
    assert response.status_code == 429 and LOCKED_ID in response.data.decode()
    assert is_sign_in(right.get("/staff/antrian"))
    assert SigninCounter.get(SigninCounter.key == f"user:{StaffUser.get().id}").failures == 5  # refusals uncounted


def test_the_lock_grows_with_each_further_failure_and_a_right_password_clears_it(app, clock):
    make_staff("petugas")
    for n in range(5):
        try_password(app, n, "petugas-test")
    clock.advance(minutes=1, seconds=1)
    assert "pukul 10:06 WIB" in try_password(app, 5, "petugas-test").data.decode()  # 6th failure: 5 minutes
    clock.advance(minutes=5, seconds=1)
    assert "pukul 10:21 WIB" in try_password(app, 6, "petugas-test").data.decode()  # 7th: 15 minutes
    clock.advance(minutes=15, seconds=1)
    assert try_password(app, 7, "petugas-test", PASSWORD).status_code == 303
    assert [try_password(app, 8 + n, "petugas-test").status_code for n in range(4)] == [422] * 4  # counted from 0


def test_unknown_names_are_counted_and_answered_exactly_like_accounts(app, clock):
    make_staff("petugas")

    def answers(username):
        found = []
        for n in range(7):
            response = try_password(app, n, username)
            html = response.data.decode().replace(username, "NAME")
            found.append((response.status_code, re.sub(r"[A-Za-z0-9._-]{60,}", "", html)))  # CSRF tokens differ
        return found

    assert answers("petugas-test") == answers("petugas-tamu")
    assert SigninCounter.select().where(SigninCounter.key.startswith("name:")).count() == 1


def test_the_lock_message_is_in_the_persons_language(app, clock):
    client = stranger(app, 1)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    for _ in range(5):
        response = client.post("/staff/masuk", data={"username": "siapa-saja", "password": WRONG})
    html = response.data.decode()
    assert LOCKED_EN in html and "10:01 WIB" in html and LOCKED_ID not in html


def test_a_lock_is_audited_shown_to_the_admin_who_can_lift_it(app, clock):
    admin_desk = app.test_client()
    sign_in(admin_desk, "admin")
    petugas = make_staff("petugas")
    for n in range(5):
        try_password(app, n, "petugas-test")
    locks = audit_rows("login_locked")
    assert len(locks) == 1
    _, subject, detail = locks[0]
    assert subject == f"account:{petugas.id}" and detail["username"] == "petugas-test"
    assert detail["failures"] == 5 and detail["locked_until"] == "2026-11-17T03:01:00"

    html = admin_desk.get(f"/admin/akun/{petugas.id}").data.decode()
    assert "Dikunci sampai 10:01 WIB (5 kali gagal masuk)" in html
    assert admin_desk.post(f"/admin/akun/{petugas.id}/buka-kunci").status_code == 303
    assert "Dikunci sampai" not in admin_desk.get(f"/admin/akun/{petugas.id}").data.decode()
    assert audit_rows("account")[-1][2]["change"] == "unlock"
    assert try_password(app, 50, "petugas-test", PASSWORD).status_code == 303


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
    url, data = {"password": ("kata-sandi",
                              {"password": "sandi-baru-panjang", "password_confirm": "sandi-baru-panjang"}),
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


# --- (c) the audit log cannot be flooded -------------------------------------------------------------

def test_forty_anonymous_failed_or_throttled_sign_ins_write_a_few_rows_with_counts(app, clock):
    client = stranger(app, 1)  # one address: after 5 failures the per-address limit answers 429
    statuses = [client.post("/staff/masuk", data={"username": f"tamu-{n:02}", "password": WRONG}).status_code
                for n in range(40)]
    assert statuses == [422] * 5 + [429] * 35
    rows = audit_rows()
    assert len(rows) == 1
    action, subject, detail = rows[0]
    assert (action, subject, detail["username"]) == ("login_failed", "", "ta… (7)")  # no account: masked

    clock.advance(seconds=16)
    client.post("/staff/masuk", data={"username": "tamu-40", "password": WRONG})
    rows = audit_rows()
    assert len(rows) == 2 and rows[1][0] == "login_throttled" and rows[1][2]["attempts_all"] == 40
    assert not any(re.search(r"tamu-\d", json.dumps(detail, ensure_ascii=False)) for _, _, detail in rows)


def test_guesses_at_one_account_write_one_failure_row_and_the_lock(app, clock):
    petugas = make_staff("petugas")
    for n in range(40):
        try_password(app, n, "petugas-test")
    assert [(action, detail["username"]) for action, _, detail in audit_rows()] == [
        ("login_failed", "petugas-test"), ("login_locked", "petugas-test")]
    clock.advance(minutes=2)
    assert try_password(app, 41, "petugas-test", PASSWORD).status_code == 303
    action, subject, detail = audit_rows()[-1]
    assert (action, subject, detail) == ("login", "", {"failures_before": 5})
    assert petugas.id == AuditEntry.select().order_by(AuditEntry.seq.desc()).get().actor_id


def test_a_locked_out_admin_gets_back_in_from_the_command_line(app):
    from tests.factories import PASSWORD, make_staff

    make_staff("admin", "kepala-admin")
    client = app.test_client()
    for n in range(6):
        client.post("/staff/masuk", data={"username": "kepala-admin", "password": f"salah-{n}"},
                    environ_base={"REMOTE_ADDR": f"203.0.113.{n + 1}"})
    refused = app.test_client().post("/staff/masuk", data={"username": "kepala-admin", "password": PASSWORD},
                                     environ_base={"REMOTE_ADDR": "203.0.113.99"})
    assert refused.status_code == 429
    result = app.test_cli_runner().invoke(args=["staff", "unlock", "kepala-admin"])
    assert result.exit_code == 0 and "unlocked" in result.output
    response = app.test_client().post("/staff/masuk", data={"username": "kepala-admin", "password": PASSWORD},
                                      environ_base={"REMOTE_ADDR": "203.0.113.98"})
    assert response.status_code == 303
