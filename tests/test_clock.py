"""One clock: "today" turns at midnight where the kiosks stand (WIB by default), not at midnight UTC, for the rates
quoted, the event a registration is tagged with, and every time shown to staff. The clock is frozen on either
side of midnight WIB (17:00 UTC)."""

import datetime as dt
import re

import pytest

from kiosk import clock
from kiosk.models import Event, Kiosk, KioskEvent, Registration
from tests.flows import CONTACT, IDENTITY, WORK, register, sign_in, start_visit


def freeze(monkeypatch, iso: str):
    """Every reading of the time (kiosk.clock.wall_clock) answers this UTC instant."""
    instant = dt.datetime.fromisoformat(iso).replace(tzinfo=dt.timezone.utc)
    monkeypatch.setattr(clock, "wall_clock", lambda: instant)


@pytest.mark.parametrize("utc, wib_day", [
    ("2026-12-31T16:59:00", dt.date(2026, 12, 31)),
    ("2026-12-31T17:01:00", dt.date(2027, 1, 1)),
    ("2027-03-31T16:59:00", dt.date(2027, 3, 31)),
    ("2027-03-31T17:01:00", dt.date(2027, 4, 1)),
])
def test_today_turns_at_midnight_in_jakarta(monkeypatch, utc, wib_day):
    freeze(monkeypatch, utc)
    assert clock.today() == wib_day
    assert clock.utcnow() == dt.datetime.fromisoformat(utc)  # stored instants stay UTC


def test_a_province_in_wita_has_its_own_midnight(app, monkeypatch):
    freeze(monkeypatch, "2026-12-31T16:01:00")  # 00:01 WITA, 23:01 WIB
    app.config["TIMEZONE"] = "Asia/Makassar"
    with app.app_context():
        assert clock.today() == dt.date(2027, 1, 1) and clock.zone_label() == "WITA"
    assert clock.today() == dt.date(2026, 12, 31)  # outside the app: WIB


def monthly_estimate(client) -> str:
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT),
                      ("/daftar/pekerjaan", {**WORK, "occupation": "pedagang_pasar", "income": "1000000"})):
        assert client.post(url, data=data).status_code == 303, url
    return client.post("/daftar/program/hitung", data={"package": "base", "period": "1"}).data.decode()


def test_the_discount_ends_at_midnight_wib_not_at_seven_in_the_morning(client, monkeypatch):
    # PP 50/2025 halves JKK and JKM for a trader until 31 Dec 2026: 1% of 1.000.000 + 6.800 = 16.800 a month.
    freeze(monkeypatch, "2026-12-31T16:59:00")  # 23:59 WIB, the last minute of the discount
    assert "Rp\u00a08.400" in monthly_estimate(client)
    freeze(monkeypatch, "2026-12-31T17:01:00")  # 00:01 WIB on 1 January: UTC still says 31 December
    html = monthly_estimate(client)
    assert "Rp\u00a016.800" in html and "Rp\u00a08.400" not in html


def test_a_registration_at_dawn_on_an_events_first_day_is_tagged_with_it(app, client, monkeypatch):
    kiosk = Kiosk.create(name="Booth Alun-alun", place="Alun-alun Sidoarjo", regency_code="35.15", kind="event",
                         enrol_code="enrol-dawn-code")
    event = Event.create(name="Sosialisasi Pasar Larangan", place="Pasar Larangan", regency_code="35.15",
                         starts_on=dt.date(2026, 12, 2), ends_on=dt.date(2026, 12, 3))
    KioskEvent.create(kiosk=kiosk, event=event)
    client.get("/kiosk/pasang/enrol-dawn-code")
    freeze(monkeypatch, "2026-12-01T23:30:00")  # 06:30 WIB on 2 December, as the market opens
    _receipt, token = register(client)
    registration = Registration.get(Registration.token == token)
    assert registration.event_id == event.id
    assert registration.created_at == dt.datetime(2026, 12, 1, 23, 30)  # stored in UTC


def test_staff_history_shows_wib_times_in_order(app, client, monkeypatch):
    freeze(monkeypatch, "2026-12-01T23:10:00")  # 06:10 WIB, 2 December
    _receipt, token = register(client)
    freeze(monkeypatch, "2026-12-02T00:23:00")  # 07:23 WIB, the same morning
    desk = app.test_client()
    sign_in(desk, "petugas")
    registration = Registration.get(Registration.token == token)
    answer = desk.post(f"/s/{token}/status", data={"target": "verified", "version": registration.version})
    assert answer.status_code == 303
    html = desk.get(f"/s/{token}").data.decode()
    assert "2 Des 2026: didaftarkan" in html
    assert re.search(r"2 Des 2026 07\.23 WIB</span>", html), "the verification is shown at its WIB time"
    assert "2026-12-02 00:23" not in html and "2026-12-01" not in html
    queue = desk.get("/staff/antrian").data.decode()
    assert re.search(r"2 Des 2026 06\.10 WIB", queue), "the queue names the zone of its times"
    supervisor = app.test_client()
    sign_in(supervisor, "supervisor")
    audit = supervisor.get("/staff/audit").data.decode()
    assert "2 Des 2026 07.23.00 WIB" in audit and "2026-12-02T00:23" not in audit


def test_the_export_gives_wib_times_and_a_wib_file_name(app, client, monkeypatch):
    from tests.staff.test_export import csv_rows

    freeze(monkeypatch, "2026-12-31T17:01:00")  # 00:01 WIB on 1 January 2027
    _receipt, token = register(client)
    supervisor = app.test_client()
    sign_in(supervisor, "supervisor")
    response = supervisor.post("/staff/ekspor.csv")
    assert "kios-jamsos-20270101-0001.csv" in response.headers["Content-Disposition"]
    (row,) = csv_rows(response.data)
    assert row["created_at"] == "2027-01-01T00:01:00+07:00"
