"""Personal-data duties: masked logs, key rotation, retention purge, subject export and erasure."""

import datetime as dt
import json
import logging

import pytest
from cryptography.fernet import Fernet

from kiosk import crypto, privacy
from kiosk.businesses import owner
from kiosk.crypto import DataVault
from kiosk.models import AuditEntry, Business, Draft, Registration
from kiosk.services.phone import display_phone
from tests.factories import make_business
from tests.flows import (
    BUSINESS,
    CONTACT,
    FEMALE_NIK,
    IDENTITY,
    OWNER,
    WORKERS,
    fill_business,
    register,
    register_business,
    sign_in,
    start_visit,
)

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
    assert "re-encrypted 1 registrations, 0 businesses and 2 drafts" in result.output
    new_first = app.config["DATA_KEYS"].split(",")[0]
    assert new_first not in old_keys and app.config["DATA_KEYS"].endswith(old_keys)
    after = Registration.get()
    assert after.nik_enc != before.nik_enc and after.phone_enc != before.phone_enc
    assert after.personal_enc != before.personal_enc
    only_new = DataVault(new_first, app.config["INDEX_KEY"])  # the old key can now be dropped
    assert only_new.decrypt(after.nik_enc) == IDENTITY["nik"]
    assert only_new.decrypt(after.phone_enc) == "+6281234567890"
    assert only_new.unseal(after.personal_enc) == {
        "birth_place": "Surabaya", "birth_date": "1985-08-17", "nik_birth_date": "1985-08-17",
        "address": CONTACT["address"], "email": None}
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
    assert "purged 2 drafts, 1 rejected applications and 0 rejected businesses" in result.output
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
    receipt, token = register(app.test_client(), contact={"email": "syafii@contoh.id"})
    result = runner.invoke(args=["privacy", "export", "--nik", "3578-0117-0885-0003"])
    data = json.loads(result.output)
    registration = data["registrations"][0]
    assert registration["nik"] == IDENTITY["nik"] and registration["phone"] == "+6281234567890"
    assert registration["full_name"] == "Moh. Syafi'i" and registration["token"] == token
    assert (registration["birth_place"], registration["birth_date"], registration["nik_birth_date"]) == (
        "Surabaya", "1985-08-17", "1985-08-17")
    assert registration["address"] == CONTACT["address"] and registration["email"] == "syafii@contoh.id"
    assert "personal_enc" not in registration
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


# --- businesses: their owners and their workers ------------------------------------------------------

OWNER_PHONE = "+6281311112222"  # OWNER["phone"] as stored
WORKER_NIK = WORKERS[1]["nik"]


@pytest.fixture
def kiosk_business(app):
    """A business registered through the kiosk flow (owner FEMALE_NIK, three workers); its client still
    holds the finished visit, as a kiosk does until Selesai."""
    client = app.test_client()
    _receipt, token = register_business(client)
    return Business.get(Business.token == token)


def owner_name(app, business_id: int) -> str:
    with app.app_context():
        return owner(Business.get_by_id(business_id)).full_name


def only_key(app, key: str) -> None:
    """Run the app with this data key alone, as after the old keys were retired."""
    app.config["DATA_KEYS"] = key
    crypto.init_app(app)


def test_rotation_covers_business_owners_and_the_old_key_can_be_retired(app, runner, kiosk_business):
    for n in range(3):
        make_business(app, name=f"Koperasi {n}", first_serial=200 + 10 * n, owner_nik=f"35780117088500{50 + n}")
    before = {b.id: (b.owner_nik_enc, b.owner_phone_enc, b.owner_enc, b.address_enc) for b in Business.select()}
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 12 registrations, 4 businesses and 1 drafts" in result.output
    new_first = app.config["DATA_KEYS"].split(",")[0]
    only_new = DataVault(new_first, app.config["INDEX_KEY"])
    for business in Business.select():
        now = (business.owner_nik_enc, business.owner_phone_enc, business.owner_enc, business.address_enc)
        assert all(new != old for new, old in zip(now, before[business.id]))
        assert len(only_new.decrypt(business.owner_nik_enc)) == 16
        assert only_new.decrypt(business.owner_phone_enc).startswith("+628")
        assert only_new.unseal(business.owner_enc)["owner_full_name"]
        assert only_new.unseal(business.address_enc)["address"]
    registered = Business.get_by_id(kiosk_business.id)
    assert only_new.decrypt(registered.owner_nik_enc) == FEMALE_NIK
    assert only_new.decrypt(registered.owner_phone_enc) == OWNER_PHONE
    assert only_new.unseal(registered.owner_enc) == {"owner_full_name": OWNER["full_name"], "email": None}
    assert only_new.unseal(registered.address_enc) == {"address": BUSINESS["address"]}
    for worker in Registration.select():
        assert len(only_new.decrypt(worker.nik_enc)) == 16
        assert only_new.unseal(worker.personal_enc)["birth_date"]
    # The desk, with the old key gone, still shows the owner's data.
    only_key(app, new_first)
    staff = app.test_client()
    sign_in(staff, "petugas")
    revealed = staff.post(f"/staff/usaha/{kiosk_business.token}/data", headers={"HX-Request": "true"})
    assert revealed.status_code == 200 and FEMALE_NIK in revealed.data.decode()
    assert display_phone(OWNER_PHONE) in revealed.data.decode() and OWNER["full_name"] in revealed.data.decode()
    assert BUSINESS["address"] in staff.get(f"/staff/usaha/{kiosk_business.token}").data.decode()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_rotation_goes_in_batches(app):
    for n in range(5):
        make_business(app, name=f"Usaha {n}", workers=(), owner_nik=f"35780117088500{60 + n}")
    old = app.config["DATA_KEYS"]
    new_key = Fernet.generate_key().decode()
    rotated = DataVault([new_key, old], app.config["INDEX_KEY"])
    with app.app_context():
        counts = privacy.reencrypt_all(rotated, batch=2)
    assert counts["businesses"] == 5
    only_new = DataVault(new_key, app.config["INDEX_KEY"])
    assert sorted(only_new.decrypt(b.owner_nik_enc) for b in Business.select()) == [
        f"35780117088500{60 + n}" for n in range(5)]


