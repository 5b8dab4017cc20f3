"""Database models. Personal data (NIK, phone) is stored encrypted; see kiosk.vault."""

import datetime as dt

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

from kiosk.db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


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


class Kiosk(BaseModel):
    """A device (or booth) that registrations come from."""

    KINDS = ("office", "market", "event")

    name = CharField(max_length=120)
    place = CharField(max_length=200)
    regency_code = CharField(max_length=5, null=True)
    kind = CharField(max_length=10, default="office")
    enrol_code = CharField(max_length=64, unique=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


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
    full_name = CharField(max_length=100)
    birth_place = CharField(max_length=100)
    birth_date = DateField()
    nik_birth_date = DateField()
    sex = CharField(max_length=1)
    mother_name_hash = CharField(max_length=64)

    phone_enc = TextField()
    email = CharField(max_length=254, null=True)
    address = CharField(max_length=200)
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
    monthly_contribution = IntegerField()
    period_contribution = IntegerField()
    rules_valid_from = DateField()

    consent_version = CharField(max_length=32)
    consent_at = DateTimeField()

    status = CharField(max_length=16, default="submitted", index=True)
    status_reason = TextField(null=True)
    kpj = CharField(max_length=16, null=True, unique=True)

    kiosk = ForeignKeyField(Kiosk, null=True, backref="registrations", on_delete="SET NULL")
    channel = CharField(max_length=10, default="web")
    locale = CharField(max_length=5, default="id")
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    @property
    def birth_date_differs(self) -> bool:
        """The person's stated birth date is not the one in their NIK (a note for staff, not an error)."""
        return self.birth_date != self.nik_birth_date


class Draft(BaseModel):
    """A visit's answers so far, encrypted, until submitted or wiped. The browser only holds `id`."""

    id = CharField(primary_key=True, max_length=64)
    data = TextField(default="")
    kiosk = ForeignKeyField(Kiosk, null=True, on_delete="SET NULL")
    registration = ForeignKeyField(Registration, null=True, on_delete="SET NULL")
    autoprinted = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)


MODELS = [Region, Kiosk, Registration, Draft]
