"""Database models. Personal data is stored encrypted (see kiosk.crypto): NIK and phone one value per
column, found through blind indexes; the fields nobody searches or counts by sealed together in one
token per row (`personal_enc`, `owner_enc`, `address_enc`: JSON objects keyed by the field names, read
through kiosk.registrations.personal and kiosk.businesses.owner/address). Names stay in clear for
the desk's name search; region codes, occupation, sex, status and amounts stay in clear for counts."""


from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

from kiosk.clock import utcnow
from kiosk.db import db


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Region(BaseModel):
    """A Kemendagri administrative area: province (35), regency (35.78), district, village."""

    PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4

    code = CharField(primary_key=True, max_length=13)
    parent = CharField(max_length=10, null=True, index=True)
    level = SmallIntegerField()
    name = CharField(max_length=120)

    @classmethod
    def children(cls, parent_code: str | None, level: int):
        query = cls.select().where(cls.level == level)
        query = query.where(cls.parent == parent_code) if parent_code else query
        return query.order_by(cls.name)

    @classmethod
    def regency_groups(cls) -> list:
        """[(province name, [(regency code, name), ...]), ...] in Kemendagri code order."""
        provinces = dict(cls.select(cls.code, cls.name).where(cls.level == cls.PROVINCE).tuples())
        groups: dict[str, list] = {}
        for code, name in (cls.select(cls.code, cls.name)
                           .where(cls.level == cls.REGENCY)
                           .order_by(cls.code)
                           .tuples()):
            groups.setdefault(code[:2], []).append((code, name))
        return [(provinces.get(prefix, prefix), items) for prefix, items in groups.items()]


class Kiosk(BaseModel):
    """A device (or booth) that registrations come from."""

    KINDS = ("office", "market", "event")

    name = CharField(max_length=120)
    place = CharField(max_length=200)
    regency_code = CharField(max_length=5, null=True)
    kind = CharField(max_length=10, default="office")
    # One-time: cleared when a browser enrols with it; the admin can issue a new one.
    enrol_code = CharField(max_length=64, unique=True, null=True)
    enrol_expires_at = DateTimeField(null=True)
    # Part of the signed device cookie; a new enrolment changes it, so older devices drop out.
    device_key = CharField(max_length=64, null=True)
    enrolled_at = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    # A kiosk run by a regency (APBD) or national (APBN) programme that pays its registrants' contributions.
    payer = CharField(max_length=8, null=True, default="self")  # None (rows from before): self
    payer_programme = CharField(max_length=120, null=True)

    def events_on(self, day):
        """Return the events this kiosk is assigned to that run on day."""
        return (Event.select()
                .join(KioskEvent)
                .where(KioskEvent.kiosk == self, Event.starts_on <= day, Event.ends_on >= day)
                .order_by(Event.starts_on.desc()))


class Event(BaseModel):
    """A socialization drive; registrations at its kiosks during its dates are tagged with it."""

    name = CharField(max_length=120)
    place = CharField(max_length=200)
    regency_code = CharField(max_length=5, null=True)
    starts_on = DateField()
    ends_on = DateField()
    created_at = DateTimeField(default=utcnow)


class KioskEvent(BaseModel):
    kiosk = ForeignKeyField(Kiosk, backref="event_links", on_delete="CASCADE")
    event = ForeignKeyField(Event, backref="kiosk_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("kiosk", "event"), True),)


class Business(BaseModel):
    """An UMKM or koperasi registering its workers (each worker is a Registration of kind "pu").

    Public URLs use `token`; `id` never leaves the server. The owner's NIK and phone are encrypted, their
    name and e-mail sealed in `owner_enc` (erased together), the address in `address_enc`.
    """

    KINDS = ("umkm", "koperasi")

    token = CharField(max_length=32, unique=True)
    receipt_code = CharField(max_length=16, unique=True)
    # The visit it came from: submitting the same visit twice finds this row instead of a new one.
    submission_key = CharField(max_length=64, unique=True)

    kind = CharField(max_length=10, default="umkm")
    nib = CharField(max_length=13, index=True)
    name = CharField(max_length=150)
    scale = CharField(max_length=10)
    sector = CharField(max_length=64)
    risk_group = SmallIntegerField()

    address_enc = TextField()  # {"address"}: a micro business's address is often its owner's home
    village_code = CharField(max_length=13)
    district_code = CharField(max_length=8)
    regency_code = CharField(max_length=5, index=True)
    province_code = CharField(max_length=2)

    owner_nik_enc = TextField()
    owner_nik_hash = CharField(max_length=64, index=True)
    owner_nik_masked = CharField(max_length=16)
    owner_enc = TextField()  # {"owner_full_name", "email"}
    owner_phone_enc = TextField()
    owner_phone_hash = CharField(max_length=64, null=True, index=True)

    consent_version = CharField(max_length=32)
    consent_at = DateTimeField()

    status = CharField(max_length=16, default="submitted", index=True)
    status_reason = TextField(null=True)
    version = IntegerField(default=1)

    kiosk = ForeignKeyField(Kiosk, null=True, backref="businesses", on_delete="SET NULL")
    event = ForeignKeyField(Event, null=True, backref="businesses", on_delete="SET NULL")
    channel = CharField(max_length=10, default="web")
    locale = CharField(max_length=5, default="id")
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)

    # Monthly totals over all workers, by the rules valid on rules_valid_from.
    rules_valid_from = DateField()
    employer_monthly = IntegerField()
    worker_monthly = IntegerField()

    def workers(self, *fields):
        """This business's worker registrations in the order they were listed (every column unless named)."""
        return (Registration
                .select(*fields)
                .where(Registration.business == self.id)
                .order_by(Registration.id))


