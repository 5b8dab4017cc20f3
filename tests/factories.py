"""Rows for tests, written straight to the models: staff accounts (and a fake clock for sign-ins and sessions),
a Business and its worker registrations (kind "pu").

Personal data goes through the vault as the kiosk stores it (NIK encrypted with its blind index, the
owner's phone too, the other personal fields sealed); contributions come from the rules table. Pass the
`app` fixture (the vault lives on it).
"""

import datetime as dt
import secrets

from kiosk import accounts, registrations, signins
from kiosk.businesses import address, seal_owner
from kiosk.crypto import vault
from kiosk.models import Business, Registration, utcnow
from kiosk.services import receipt_codes
from kiosk.services.nik import mask_nik
from kiosk.services.rules import load_rules
from kiosk.services.wage_contributions import quote_worker

OWNER_NIK = "3578011708850003"  # the walk-in factory's valid NIK (Surabaya, male, 17-08-1985)
RULES_DAY = dt.date(2026, 1, 5)

# (full name, wage, job, female) of the default workers
WORKER_ROWS = (
    ("Siti Rahayu", 2_500_000, "Penjahit", True),
    ("Agus Santoso", 3_000_000, "Sopir", False),
    ("Dewi Lestari", 2_200_000, "Kasir", True),
)


def worker_nik(serial: int, *, female: bool = False, day: int = 17) -> str:
    """A valid NIK from Kota Surabaya / Karang Pilang born 17-08-1985 with this serial (1-9999)."""
    return f"357801{day + 40 if female else day:02d}0885{serial:04d}"


def receipt_code(prefix: str) -> str:
    return receipt_codes.new_code(prefix)


def make_business(app, *, workers=WORKER_ROWS, name="UD Sumber Rejeki", nib="9120001122334", kind="umkm",
                  scale="kecil", risk_group=2, status="submitted", regency="35.78", kiosk=None, event=None,
                  created_at=None, first_serial=101, owner_nik=OWNER_NIK) -> Business:
    """Create a business with one worker per (name, wage, job, female) in workers; return the Business."""
    with app.app_context():
        return _make_business(workers, name, nib, kind, scale, risk_group, status, regency, kiosk, event,
                              created_at, first_serial, owner_nik)


def _make_business(workers, name, nib, kind, scale, risk_group, status, regency, kiosk, event, created_at,
                   first_serial, owner_nik) -> Business:
    now = created_at or utcnow()
    quotes = [quote_worker(wage, scale=scale, risk_group=risk_group, day=RULES_DAY, rules=load_rules())
              for _name, wage, _job, _female in workers]
    phone = "+6281234500001"
    business = Business.create(
        token=registrations.new_token(), receipt_code=receipt_code("KU"), submission_key=secrets.token_hex(16),
        kind=kind, nib=nib, name=name, scale=scale, sector="perdagangan", risk_group=risk_group,
        address_enc=vault().seal({"address": "Jl. Kebraon Indah 5"}), village_code=f"{regency}.01.1001",
        district_code=f"{regency}.01", regency_code=regency, province_code=regency[:2],
        owner_nik_enc=vault().encrypt(owner_nik), owner_nik_hash=registrations.nik_index(owner_nik),
        owner_nik_masked=mask_nik(owner_nik), owner_enc=seal_owner("Moh. Syafi'i", "usaha@example.com"),
        owner_phone_enc=vault().encrypt(phone), owner_phone_hash=registrations.phone_index(phone),
        consent_version="2026-11-01", consent_at=now, status=status,
        kiosk=kiosk, event=event, channel="kiosk" if kiosk else "web", created_at=now, updated_at=now,
        rules_valid_from=RULES_DAY, employer_monthly=sum(q.employer for q in quotes),
        worker_monthly=sum(q.worker for q in quotes),
    )
    for i, ((full_name, wage, job, female), quote) in enumerate(zip(workers, quotes)):
        _make_worker(business, nik=worker_nik(first_serial + i, female=female), full_name=full_name, wage=wage,
                    job=job, quote=quote, created_at=now + dt.timedelta(seconds=i))
    return business


def make_worker(app, business: Business, **fields) -> Registration:
    """Add one worker registration to business (nik, full_name, wage, job[, status]) as the kiosk does."""
    with app.app_context():
        return _make_worker(business, **fields)


def _make_worker(business: Business, *, nik: str, full_name: str, wage: int, job: str, quote=None,
                 status: str = "submitted", created_at=None) -> Registration:
    quote = quote or quote_worker(wage, scale=business.scale, risk_group=business.risk_group, day=RULES_DAY,
                                  rules=load_rules())
    female = int(nik[6:8]) > 40
    birth = dt.date(1900 + int(nik[10:12]) + (100 if int(nik[10:12]) < 30 else 0), int(nik[8:10]),
                    int(nik[6:8]) - (40 if female else 0))
    programs = [line.program for line in quote.lines]
    now = created_at or utcnow()
    return Registration.create(
        token=registrations.new_token(), receipt_code=receipt_code("KJ"), submission_key=secrets.token_hex(16),
        nik_enc=vault().encrypt(nik), nik_hash=registrations.nik_index(nik), nik_masked=mask_nik(nik),
        full_name=full_name,
        personal_enc=registrations.seal_personal(birth_place="Surabaya", birth_date=birth, nik_birth_date=birth,
                                                 address=address(business), email=None),
        sex="P" if female else "L", mother_name_hash="", phone_enc=vault().encrypt(""), phone_hash=None,
        village_code=business.village_code, district_code=business.district_code,
        regency_code=business.regency_code, province_code=business.province_code,
        occupation="pu", work_regency_code=business.regency_code, monthly_income=wage,
        jht="JHT" in programs, period_months=1, monthly_contribution=quote.total, period_contribution=quote.total,
        rules_valid_from=RULES_DAY, consent_version=business.consent_version, consent_at=business.consent_at,
        status=status, kiosk=business.kiosk_id, event=business.event_id, channel=business.channel,
        created_at=now, updated_at=now,
        business=business, kind="pu", job=job, employer_contribution=quote.employer,
        worker_contribution=quote.worker, programs=",".join(programs),
    )


# --- staff -------------------------------------------------------------------------------------------------

PASSWORD = "sandi-rahasia-123"


def make_staff(role: str, username: str | None = None):
    return accounts.create_user(username or f"{role}-test", f"{role.title()} Test", role, PASSWORD)




class Clock:
    """A settable UTC clock standing in for kiosk.models.utcnow where sign-ins and sessions read the time."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


def fake_clock(monkeypatch, now=None) -> Clock:
    clock = Clock(now or dt.datetime(2026, 11, 17, 3, 0))  # 10:00 WIB
    for module in (accounts, signins):
        monkeypatch.setattr(module, "utcnow", clock)
    return clock
