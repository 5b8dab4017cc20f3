"""CSRF, hostile input, kiosk enrolment and auto-print, database set-up commands."""

import re

import pytest

from kiosk.models import Draft, Kiosk, Region, Registration
from tests.flows import CONTACT, IDENTITY, PROGRAM, WORK, register, start_visit

HOSTILE = [
    "<script>alert('x')</script>", '"><img src=x onerror=alert(1)>', "'; DROP TABLE registration; --",
    "A" * 100_000, "\x00\x01\x02", "\u202eevil", "😀" * 50, "%s%n%x", "{{7*7}}", "../../etc/passwd",
    "\ud7ff\ufffe", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",
]
STEPS = [("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT), ("/daftar/pekerjaan", WORK),
         ("/daftar/program", PROGRAM)]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_in_every_field_never_breaks_or_echoes_markup(client, payload):
    start_visit(client)
    for url, good in STEPS:
        for field in good:
            response = client.post(url, data={**good, field: payload})
            html = response.data.decode()
            assert response.status_code < 500, (url, field)
            assert "<script>alert('x')</script>" not in html and "<img src=x" not in html
            assert "49" not in re.findall(r">([^<]*)<", html.split("<main", 1)[-1])[:1]
        client.post(url, data=good)  # move on with good answers
    for url in ("/daftar/identitas/nik", "/daftar/program/hitung", "/cek"):
        response = client.post(url, data={"nik": payload, "package": payload, "period": payload,
                                          "mother_name": payload})
        assert response.status_code < 500
        assert "<script>alert('x')</script>" not in response.data.decode()
    for url in ("/daftar/kontak/wilayah", "/daftar/pekerjaan/wilayah"):
        assert client.get(url, query_string={"province": payload, "regency": payload}).status_code == 200


def test_rejected_input_changes_nothing_in_the_database(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    before = Draft.get().data
    client.post("/daftar/kontak", data={**CONTACT, "phone": "<script>"})
    assert Draft.get().data == before
    assert Registration.select().count() == 0


def test_every_post_needs_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    for url in ("/daftar", "/selesai", "/bahasa", "/cek", "/daftar/persetujuan", "/daftar/kirim"):
        response = client.post(url, data={})
        assert response.status_code == 400, url
        assert "kedaluwarsa" in response.data.decode()


def test_the_flow_works_with_csrf_on(csrf_app):
    client = csrf_app.test_client()
    html = client.get("/").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/daftar", data={"csrf_token": token}).status_code == 303
    html = client.get("/daftar/persetujuan").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/daftar/persetujuan", data={"csrf_token": token, "agree": "yes"})
    assert response.location.endswith("/daftar/identitas")
    # htmx sends the token as a header (set on <body hx-headers>)
    response = client.post("/daftar/identitas/nik", data={"nik": "3578011708850003"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200 and "NIK terbaca" in response.data.decode()


def test_oversized_requests_are_refused_politely(client):
    response = client.post("/cek", data={"nik": "1" * 300_000})
    assert response.status_code == 413 and "terlalu panjang" in response.data.decode()


@pytest.fixture
def demo_kiosk(app):
    return Kiosk.create(name="Kios Pasar Turi", place="Pasar Turi, Surabaya", regency_code="35.78",
                        kind="market", enrol_code="enrol-test-code")


def test_enrolled_kiosk_is_recorded_and_prints_the_receipt_once(client, demo_kiosk):
    response = client.get("/kiosk/pasang/enrol-test-code")
    assert response.status_code == 303 and "kiosk=" in response.headers["Set-Cookie"]
    receipt, token = register(client)
    assert 'data-autoprint="1"' in receipt.data.decode()
    assert 'data-autoprint' not in client.get("/tanda-terima").data.decode()  # a reload does not print again
    registration = Registration.get(Registration.token == token)
    assert registration.kiosk_id == demo_kiosk.id and registration.channel == "kiosk"


def test_unenrolled_browser_is_the_web_channel_and_never_autoprints(client):
    assert "lewat web" in client.get("/").data.decode()
    receipt, token = register(client)
    assert "data-autoprint" not in receipt.data.decode()
    assert Registration.get().channel == "web"


def test_unknown_or_forged_kiosk_codes_do_nothing(client, demo_kiosk):
    assert client.get("/kiosk/pasang/nope").status_code == 404
    client.set_cookie("kiosk", "forged.value")
    register(client)
    assert Registration.get().kiosk is None


def test_init_db_and_region_load_are_idempotent(runner):
    assert "schema up to date" in runner.invoke(args=["init-db"]).output
    before = Region.select().count()
    result = runner.invoke(args=["regions", "load", "--villages-of", "35"])
    assert "38 provinces, 514 regencies, 7285 districts, 8494 villages" in result.output
    assert Region.select().count() == before


def test_seed_demo_creates_one_kiosk(runner):
    first = runner.invoke(args=["seed-demo"]).output
    second = runner.invoke(args=["seed-demo"]).output
    assert "created" in first and "exists" in second and "/kiosk/pasang/" in second
    assert Kiosk.select().count() == 1


def test_region_names_with_quotes_survive_the_csv(app):
    quoted = [r.name for r in Region.select().where(Region.name.contains('"') | Region.name.contains("'"))]
    assert all(name == name.strip() for name in quoted)
    assert Region.get_by_id("35").name == "Jawa Timur"
    assert Region.get_by_id("35.78").name == "Kota Surabaya"
    assert Region.select().where(Region.level == Region.DISTRICT, Region.parent == "35.78").count() == 31


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from kiosk.db import db
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite pragmas only")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_secrets_are_generated_into_the_instance_folder(tmp_path, database_url):
    import os

    from kiosk import create_app
    os.environ["KIOSK_INSTANCE_PATH"] = str(tmp_path / "inst")
    try:
        app = create_app({"DATABASE_URL": database_url, "DEMO": True})
        again = create_app({"DATABASE_URL": database_url, "DEMO": True})
    finally:
        del os.environ["KIOSK_INSTANCE_PATH"]
    for name in ("secret_key", "data_keys", "index_key"):
        assert (tmp_path / "inst" / name).exists()
        assert oct((tmp_path / "inst" / name).stat().st_mode)[-3:] == "600"
    assert app.config["DATA_KEYS"] == again.config["DATA_KEYS"]


def test_security_headers_forbid_inline_code_framing_and_referrers(client):
    for url in ("/", "/cek", "/staff/masuk"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response.headers  # plain http here
    secure = client.get("/", base_url="https://kios.example")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_no_inline_scripts_or_styles_in_any_page(client):
    import re
    register(client)
    for url in ("/", "/tanda-terima", "/cek", "/staff/masuk"):
        html = client.get(url).data.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and ' style="' not in html, url


def test_session_cookie_is_httponly_and_lax(client):
    response = client.post("/daftar")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_nul_characters_never_reach_the_database(client):
    start_visit(client)
    response = client.post("/daftar/identitas", data={**IDENTITY, "full_name": "Bu\x00di", "birth_place": "\x00"})
    assert response.status_code == 422  # the empty place of birth; the name without its NUL is fine
    assert 'value="Budi"' in response.data.decode()
    assert client.get("/s/AAAA\x00AAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/daftar/kontak/wilayah", query_string={"province": "3\x005"}).status_code == 200