class Registration(BaseModel):
    """One walk-in's application. Public URLs use `token`; `id` never leaves the server."""

    token = CharField(max_length=32, unique=True)
    receipt_code = CharField(max_length=16, unique=True)
    # The visit it came from: submitting the same visit twice finds this row instead of a new one.
    submission_key = CharField(max_length=64, unique=True)

    nik_enc = TextField()
    nik_hash = CharField(max_length=64, index=True)
    nik_masked = CharField(max_length=16)
    nik_district_known = BooleanField(default=True)
    full_name = CharField(max_length=100)  # in clear: the desk searches by name (README, security)
    # {"birth_place", "birth_date", "nik_birth_date", "address", "email"} (dates ISO, email null)
    personal_enc = TextField()
    sex = CharField(max_length=1)
    mother_name_hash = CharField(max_length=64)

    phone_enc = TextField()
    phone_hash = CharField(max_length=64, null=True, index=True)  # blind index: staff search by phone
    village_code = CharField(max_length=13)
    district_code = CharField(max_length=8)
    regency_code = CharField(max_length=5, index=True)
    province_code = CharField(max_length=2)

    occupation = CharField(max_length=32)
    occupation_transport = BooleanField(default=False)
    work_regency_code = CharField(max_length=5)
    monthly_income = IntegerField()

    jht = BooleanField(default=False)
    period_months = SmallIntegerField()
    monthly_contribution = IntegerField()  # the first month's
    period_contribution = IntegerField()
    # A month without any discount: what follows once a discount in the period ends (None: rows from before).
    regular_monthly_contribution = IntegerField(null=True)
    # Who pays (self, APBD, APBN) and the programme's name; a budget-paid member gets no PP 50/2025 discount.
    payer = CharField(max_length=8, null=True, default="self")  # None (rows from before): self
    payer_programme = CharField(max_length=120, null=True)
    rules_valid_from = DateField()

    consent_version = CharField(max_length=32)
    consent_at = DateTimeField()

    status = CharField(max_length=16, default="submitted", index=True)
    status_reason = TextField(null=True)
    kpj = CharField(max_length=16, null=True, unique=True)
    # needs_fix: the sections the officer asked to fix (comma-separated; none: all)
    fix_sections = CharField(max_length=40, null=True)

    kiosk = ForeignKeyField(Kiosk, null=True, backref="registrations", on_delete="SET NULL")
    event = ForeignKeyField(Event, null=True, backref="registrations", on_delete="SET NULL")
    channel = CharField(max_length=10, default="web")
    locale = CharField(max_length=5, default="id")
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    # A wage earner (kind "pu") registered by their employer; walk-ins are "bpu" with no business.
    business = ForeignKeyField(Business, null=True, backref="worker_registrations", index=True, on_delete="SET NULL")
    kind = CharField(max_length=3, default="bpu")
    job = CharField(max_length=100, null=True)
    employer_contribution = IntegerField(null=True)
    worker_contribution = IntegerField(null=True)
    programs = CharField(max_length=32, null=True)  # e.g. "JKK,JKM,JHT"


class Draft(BaseModel):
    """A visit's answers so far, encrypted, until submitted or wiped. The browser only holds `id`."""

    id = CharField(primary_key=True, max_length=64)
    data = TextField(default="")
    kiosk = ForeignKeyField(Kiosk, null=True, on_delete="SET NULL")
    registration = ForeignKeyField(Registration, null=True, on_delete="SET NULL")
    autoprinted = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)


class StaffUser(BaseModel):
    """A petugas, supervisor or admin. Passwords are argon2 hashes (kiosk.accounts)."""

    username = CharField(max_length=40, unique=True)
    full_name = CharField(max_length=100)
    role = CharField(max_length=12)
    password_hash = CharField(max_length=255)
    active = BooleanField(default=True)
    # Unused since sessions are StaffSession rows (kept: dropping a column rebuilds the table on SQLite).
    session_version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)


class StaffSession(BaseModel):
    """One signed-in browser (kiosk.accounts). The cookie holds a random id; only its SHA-256 is stored."""

    token_hash = CharField(max_length=64, unique=True)
    user = ForeignKeyField(StaffUser, backref="sessions", on_delete="CASCADE")
    created_at = DateTimeField()
    last_seen_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class SigninCounter(BaseModel):
    """Failed staff sign-ins under one typed username, known or not (kiosk.signins)."""

    # "user:<id>" for an account, "name:<blind index>" for any other name, "*" for the overall audit budget
    key = CharField(max_length=80, unique=True)
    failures = IntegerField(default=0)  # since the last successful sign-in
    locked_until = DateTimeField(null=True)
    last_failure_at = DateTimeField(null=True, index=True)
    unaudited = IntegerField(default=0)  # attempts not yet counted in an audit row
    audited_at = DateTimeField(null=True)


class AuditEntry(BaseModel):
    """Append-only log; each row carries the hash of the one before it (kiosk.services.audit_chain)."""

    seq = IntegerField(unique=True)
    at = CharField(max_length=32)  # ISO-8601 text, hashed exactly as stored
    actor_id = IntegerField(null=True, index=True)  # no foreign key: the log outlives accounts
    actor = CharField(max_length=40)
    action = CharField(max_length=40, index=True)
    subject = CharField(max_length=64, default="")
    registration_id = IntegerField(null=True, index=True)
    detail = TextField(default="{}")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)


MODELS = [Region, Kiosk, Event, KioskEvent, Business, Registration, Draft, StaffUser, StaffSession,
          SigninCounter, AuditEntry]
