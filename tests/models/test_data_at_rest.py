"""Personal data at rest (penetration test, point 12): what somebody who copies the database file gets.

The attack: register through the kiosk, then read the SQLite database and its WAL as raw bytes. The
birth place and dates, the address, the e-mail and the business owner's name must not be in them,
while the desk and its exports still show them. Also: the instance folder and the files in it are
private from their first byte, and migration 005 encrypts a database that held these in clear.
"""

import datetime as dt
import os
import secrets
import stat
import string

import pytest
from peewee_migrate import Router

from kiosk import privacy, regions
from kiosk.businesses import Owner, address, owner
from kiosk.cli import MIGRATIONS_DIR, migrate_database
from kiosk.db import db
from kiosk.models import Business, Registration
from kiosk.registrations import personal
from kiosk.services.nik import mask_nik
from tests.conftest import make_app, postgres_database
from tests.flows import VALID_NIK, register, register_business, sign_in


def word(n: int = 8) -> str:
    """Letters found nowhere else, so finding them in the file can only mean they were stored in clear."""
    return "Q" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(n))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


NO_KEYS = {"SECRET_KEY": "", "DATA_KEYS": "", "INDEX_KEY": ""}  # generated into the instance folder


@pytest.fixture
def fresh(tmp_path):
    """A new app, instance folder, keys and SQLite database, created under the usual umask 022."""
    previous = os.umask(0o022)
    try:
        app = make_app("sqlite:///kiosk.db", tmp_path, **NO_KEYS)
        with app.app_context():
            db.connect(reuse_if_open=True)
            migrate_database()
            regions.load(villages_of="35")
            db.close()
    finally:
        os.umask(previous)
    yield app
    app.extensions["database"].close_all()


def raw_bytes(app) -> dict:
    """Every file of the database (the main file, -wal, -shm) as bytes, read past the app."""
    folder = app.instance_path
    return {name: open(os.path.join(folder, name), "rb").read()
            for name in os.listdir(folder) if name.startswith("kiosk.db")}


def test_instance_folder_database_and_keys_are_private_from_the_start(fresh):
    register(fresh.test_client())  # writes through the WAL
    folder = fresh.instance_path
    assert mode(folder) == 0o700
    files = set(os.listdir(folder))
    assert {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "secret_key", "data_keys", "index_key"} <= files
    for name in files:
        assert mode(os.path.join(folder, name)) == 0o600, name


def test_an_existing_database_readable_by_others_is_tightened(fresh, tmp_path):
    path = os.path.join(fresh.instance_path, "kiosk.db")
    register(fresh.test_client())  # the WAL and shared-memory files exist while connections are open
    for name in (path, path + "-wal", path + "-shm"):
        os.chmod(name, 0o644)  # as SQLite made them before
    app = make_app("sqlite:///kiosk.db", tmp_path, **NO_KEYS)  # the same instance folder
    assert app.instance_path == fresh.instance_path
    for name in (path, path + "-wal", path + "-shm"):
        assert mode(name) == 0o600, name
    app.extensions["database"].close_all()


def test_a_new_data_key_is_written_private(tmp_path):
    previous = os.umask(0o022)
    try:
        (tmp_path / "data_keys").write_text("old-key", encoding="ascii")
        (tmp_path / "data_keys").chmod(0o644)
        path = privacy.add_data_key(str(tmp_path), "old-key")
    finally:
        os.umask(previous)
    assert mode(path) == 0o600 and path.read_text(encoding="ascii").endswith(",old-key")


