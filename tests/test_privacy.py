"""Personal-data duties: masked logs, key rotation, retention purge, subject export and erasure."""

import datetime as dt
import json
import logging

from cryptography.fernet import Fernet

from kiosk.crypto import DataVault
from kiosk.models import AuditEntry, Draft, Registration
from tests.factories import IDENTITY, register, start_visit
from tests.staff_helpers import sign_in

PERSONAL = (IDENTITY["nik"], "3578 0117 0885 0003", "81234567890", "0812 3456 7890", "Syafi", "Aminah")


def test_logs_after_a_full_flow_hold_no_personal_data(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    receipt, token = register(client)
    staff = app.test_client()
    sign_in(staff, "supervisor")
    staff.get(f"/s/{token}")
    staff.get("/staff/cari", query_string={"q": "Syafi"})
    staff.get("/staff/cari", query_string={"q": IDENTITY["nik"]})
    # What a careless log call or an error would write, and the request lines a server writes:
    app.logger.warning("lookup failed for NIK 3578 0117 0885 0003 phone 0812 3456 7890")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /s/%s HTTP/1.1" 200 -', token)
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /staff/cari?q=Moh.+Syafi%%27i HTTP/1.1" 200 -')
    try:
        raise ValueError(f"bad row {IDENTITY['nik']}")
    except ValueError:
        app.logger.exception("export row failed")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert caplog.records, "nothing was logged"
    for value in (*PERSONAL, token):
        assert value not in text, value
    assert "/s/[token]" in text and "[nomor]" in text and "?[query]" in text


def test_key_rotation_reencrypts_and_old_keys_can_go(app, runner, tmp_path):
    register(app.test_client())
    start_visit(app.test_client())
    old_keys = app.config["DATA_KEYS"]
    before = Registration.get()
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 1 registrations and 2 drafts" in result.output
    new_first = app.config["DATA_KEYS"].split(",")[0]
    assert new_first not in old_keys and app.config["DATA_KEYS"].endswith(old_keys)
    after = Registration.get()
    assert after.nik_enc != before.nik_enc and after.phone_enc != before.phone_enc
    only_new = DataVault(new_first, app.config["INDEX_KEY"])  # the old key can now be dropped
    assert only_new.decrypt(after.nik_enc) == IDENTITY["nik"]
    assert only_new.decrypt(after.phone_enc) == "+6281234567890"
    for draft in Draft.select().where(Draft.data != ""):
        json.loads(only_new.decrypt(draft.data))
    old_only = DataVault(old_keys, app.config["INDEX_KEY"])
    try:
        old_only.decrypt(after.nik_enc)
        raise AssertionError("old key still decrypts new data")
    except ValueError:
        pass
    assert AuditEntry.get(AuditEntry.action == "key_rotation")
    # the app keeps working: the status page and a new registration
    receipt, token = register(app.test_client(), identity={"nik": "3578104102000002", "birth_day": "",
                                                            "birth_month": "", "birth_year": "", "sex": ""})
    assert app.test_client().get(f"/s/{token}").status_code == 200


def test_purge_removes_old_drafts_and_old_rejections_only(app, runner):
    register(app.test_client())
    start_visit(app.test_client())
    Registration.update(status="rejected", updated_at=dt.datetime(2020, 1, 1)).execute()
    Draft.update(updated_at=dt.datetime(2020, 1, 1)).execute()
    start_visit(app.test_client())  # a fresh visit stays
    result = runner.invoke(args=["privacy", "purge"])
    assert "purged 2 drafts and 1 rejected applications" in result.output
    assert Registration.select().count() == 0 and Draft.select().count() == 1
    entry = AuditEntry.get(AuditEntry.action == "purge")
    assert json.loads(entry.detail)["rejected"] == 1


def test_purge_keeps_recent_rejections_and_open_applications(app, runner):
    register(app.test_client())
    register(app.test_client(), identity={"nik": "3578104102000002", "sex": ""})
    Registration.update(status="rejected").where(Registration.id == Registration.select().first().id).execute()
    runner.invoke(args=["privacy", "purge"])
    assert Registration.select().count() == 2


def test_subject_export_holds_everything_about_one_nik(app, runner):
    receipt, token = register(app.test_client())
    result = runner.invoke(args=["privacy", "export", "--nik", "3578-0117-0885-0003"])
    data = json.loads(result.output)
    registration = data["registrations"][0]
    assert registration["nik"] == IDENTITY["nik"] and registration["phone"] == "+6281234567890"
    assert registration["full_name"] == "Moh. Syafi'i" and registration["token"] == token
    assert "mother_name_hash" not in registration and "mother" in data["not_held"]


def test_erasure_deletes_the_person_but_keeps_the_audit_chain(app, runner):
    receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    staff.post(f"/s/{token}/status", data={"target": "verified", "version": 1})
    result = runner.invoke(args=["privacy", "erase", "--nik", IDENTITY["nik"], "--yes"])
    assert "erased 1 applications" in result.output
    assert Registration.select().count() == 0
    assert app.test_client().get(f"/s/{token}").status_code == 404
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    for entry in AuditEntry.select():
        assert IDENTITY["nik"] not in entry.detail and "Syafi" not in entry.detail
