"""A real server: it knows its public address, answers only for that host, never seeds demo accounts."""

import os
import subprocess
from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.models import StaffUser
from tests.conftest import TEST_KEYS, make_app
from tests.flows import register

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://kios.example.go.id"


def test_a_server_without_its_public_address_refuses_to_start(database_url, tmp_path):
    os.environ["KIOSK_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_BASE_URL"):
            create_app({"DATABASE_URL": database_url, **TEST_KEYS})
        assert create_app({"DATABASE_URL": database_url, "DEMO": 1, **TEST_KEYS})  # make run's demo
    finally:
        del os.environ["KIOSK_INSTANCE_PATH"]


@pytest.fixture
def public_app(database_url, tmp_path):
    from tests.conftest import with_empty_tables

    yield from with_empty_tables(make_app(database_url, tmp_path, PUBLIC_BASE_URL=BASE,
                                          ALLOWED_HOSTS="10.0.0.5,localhost"))


def test_a_forged_host_header_is_refused_and_never_reaches_a_receipt(public_app):
    client = public_app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.post("/daftar", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", base_url="https://kios.example.go.id").status_code == 200
    assert client.get("/", base_url="http://10.0.0.5:8000").status_code == 200  # the kiosks' LAN address
    receipt, token = register(public_app.test_client())  # a kiosk reaching the server by its LAN name
    html = receipt.data.decode()
    assert f"{BASE}/s/{token}" in html and "http://localhost" not in html


def test_cookies_are_secure_over_https_and_still_work_on_a_kiosks_plain_lan_link(public_app):
    response = public_app.test_client().post("/daftar", base_url=BASE)
    assert "; Secure" in response.headers["Set-Cookie"]
    # A kiosk on the LAN over plain http: a Secure cookie would be dropped by the browser (no session,
    # no CSRF token, every form "expired").
    lan = public_app.test_client().post("/daftar", base_url="http://10.0.0.5:8000")
    assert "Secure" not in lan.headers["Set-Cookie"]


def test_a_forged_host_with_a_json_body_is_a_400_not_a_500(public_app):
    response = public_app.test_client().post("/daftar", json={"a": 1}, headers={"Host": "evil.example"})
    assert response.status_code == 400


@pytest.mark.parametrize("base", ["kios.example.go.id", "ftp://kios.example.go.id", "https://"])
def test_a_malformed_public_address_stops_the_start(database_url, tmp_path, base):
    with pytest.raises(RuntimeError, match="full address"):
        make_app(database_url, tmp_path, PUBLIC_BASE_URL=base)


@pytest.mark.parametrize("settings", [{"PUBLIC_BASE_URL": BASE}, {"PRODUCTION": True}])
def test_seed_demo_refuses_on_a_real_server(database_url, tmp_path, settings):
    app = make_app(database_url, tmp_path, **settings)
    with app.app_context():
        StaffUser.delete().execute()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code != 0 and "refusing" in result.output
        assert StaffUser.select().count() == 0
        forced = app.test_cli_runner().invoke(args=["seed-demo", "--force"])
        assert forced.exit_code == 0 and StaffUser.select().count() == 3
        StaffUser.delete().execute()


def test_make_db_creates_no_demo_accounts_and_make_run_does():
    dry = {target: subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True).stdout
           for target in ("db", "run")}
    assert "seed-demo" not in dry["db"] and "init-db" in dry["db"]
    assert "seed-demo" in dry["run"]