def test_a_copied_database_file_holds_no_birth_data_address_email_or_owner_name(fresh):
    place, street, mail = f"Pacitan {word()}", f"Jl. {word()} No. 9, RT 01/RW 02", f"{word().lower()}@contoh.id"
    name = f"Sumarni {word()}"  # names stay in clear (the desk searches them): the control
    _receipt, token = register(fresh.test_client(), identity={
        "full_name": name, "birth_place": place, "birth_day": "9", "birth_month": "3", "birth_year": "1986",
        "sex": "L"}, contact={"address": street, "email": mail})
    shop, owner_name, owner_mail = f"Jl. Pasar {word()} 12", f"Siti {word()}", f"{word().lower()}@usaha.id"
    _receipt, business_token = register_business(fresh.test_client(), business={"address": shop},
                                                 owner={"full_name": owner_name, "email": owner_mail})

    files = raw_bytes(fresh)
    assert files.get("kiosk.db-wal"), "the WAL should hold the new rows: it is read too"
    everything = b"".join(files.values())
    assert name.encode() in everything  # the reading works: what is kept in clear is found
    for secret in (place, street, mail, shop, owner_name, owner_mail, "1986-03-09", "1985-08-17",
                   "09-03-1986", "17-08-1985"):
        for name_, content in files.items():
            assert secret.encode() not in content, (secret, name_)

    # Those with the key still see it all: the desk's reveal, both exports, the business panel.
    staff = fresh.test_client()
    sign_in(staff, "supervisor")
    revealed = staff.post(f"/s/{token}/data", headers={"HX-Request": "true"}).data.decode()
    assert place in revealed and street in revealed and mail in revealed and "1986" in revealed
    assert "(NIK: " in revealed  # the typed birth date differs from the NIK's, and the panel says so
    assert "berbeda dengan tanggal di NIK" in staff.get(f"/s/{token}").data.decode()
    csv = staff.post("/staff/ekspor.csv").data.decode()
    assert place in csv and street in csv and mail in csv and "1986-03-09" in csv
    panel = staff.get(f"/staff/usaha/{business_token}").data.decode()
    assert shop in panel
    owner_details = staff.post(f"/staff/usaha/{business_token}/data", headers={"HX-Request": "true"}).data.decode()
    assert owner_name in owner_details and owner_mail in owner_details
    workers = staff.post(f"/staff/usaha/{business_token}/ekspor.csv").data.decode()
    assert "17-08-1985" in workers


# --- migration 005 on a database that held them in clear ---------------------------------------------

ROWS = 1234  # more than two of the migration's batches


