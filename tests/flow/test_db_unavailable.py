"""The database goes away for a moment: the kiosk answers 503 with a polite "try again" in the person's
language, keeps what they typed, and the same answer goes through once the database is back.

The outage is real, not mocked: on SQLite another connection holds the write lock past the (here
shortened) busy timeout; on PostgreSQL the test database stops accepting connections and its backends
are terminated. The gunicorn-level version of this is tests/load/test_faults.py.
"""

import contextlib
import os
import re
import sqlite3
import threading
import time
from html import unescape
from urllib.parse import urlsplit

import pytest
from peewee import OperationalError

from kiosk.db import db, retry_locked
from kiosk.models import Draft, Registration
from tests.conftest import make_app, with_empty_tables
from tests.flows import BUSINESS, CONTACT, IDENTITY, OWNER, PROGRAM, WORK, fill_all, start_business, start_visit

MESSAGE_ID = "Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi, atau minta bantuan petugas."
MESSAGE_EN = "Your answers are still saved. Wait a moment and try again, or ask a staff member for help."
BUSY_MS = 150


@pytest.fixture
def app(database_url, tmp_path):
    from kiosk.web.extensions import limiter

    app = make_app(database_url, tmp_path, DB_BUSY_TIMEOUT_MS=BUSY_MS, DB_CONNECT_TIMEOUT_SECONDS=2)
    limiter.reset()  # after make_app: the counters live in this app's database
    yield from with_empty_tables(app)


@pytest.fixture
def outage(database_url):
    """A context manager: the database cannot take the kiosk's writes (SQLite) or anything (PostgreSQL)."""
    admin_url = os.environ.get("KIOSK_TEST_PG_ADMIN_URL")

    @contextlib.contextmanager
    def sqlite_locked():
        path = database_url[len("sqlite:///"):]
        holder = sqlite3.connect(path, isolation_level=None, timeout=5)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield "locked"
        finally:
            holder.execute("ROLLBACK")
            holder.close()

    @contextlib.contextmanager
    def postgres_refusing():
        import psycopg2

        name = urlsplit(database_url).path.lstrip("/")
        admin = psycopg2.connect(admin_url)
        admin.autocommit = True
        cursor = admin.cursor()
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        try:
            yield "refusing"
        finally:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            admin.close()

    return postgres_refusing if admin_url else sqlite_locked


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def input_value(html: str, name: str) -> str | None:
    match = re.search(r'<input[^>]*\bname="%s"[^>]*>' % re.escape(name), html)
    if not match:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def selected_option(html: str, name: str) -> str | None:
    select = re.search(r'<select[^>]*\bname="%s"[^>]*>(.*?)</select>' % re.escape(name), html, re.S)
    if not select:
        return None
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*\bvalue="([^"]*)"|<option[^>]*\bvalue="([^"]*)"[^>]*\bselected\b',
                       select.group(1))
    return (chosen.group(1) or chosen.group(2)) if chosen else None


def draft_answers(app, client):
    from kiosk.flow.visit import Visit

    with client.session_transaction() as session:
        draft_id = session["visit"]
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return Visit(Draft.get_by_id(draft_id)).data
        finally:
            db.close()


def count_registrations(app) -> int:
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return Registration.select().count()
        finally:
            db.close()


def test_identity_step_keeps_what_was_typed_and_goes_through_afterwards(app, client, outage):
    start_visit(client)
    typed = {**IDENTITY, "birth_day": "17", "birth_month": "8", "birth_year": "1985", "sex": "L"}
    with outage():
        response = client.post("/daftar/identitas", data=typed)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    html = text_of(response)
    assert MESSAGE_ID in html and 'role="alert"' in html
    for field in ("nik", "full_name", "birth_place", "mother_name", "birth_day", "birth_year"):
        assert input_value(html, field) == typed[field], field
    assert selected_option(html, "birth_month") == "8"
    assert re.search(r'<input[^>]*checked[^>]*value="L"|<input[^>]*value="L"[^>]*checked', html)

    again = client.post("/daftar/identitas", data=typed)  # the database is back: the same tap works
    assert again.status_code == 303 and again.location.endswith("/daftar/kontak")
    assert draft_answers(app, client)["identity"]["nik"] == IDENTITY["nik"]


def test_contact_step_keeps_the_chosen_village(app, client, outage):
    start_visit(client)
    assert client.post("/daftar/identitas", data=IDENTITY).status_code == 303
    client.get("/daftar/kontak")  # this process has now seen the region choices
    with outage():
        response = client.post("/daftar/kontak", data=CONTACT)
    assert response.status_code == 503
    html = text_of(response)
    assert MESSAGE_ID in html
    assert input_value(html, "phone") == CONTACT["phone"]
    assert input_value(html, "address") == CONTACT["address"]
    for level in ("province", "regency", "district", "village"):
        assert selected_option(html, level) == CONTACT[level], level
    assert client.post("/daftar/kontak", data=CONTACT).status_code == 303
    assert draft_answers(app, client)["contact"]["village"] == CONTACT["village"]


def test_work_step_and_program_step(app, client, outage):
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT)):
        assert client.post(url, data=data).status_code == 303
    with outage():
        work = client.post("/daftar/pekerjaan", data=WORK)
    assert work.status_code == 503
    html = text_of(work)
    assert input_value(html, "income") == WORK["income"]
    assert selected_option(html, "work_regency") == WORK["work_regency"]
    assert re.search(r'<input[^>]*value="tukang_becak"[^>]*checked|<input[^>]*checked[^>]*value="tukang_becak"', html)
    assert client.post("/daftar/pekerjaan", data=WORK).status_code == 303

    with outage():
        program = client.post("/daftar/program", data=PROGRAM)
    assert program.status_code == 503
    html = text_of(program)
    assert MESSAGE_ID in html
    # The estimate needs the draft, so the answer is the message and a button sending the same choice.
    assert input_value(html, "package") == "jht" and input_value(html, "period") == "3"
    assert client.post("/daftar/program", data=PROGRAM).status_code == 303


