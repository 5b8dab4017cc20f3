"""Abuse limits (Flask-Limiter), staff idle sign-out, uniform unknown-token answers, consent versions."""

import re
from pathlib import Path

from kiosk.models import AuditEntry, Registration
from tests.factories import PASSWORD, fake_clock, make_staff
from tests.flows import fill_all, register, sign_in


def test_failed_staff_logins_back_off_and_are_audited(client):
    make_staff("petugas")
    for _ in range(5):
        assert client.post("/staff/masuk", data={"username": "petugas-test", "password": "x"}).status_code == 422
    response = client.post("/staff/masuk", data={"username": "petugas-test", "password": PASSWORD})
    assert response.status_code == 429 and "Terlalu banyak percobaan" in response.data.decode()
    assert "Traceback" not in response.data.decode()
    # One row for the first failure, one for the lock; the 429 a moment later waits for the audit budget.
    assert AuditEntry.select().where(AuditEntry.action == "login_failed").count() == 1
    assert AuditEntry.select().where(AuditEntry.action == "login_locked").count() == 1
    assert AuditEntry.select().where(AuditEntry.action == "login_throttled").count() == 0


def test_limited_kiosk_user_sees_a_polite_message_in_their_language(app):
    app.config["SUBMIT_LIMIT"] = "1 per hour"
    client = app.test_client()
    register(client)
    client.post("/selesai")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    fill_all(client, identity={"nik": "3578104102000002", "sex": ""})
    response = client.post("/daftar/kirim")
    assert response.status_code == 429 and "Too many tries" in response.data.decode()
    assert Registration.select().count() == 1


def test_status_lookups_are_limited_per_client(app):
    app.config["STATUS_LIMIT"] = "3 per minute"
    client = app.test_client()
    _, token = register(client)
    codes = [client.get(f"/s/{token}").status_code for _ in range(3)]
    codes += [client.get("/s/AAAAAAAAAAAAAAAAAAAAAA").status_code]
    assert codes == [200, 200, 200, 429]


def test_unknown_tokens_all_get_the_same_answer(client):
    register(client)
    def body(token):  # the CSRF token is signed with a timestamp; everything else must be identical
        return re.sub(r"[A-Za-z0-9._-]{60,}", "", client.get(f"/s/{token}").data.decode())

    bodies = {body(token) for token in ("AAAAAAAAAAAAAAAAAAAAAA", "short", "has space here and more", "x" * 40, "%00")}
    statuses = {client.get(f"/s/{token}").status_code for token in ("AAAAAAAAAAAAAAAAAAAAAA", "short")}
    assert len(bodies) == 1 and statuses == {404}


def test_staff_are_signed_out_after_inactivity(app, client, monkeypatch):
    clock = fake_clock(monkeypatch)
    sign_in(client, "petugas")
    assert client.get("/staff/pindai").status_code == 200
    saved = client.get_cookie("session").value
    clock.advance(minutes=app.config["STAFF_IDLE_MINUTES"], seconds=5)
    response = client.get("/staff/pindai")
    assert response.status_code == 302 and "/staff/masuk" in response.location
    # The server decides, not the cookie: the copy saved while active is just as dead.
    replayed = app.test_client(use_cookies=False).get("/staff/pindai", headers={"Cookie": f"session={saved}"})
    assert replayed.status_code == 302


def test_staff_session_cookie_is_permanent_but_short(app, client):
    make_staff("petugas")
    response = client.post("/staff/masuk", data={"username": "petugas-test", "password": PASSWORD})
    assert "Expires=" in response.headers["Set-Cookie"]
    assert app.permanent_session_lifetime.total_seconds() == app.config["STAFF_IDLE_MINUTES"] * 60


def test_each_registration_links_a_kept_consent_text(app, client):
    register(client)
    version = Registration.get().consent_version
    text = Path(app.root_path, app.template_folder, "consent", f"{version}.html")
    assert text.exists() and "UU 27/2022" in text.read_text()
