"""Faults under load, against gunicorn: the server killed with SIGKILL mid-load, and the database away
for a moment. A receipt a person was shown is never lost; a person is never shown a 500."""

import contextlib
import sqlite3
import threading
import time

import pytest

from tests.load.conftest import (
    HTMX,
    UNAVAILABLE_MESSAGE,
    Kiosk,
    Stats,
    check_registrations,
    engine_line,
    person,
    run_kiosks,
)

pytestmark = pytest.mark.load

KILL_KIOSKS = 20
KILL_AFTER_RECEIPTS = 150


def test_sigkill_mid_load_loses_no_receipt(load_db, gunicorn_factory):
    server = gunicorn_factory(load_db).start()
    stats, gone, outcome = Stats(), set(), []
    load = threading.Thread(target=lambda: outcome.append(run_kiosks(
        server.base, load_db, kiosks=KILL_KIOSKS, per_kiosk=10_000, stats=stats, on_gone=gone.add)))
    load.start()
    deadline = time.monotonic() + 120
    while len(stats.receipts) < KILL_AFTER_RECEIPTS and time.monotonic() < deadline and load.is_alive():
        time.sleep(0.05)
    in_flight = stats.requests
    server.kill()  # master and workers at once, mid-request
    load.join(timeout=120)
    assert not load.is_alive()
    seen = list(stats.receipts)
    assert len(seen) >= KILL_AFTER_RECEIPTS, (len(seen), server.log_tail())
    assert not outcome[0][1], outcome[0][1][:5]  # no kiosk failed other than by losing the server
    assert len(gone) == KILL_KIOSKS, "every kiosk should have lost the server mid-visit"
    assert not stats.server_errors, stats.server_errors[:10]

    server.start()  # same database, same port
    result = check_registrations(load_db, seen)
    print(f"\nfaults: {engine_line(load_db, server)}")
    print(f"faults: SIGKILL after {len(seen)} receipts shown ({in_flight:,} requests): "
          f"{result['count']} registrations in the database after restart "
          f"({result['count'] - len(seen)} committed whose receipt page never reached its kiosk), "
          f"{len(result['missing_receipts'])} receipts missing, {len(result['problems'])} damaged rows")
    assert not result["missing_receipts"], result["missing_receipts"][:10]
    assert not result["problems"], result["problems"][:10]
    assert result["count"] == result["distinct_nik"]

    # Every receipt's QR still opens its status page, and new walk-ins register as before.
    checker = Kiosk(server.base, Stats())
    for _code, token, _nik in seen[:: max(1, len(seen) // 40)]:
        checker.get(f"/s/{token}")
    checker.close()
    after = Stats()
    _seconds, errors = run_kiosks(server.base, load_db, kiosks=5, per_kiosk=4, stats=after,
                                  first_kiosk=KILL_KIOSKS, offset=1_000_000)
    assert not errors and not after.server_errors and len(after.receipts) == 20, (errors[:3], after.server_errors[:3])
    final = check_registrations(load_db, seen + after.receipts)
    assert not final["missing_receipts"] and not final["problems"]


# --- the database away for a moment ---------------------------------------------------------------------

@contextlib.contextmanager
def database_away(load_db):
    """SQLite: another process-level connection holds the write lock past the busy timeout.
    PostgreSQL: the database stops accepting connections and its sessions are terminated."""
    if load_db.engine == "sqlite":
        holder = sqlite3.connect(load_db.url[len("sqlite:///"):], isolation_level=None, timeout=10,
                                 check_same_thread=False)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    else:
        import psycopg2

        admin = psycopg2.connect(load_db.admin_url)
        admin.autocommit = True
        cursor = admin.cursor()
        cursor.execute(f'ALTER DATABASE "{load_db.pg_name}" ALLOW_CONNECTIONS false')
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                       (load_db.pg_name,))
        try:
            yield
        finally:
            cursor.execute(f'ALTER DATABASE "{load_db.pg_name}" ALLOW_CONNECTIONS true')
            admin.close()


def test_database_away_for_a_moment(load_db, gunicorn_factory):
    server = gunicorn_factory(load_db, DB_BUSY_TIMEOUT_MS=400, DB_CONNECT_TIMEOUT_SECONDS=2).start()

    # One person in the middle of the identity step, one about to press Kirim.
    typing = Kiosk(server.base, Stats())
    typing.enrol(load_db.kiosk_codes[0])
    answers = person(5_000_000, load_db.villages)
    typing.post_and_follow("/daftar", {}, htmx=False)
    typing.post_and_follow("/daftar/persetujuan", {"agree": "yes"}, htmx=False)
    sending = Kiosk(server.base, Stats())
    sending.enrol(load_db.kiosk_codes[1])
    other = person(5_000_001, load_db.villages)
    sending.post_and_follow("/daftar", {}, htmx=False)
    for path, data in (("/daftar/persetujuan", {"agree": "yes"}), ("/daftar/identitas", other["identity"]),
                       ("/daftar/kontak", other["contact"]), ("/daftar/pekerjaan", other["work"]),
                       ("/daftar/program", other["program"])):
        sending.post_and_follow(path, data, htmx=False)

    # Meanwhile 10 kiosks keep registering; a 503 makes them wait and press the same button again.
    stats = Stats()
    crowd = threading.Thread(target=run_kiosks, args=(server.base, load_db), kwargs=dict(
        kiosks=10, per_kiosk=6, stats=stats, first_kiosk=2, offset=6_000_000, patient=True, double_taps=False))
    crowd.start()
    time.sleep(1.0)

    with database_away(load_db):
        time.sleep(0.5)
        status, _location, page = typing.request("POST", "/daftar/identitas", expect=503,
                                                 data={"csrf_token": typing.csrf, **answers["identity"]})
        _s, _l, fragment = typing.request("POST", "/daftar/identitas", headers=HTMX, expect=200,
                                          data={"csrf_token": typing.csrf, **answers["identity"]})
        _s, _l, submit_page = sending.request("POST", "/daftar/kirim", data={"csrf_token": sending.csrf},
                                              expect=503)
        time.sleep(2.0)  # the crowd runs into it too

    assert UNAVAILABLE_MESSAGE in page
    for field in ("nik", "full_name", "birth_place", "mother_name", "birth_year"):
        assert f'value="{answers["identity"][field]}"'.replace("'", "&#39;") in page, field
    assert UNAVAILABLE_MESSAGE in fragment and 'value="%s"' % answers["identity"]["nik"] in fragment
    assert UNAVAILABLE_MESSAGE in submit_page and 'action="/daftar/kirim"' in submit_page

    # The database is back: the same taps go through.
    typing.post_and_follow("/daftar/identitas", answers["identity"], htmx=False, expect_location="/daftar/kontak")
    _s, _l, receipt = sending.post_and_follow("/daftar/kirim", {}, htmx=False, expect_location="/tanda-terima")
    assert 'id="receipt-code"' in receipt
    crowd.join(timeout=180)
    assert not crowd.is_alive()
    typing.close()
    sending.close()

    result = check_registrations(load_db, stats.receipts)
    print(f"\nfaults: {engine_line(load_db, server)}")
    print(f"faults: database away ~3 s under 10 kiosks: {stats.unavailable} polite 503 answers, "
          f"{sum(1 for _m, _p, s in stats.server_errors if s != 503)} other 5xx, "
          f"{len(stats.receipts)}/60 crowd registrations completed afterwards, {result['count']} in the database")
    assert stats.unavailable > 0  # the crowd did run into the outage
    assert not [e for e in stats.server_errors if e[2] != 503], stats.server_errors[:10]
    assert not stats.unexpected, stats.unexpected[:5]
    assert len(stats.receipts) == 60
    assert result["count"] == 61 and result["distinct_nik"] == 61  # the crowd and the one who pressed Kirim
    assert not result["missing_receipts"] and not result["problems"]
    assert "Traceback" not in server.log_text()