def test_submit_during_outage_then_once_after(app, client, outage):
    fill_all(client)
    with outage():
        response = client.post("/daftar/kirim")
    assert response.status_code == 503
    html = text_of(response)
    assert MESSAGE_ID in html and 'action="/daftar/kirim"' in html
    assert count_registrations(app) == 0
    retry = client.post("/daftar/kirim")
    assert retry.status_code == 303 and retry.location.endswith("/tanda-terima")
    assert client.post("/daftar/kirim").status_code == 303  # and again: still one registration
    assert count_registrations(app) == 1
    assert client.get("/tanda-terima").status_code == 200


def test_message_is_in_the_persons_language(app, client, outage):
    client.post("/bahasa", data={"lang": "en"})
    start_visit(client)
    with outage():
        response = client.post("/daftar/identitas", data=IDENTITY)
    assert response.status_code == 503
    html = text_of(response)
    assert MESSAGE_EN in html and MESSAGE_ID not in html
    assert input_value(html, "full_name") == IDENTITY["full_name"]


def test_htmx_step_gets_the_fragment_it_can_swap(app, client, outage, htmx_headers):
    start_visit(client)
    with outage():
        response = client.post("/daftar/identitas", data=IDENTITY, headers=htmx_headers)
    # htmx swaps no 5xx answer: like the 422 of an invalid form, the fragment comes with 200.
    assert response.status_code == 200
    html = text_of(response)
    assert MESSAGE_ID in html and "<html" not in html
    assert input_value(html, "nik") == IDENTITY["nik"]


def test_other_pages_get_the_generic_503(app, client, outage):
    with outage():
        response = client.post("/daftar")  # starting a visit writes its draft
    assert response.status_code == 503
    assert MESSAGE_ID in text_of(response)
    assert client.post("/daftar").status_code == 303


def test_a_lock_shorter_than_the_busy_timeout_is_waited_out(app, client, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite write lock")
    start_visit(client)
    holder = sqlite3.connect(database_url[len("sqlite:///"):], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(BUSY_MS / 3000, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        response = client.post("/daftar/identitas", data=IDENTITY)
    finally:
        release.join()
        holder.close()
    assert response.status_code == 303


# --- the retry helper ---------------------------------------------------------------------------------

class FakeDatabase:
    retry_window = 1.0

    def __init__(self, in_transaction=False):
        self._in_transaction = in_transaction

    def in_transaction(self):
        return self._in_transaction


def test_retry_locked_retries_quick_lock_errors_only():
    calls = []

    def flaky():
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_locked(flaky, database=FakeDatabase(), base_delay=0.001) == "done"
    assert len(calls) == 3

    def broken():
        calls.append(1)
        raise OperationalError("no such table: registration")

    calls.clear()
    with pytest.raises(OperationalError):
        retry_locked(broken, database=FakeDatabase(), base_delay=0.001)
    assert len(calls) == 1


def test_retry_locked_leaves_an_open_transaction_to_its_owner():
    calls = []

    def locked():
        calls.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        retry_locked(locked, database=FakeDatabase(in_transaction=True), base_delay=0.001)
    assert len(calls) == 1


def test_retry_locked_gives_up_after_its_window():
    calls = []

    def slow_lock():
        calls.append(1)
        time.sleep(0.03)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        retry_locked(slow_lock, database=FakeDatabase(), window=0.02, base_delay=0.001)
    assert len(calls) == 1


def test_business_steps_keep_what_was_typed_too(app, client, outage):
    start_business(client)
    typed = {**BUSINESS, "kind": "koperasi", "name": "Koperasi Sumber Rejeki", "address": "Jl. Pasar Baru 3"}
    with outage():
        response = client.post("/usaha/data", data=typed)
    assert response.status_code == 503 and response.headers["Retry-After"]
    html = text_of(response)
    assert MESSAGE_ID in html and 'role="alert"' in html
    for field in ("nib", "name"):
        assert input_value(html, field) == typed[field], field
    assert "Jl. Pasar Baru 3" in html and selected_option(html, "village") == typed["village"]
    assert client.post("/usaha/data", data=typed).status_code == 303  # the database is back: the same answers go

    owner = {**OWNER, "full_name": "Budi Santoso"}
    with outage():
        response = client.post("/usaha/pemilik", data=owner)
    assert response.status_code == 503
    html = text_of(response)
    assert input_value(html, "nik") == owner["nik"] and input_value(html, "full_name") == "Budi Santoso"
