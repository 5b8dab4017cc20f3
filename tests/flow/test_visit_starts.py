"""Starting visits: limited per kiosk/IP (each one is a draft), and abandoned drafts purged by the app itself
and by `privacy purge-drafts`."""

import datetime as dt
import json
import secrets

import pytest
from peewee import OperationalError

from kiosk import drafts
from kiosk.models import AuditEntry, Draft, utcnow
from tests.flows import start_visit


def stranger(app):
    """A client that made up its own kiosk cookie and has no session (a new one per request)."""
    client = app.test_client()
    client.set_cookie("kiosk", secrets.token_urlsafe(24))
    return client


def test_a_hundred_visit_starts_make_at_most_the_limit_of_drafts(app):
    codes = [stranger(app).post("/daftar" if n % 2 else "/usaha").status_code for n in range(100)]
    assert codes[:30] == [303] * 30 and set(codes[30:]) == {429}
    assert Draft.select().count() == 30  # walk-in and business starts count together


def test_the_limit_answers_politely_in_the_persons_language(app, htmx_headers):
    app.config["VISIT_START_LIMIT"] = "1 per 10 minutes"
    client = app.test_client()
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    assert client.post("/daftar").status_code == 303
    page = client.post("/daftar")
    html = page.data.decode()
    assert page.status_code == 429 and "Please wait a moment" in html and "Traceback" not in html
    assert 'href="/"' in html
    # An htmx tap on Daftar gets the screen itself (htmx swaps no 429), as a step's invalid form does.
    tapped = client.post("/usaha", headers=htmx_headers)
    assert tapped.status_code == 200 and "Please wait a moment" in tapped.data.decode()
    assert "<html" not in tapped.data.decode()


def test_the_limit_is_a_setting(app):
    app.config["VISIT_START_LIMIT"] = "2 per 10 minutes"
    assert [stranger(app).post("/daftar").status_code for _ in range(3)] == [303, 303, 429]


def age(draft_id, seconds):
    Draft.update(updated_at=utcnow() - dt.timedelta(seconds=seconds)).where(Draft.id == draft_id).execute()


def test_starting_a_visit_purges_abandoned_drafts_now_and_then(app, monkeypatch):
    idle = app.config["DRAFT_MAX_IDLE_SECONDS"]
    start_visit(stranger(app))
    abandoned, recent = Draft.create(id="abandoned"), Draft.create(id="recent")
    age(abandoned.id, idle + 5)
    age(recent.id, idle - 60)
    app.test_client().post("/daftar")  # the first start of this process has purged before: not again yet
    assert Draft.select().where(Draft.id == "abandoned").exists()
    clock = drafts.time.monotonic() + app.config["DRAFT_PURGE_EVERY_SECONDS"] + 1
    monkeypatch.setattr(drafts.time, "monotonic", lambda: clock)
    app.test_client().post("/usaha")
    assert not Draft.select().where(Draft.id == "abandoned").exists()
    assert Draft.select().where(Draft.id == "recent").exists() and Draft.select().count() == 4


def test_a_visit_still_starts_when_the_purge_cannot_run(app, monkeypatch):
    def locked(*_args, **_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(drafts, "purge_abandoned", locked)
    response = app.test_client().post("/daftar")
    assert response.status_code == 303 and Draft.select().count() == 1


def test_the_purge_keeps_a_visit_going_on(app):
    client = app.test_client()
    start_visit(client)
    age(Draft.get().id, app.config["DRAFT_MAX_IDLE_SECONDS"] - 30)
    with app.app_context():
        assert drafts.purge_abandoned() == 0
    assert client.get("/daftar/identitas").status_code == 200


@pytest.mark.parametrize("idle_seconds, retention_hours, purged", [(600, 24, 2), (3 * 3600, 24, 1), (3 * 3600, 1, 2)])
def test_purge_drafts_command_removes_what_no_visit_can_come_back_to(app, runner, idle_seconds,
                                                                     retention_hours, purged):
    # Untouched past the visit's idle limit, or past the retention period when that is shorter.
    app.config.update(DRAFT_MAX_IDLE_SECONDS=idle_seconds, DRAFT_RETENTION_HOURS=retention_hours)
    for n, seconds in enumerate((idle_seconds + 1, 2 * 3600, 30)):
        Draft.create(id=f"d{n}")
        age(f"d{n}", seconds)
    result = runner.invoke(args=["privacy", "purge-drafts"])
    assert result.exit_code == 0, result.output
    assert f"purged {purged} abandoned drafts" in result.output
    assert Draft.select().count() == 3 - purged and Draft.select().where(Draft.id == "d2").exists()
    assert json.loads(AuditEntry.get(AuditEntry.action == "purge").detail)["drafts"] == purged
    assert runner.invoke(args=["privacy", "purge-drafts"]).output.strip() == "purged 0 abandoned drafts"
    assert AuditEntry.select().where(AuditEntry.action == "purge").count() == 1  # nothing went: no new row