def test_export_of_an_owner_lists_their_businesses_and_its_history(app, runner, kiosk_business):
    staff = app.test_client()
    sign_in(staff, "petugas")
    staff.post(f"/staff/usaha/{kiosk_business.token}/data")  # an audited reveal
    result = runner.invoke(args=["privacy", "export", "--nik", "3578 2657 0885 0001"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["registrations"] == []  # the owner registered workers, not themself
    business = data["businesses"][0]
    assert business["owner_nik"] == FEMALE_NIK and business["owner_phone"] == OWNER_PHONE
    assert business["owner_full_name"] == OWNER["full_name"] and business["name"] == "Toko Maju Jaya"
    assert business["address"] == BUSINESS["address"] and business["email"] is None
    assert business["receipt_code"] == kiosk_business.receipt_code and business["nib"] == "9120001122334"
    assert not {"owner_nik_hash", "owner_phone_hash", "submission_key", "owner_nik_enc", "owner_enc"} & set(business)
    assert [(e["action"], e["subject"]) for e in data["history"]] == [("pii_reveal", f"business:{kiosk_business.id}")]
    entry = AuditEntry.select().where(AuditEntry.action == "export").get()
    assert json.loads(entry.detail) == {"kind": "subject", "registrations": 0, "businesses": 1}


def test_export_of_a_worker_names_the_business_that_registered_them(app, runner, kiosk_business):
    result = runner.invoke(args=["privacy", "export", "--nik", WORKER_NIK])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["businesses"] == []
    worker = data["registrations"][0]
    assert worker["nik"] == WORKER_NIK and worker["full_name"] == WORKERS[1]["full_name"]
    assert worker["kind"] == "pu" and worker["job"] == "Penjahit" and worker["programs"] == "JKK,JKM,JHT"
    assert worker["business"] == kiosk_business.id and worker["business_name"] == "Toko Maju Jaya"
    assert worker["business_receipt_code"] == kiosk_business.receipt_code
    assert worker["employer_contribution"] > 0 and worker["worker_contribution"] > 0


def test_erasing_an_owner_keeps_the_business_for_its_workers(app, runner, kiosk_business):
    other = make_business(app, name="UD Lain", first_serial=300)  # another owner, left alone
    staff = app.test_client()
    sign_in(staff, "petugas")
    staff.post(f"/staff/usaha/{kiosk_business.token}/data")
    assert Draft.select().where(Draft.id == kiosk_business.submission_key).exists()
    result = runner.invoke(args=["privacy", "erase", "--nik", FEMALE_NIK, "--yes"])
    assert result.exit_code == 0, result.output
    assert "erased 0 applications; removed the owner's personal data from 1 businesses" in result.output
    kept = Business.get_by_id(kiosk_business.id)
    assert (kept.name, kept.nib, kept.receipt_code, kept.status) == (
        "Toko Maju Jaya", "9120001122334", kiosk_business.receipt_code, "submitted")
    assert kept.owner_nik_masked == "" and kept.owner_nik_hash == ""
    assert kept.owner_phone_hash is None and kept.version == kiosk_business.version + 1
    with app.app_context():
        assert crypto.vault().decrypt(kept.owner_nik_enc) == "" == crypto.vault().decrypt(kept.owner_phone_enc)
        assert crypto.vault().unseal(kept.owner_enc) == {"owner_full_name": "", "email": None}
        assert crypto.vault().unseal(kept.address_enc) == {"address": BUSINESS["address"]}  # the business's
    # The finished visit held the owner's answers: it is gone; the workers and the other business stay.
    assert not Draft.select().where(Draft.id == kiosk_business.submission_key).exists()
    assert Registration.select().where(Registration.business == kept.id).count() == 3
    assert owner_name(app, other.id) == "Moh. Syafi'i"
    # Pages still work and show nothing of the owner.
    public = app.test_client().get(f"/u/{kiosk_business.token}")
    assert public.status_code == 200 and "S*** R***" not in public.data.decode()
    assert "Data pemilik sudah dihapus" in public.data.decode()
    assert "Data pemilik sudah dihapus" in staff.get(f"/staff/usaha/{kiosk_business.token}").data.decode()
    desk = staff.post(f"/staff/usaha/{kiosk_business.token}/data").data.decode()
    assert FEMALE_NIK not in desk and OWNER["full_name"] not in desk and "81311112222" not in desk
    assert json.loads(runner.invoke(args=["privacy", "export", "--nik", FEMALE_NIK]).output)["businesses"] == []
    # Rotation still goes through the emptied values.
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output
    erasure = json.loads(AuditEntry.get(AuditEntry.action == "erasure").detail)
    assert erasure == {"registration_ids": [], "business_ids": [kept.id], "worker_of_business_ids": [],
                       "drafts": 1}
    for entry in AuditEntry.select():
        assert FEMALE_NIK not in entry.detail and "Rahayu" not in entry.detail


def test_erasing_a_worker_deletes_their_application_and_updates_the_business_totals(app, runner, kiosk_business):
    workers = list(Registration.select().where(Registration.business == kiosk_business.id).order_by(Registration.id))
    erased = workers[1]
    assert erased.full_name == WORKERS[1]["full_name"]
    result = runner.invoke(args=["privacy", "erase", "--nik", WORKER_NIK, "--yes"])
    assert result.exit_code == 0, result.output
    assert "erased 1 applications; removed the owner's personal data from 0 businesses" in result.output
    assert app.test_client().get(f"/s/{erased.token}").status_code == 404
    left = [workers[0], workers[2]]
    assert [w.id for w in Registration.select().order_by(Registration.id)] == [w.id for w in left]
    business = Business.get_by_id(kiosk_business.id)
    assert business.employer_monthly == sum(w.employer_contribution for w in left)
    assert business.worker_monthly == sum(w.worker_contribution for w in left)
    assert owner_name(app, business.id) == OWNER["full_name"]  # the owner is somebody else
    status = app.test_client().get(f"/u/{kiosk_business.token}").data.decode()
    assert erased.receipt_code not in status and workers[0].receipt_code in status
    # The business's finished visit listed this worker: it is gone too.
    assert not Draft.select().where(Draft.id == kiosk_business.submission_key).exists()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    detail = json.loads(AuditEntry.get(AuditEntry.action == "erasure").detail)
    assert detail["registration_ids"] == [erased.id] and detail["worker_of_business_ids"] == [business.id]
    for entry in AuditEntry.select():
        assert WORKER_NIK not in entry.detail and "Dewi" not in entry.detail


def test_erasure_finds_an_unfinished_business_visit_holding_the_nik(app, runner):
    fill_business(app.test_client())  # up to Review: nothing submitted, the answers only in the draft
    register(app.test_client())  # somebody else's finished walk-in visit stays
    assert Draft.select().count() == 2
    result = runner.invoke(args=["privacy", "erase", "--nik", WORKERS[0]["nik"], "--yes"])
    assert "erased 0 applications" in result.output and "deleted 1 unfinished visits" in result.output
    assert Draft.select().count() == 1 and Registration.select().count() == 1


def test_purge_takes_business_visits_and_rejected_businesses_past_retention(app, runner, kiosk_business):
    old = dt.datetime(2020, 1, 1)
    gone = make_business(app, name="Ditolak Lama", first_serial=400, status="rejected")
    Registration.update(status="rejected", updated_at=old).where(Registration.business == gone.id).execute()
    stays_for_member = make_business(app, name="Ditolak Ada Anggota", first_serial=500, status="rejected")
    member = Registration.select().where(Registration.business == stays_for_member.id).first()
    Registration.update(status="active", kpj="12345678901").where(Registration.id == member.id).execute()
    (Registration.update(status="rejected", updated_at=old)
     .where(Registration.business == stays_for_member.id, Registration.id != member.id).execute())
    recent = make_business(app, name="Ditolak Baru", first_serial=600, status="rejected")
    Business.update(updated_at=old).where(Business.id.in_([gone.id, stays_for_member.id])).execute()
    Draft.update(updated_at=old).execute()  # the business visit is abandoned
    fill_business(app.test_client(), workers=[])  # a business visit going on now stays
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged 1 drafts, 5 rejected applications and 1 rejected businesses" in result.output
    assert "removed the owner's personal data from 1 rejected businesses" in result.output
    assert not Business.select().where(Business.id == gone.id).exists()
    kept = Business.get_by_id(stays_for_member.id)
    assert owner_name(app, kept.id) == "" and kept.owner_nik_hash == "" and kept.name == "Ditolak Ada Anggota"
    assert Registration.get_by_id(member.id).business_id == kept.id
    assert app.test_client().get(f"/s/{member.token}").status_code == 200
    assert owner_name(app, recent.id) == "Moh. Syafi'i"
    assert Business.get_by_id(kiosk_business.id).status == "submitted" and Draft.select().count() == 1
    detail = json.loads(AuditEntry.get(AuditEntry.action == "purge").detail)
    assert (detail["rejected_businesses"], detail["owners_forgotten"], detail["drafts"]) == (1, 1, 1)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