@pytest.fixture(params=["sqlite", "postgresql"])
def at_004(request, tmp_path):
    """An app on a new database migrated up to 004 (the clear columns), and its engine's name."""
    if request.param == "sqlite":
        url, drop = "sqlite:///kiosk.db", None
    elif os.environ.get("KIOSK_TEST_PG_ADMIN_URL"):
        url, drop = postgres_database(os.environ["KIOSK_TEST_PG_ADMIN_URL"], prefix="kiosk_test_005_")
    else:
        pytest.skip("KIOSK_TEST_PG_ADMIN_URL is not set")
    app = make_app(url, tmp_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        Router(db, migrate_dir=MIGRATIONS_DIR).run("004_businesses")
        yield app, request.param
        db.close()
    app.extensions["database"].close_all()
    if drop:
        drop()


def old_rows(vault):
    """Rows as 001-004 wrote them: (registrations, businesses) column dicts."""
    now = dt.datetime(2026, 3, 1, 8, 0)
    registrations = []
    for n in range(ROWS):
        nik = f"357801170885{n:04d}"
        registrations.append(dict(
            token=f"token-{n:06d}-xxxxxxxxxx", receipt_code=f"KJ-{n:04d}-0000", submission_key=f"visit-{n}",
            nik_enc=vault.encrypt(nik), nik_hash=vault.blind_index("nik", nik), nik_masked=mask_nik(nik),
            nik_district_known=True, full_name=f"Warga Nomor {n}", birth_place=f"Kotalama{n}x",
            birth_date=dt.date(1985, 8, 17) + dt.timedelta(days=n), nik_birth_date=dt.date(1985, 8, 17),
            sex="L", mother_name_hash="h", phone_enc=vault.encrypt("+6281234567890"), phone_hash=None,
            email=(f"lama{n}x@contoh.id" if n % 3 == 0 else None if n % 3 == 1 else ""),
            address=f"Jl. Lamajalan {n}x", village_code="35.78.01.1001", district_code="35.78.01",
            regency_code="35.78", province_code="35", occupation="tukang_becak", occupation_transport=True,
            work_regency_code="35.78", monthly_income=1_500_000, jht=False, period_months=1,
            monthly_contribution=16_800, period_contribution=16_800, rules_valid_from=dt.date(2026, 1, 1),
            consent_version="2026-11-01", consent_at=now, status="submitted", channel="web", locale="id",
            created_at=now, updated_at=now, version=1, kind="bpu"))
    businesses = [dict(
        token=f"btoken-{n}-xxxxxxxxxxxxx", receipt_code=f"KU-{n:04d}-0000", submission_key=f"bvisit-{n}",
        kind="umkm", nib="9120001122334", name=f"Usaha {n}", scale="mikro", sector="perdagangan", risk_group=1,
        address=f"Jl. Usahalama {n}x", village_code="35.78.01.1001", district_code="35.78.01",
        regency_code="35.78", province_code="35", owner_nik_enc=vault.encrypt(VALID_NIK),
        owner_nik_hash=vault.blind_index("nik", VALID_NIK), owner_nik_masked=mask_nik(VALID_NIK),
        owner_full_name="" if n == 2 else f"Pemiliklama {n}x", owner_phone_enc=vault.encrypt("+6281311112222"),
        owner_phone_hash=None, email=None if n == 2 else f"pemilik{n}x@usaha.id", consent_version="2026-11-01",
        consent_at=now, status="submitted", version=1, channel="web", locale="id", created_at=now,
        updated_at=now, rules_valid_from=dt.date(2026, 1, 1), employer_monthly=0, worker_monthly=0)
        for n in range(3)]  # business 2's owner was erased
    return registrations, businesses


def test_migration_005_encrypts_existing_rows_and_drops_the_clear_columns(at_004):
    app, engine = at_004
    from kiosk.crypto import vault

    orm = Router(db, migrate_dir=MIGRATIONS_DIR).migrator.orm
    registrations, businesses = old_rows(vault())
    with db.atomic():
        for start in range(0, ROWS, 200):
            orm["registration"].insert_many(registrations[start:start + 200]).execute()
        orm["business"].insert_many(businesses).execute()

    applied = migrate_database()
    assert "005_encrypt_personal_fields" in applied
    columns = {c.name for c in db.get_columns("registration")}
    assert not columns & {"birth_place", "birth_date", "nik_birth_date", "address", "email"}
    assert not {c.name for c in db.get_columns("business")} & {"owner_full_name", "email", "address"}
    stored = {r.token: personal(r) for r in Registration.select()}
    for row in registrations:
        held = stored[row["token"]]
        assert (held.birth_place, held.birth_date, held.nik_birth_date, held.address, held.email) == (
            row["birth_place"], row["birth_date"], row["nik_birth_date"], row["address"], row["email"] or None)
    by_token = {b.token: b for b in Business.select()}
    for row in businesses:
        business = by_token[row["token"]]
        assert owner(business) == Owner(row["owner_full_name"], row["email"])
        assert address(business) == row["address"]
    if engine == "sqlite":  # old values left in free pages or the WAL: VACUUM took them away
        everything = b"".join(raw_bytes(app).values())
        assert b"Warga Nomor 7" in everything
        for clear in (b"Kotalama", b"Lamajalan", b"lama0x@", b"Usahalama", b"Pemiliklama", b"pemilik0x@"):
            assert clear not in everything, clear
        # 003's name search survived: DROP COLUMN did not copy the table (which drops its triggers)
        found = db.execute_sql("SELECT rowid FROM registration_name_fts WHERE registration_name_fts MATCH ?",
                               ('"Nomor 1233"',)).fetchall()
        assert len(found) == 1
        Registration.update(full_name="Warga Baru").where(Registration.token == "token-000005-xxxxxxxxxx").execute()
        assert db.execute_sql("SELECT count(*) FROM registration_name_fts WHERE registration_name_fts MATCH ?",
                              ('"Warga Baru"',)).fetchone() == (1,)


def test_migration_005_rolls_back_to_the_clear_columns(at_004):
    app, engine = at_004
    from kiosk.crypto import vault

    router = Router(db, migrate_dir=MIGRATIONS_DIR)
    registrations, businesses = old_rows(vault())
    router.migrator.orm["registration"].insert_many(registrations[:3]).execute()
    router.migrator.orm["business"].insert_many(businesses).execute()
    router.run("005_encrypt_personal_fields")
    router.rollback()
    back = db.execute_sql("SELECT birth_place, birth_date, address, email FROM registration ORDER BY id").fetchall()
    assert [(p, str(d), a, e) for p, d, a, e in back] == [
        (r["birth_place"], r["birth_date"].isoformat(), r["address"], r["email"] or None) for r in registrations[:3]]
    owners = db.execute_sql("SELECT owner_full_name, email, address FROM business ORDER BY id").fetchall()
    assert [tuple(o) for o in owners] == [(b["owner_full_name"], b["email"], b["address"]) for b in businesses]
