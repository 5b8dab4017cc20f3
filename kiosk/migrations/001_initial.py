"""Initial schema: regions, kiosks, registrations, visit drafts."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    pass


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create the initial schema."""

    @migrator.create_model
    class Kiosk(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=120)
        place = pw.CharField(max_length=200)
        regency_code = pw.CharField(max_length=5, null=True)
        kind = pw.CharField(default='office', max_length=10)
        enrol_code = pw.CharField(max_length=64, unique=True)
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "kiosk"

    @migrator.create_model
    class Registration(pw.Model):
        id = pw.AutoField()
        token = pw.CharField(max_length=32, unique=True)
        receipt_code = pw.CharField(max_length=16, unique=True)
        submission_key = pw.CharField(max_length=64, unique=True)
        nik_enc = pw.TextField()
        nik_hash = pw.CharField(index=True, max_length=64)
        nik_masked = pw.CharField(max_length=16)
        nik_district_known = pw.BooleanField(default=True)
        full_name = pw.CharField(max_length=100)
        birth_place = pw.CharField(max_length=100)
        birth_date = pw.DateField()
        nik_birth_date = pw.DateField()
        sex = pw.CharField(max_length=1)
        mother_name_hash = pw.CharField(max_length=64)
        phone_enc = pw.TextField()
        email = pw.CharField(max_length=254, null=True)
        address = pw.CharField(max_length=200)
        village_code = pw.CharField(max_length=13)
        district_code = pw.CharField(max_length=8)
        regency_code = pw.CharField(index=True, max_length=5)
        province_code = pw.CharField(max_length=2)
        occupation = pw.CharField(max_length=32)
        occupation_transport = pw.BooleanField(default=False)
        work_regency_code = pw.CharField(max_length=5)
        monthly_income = pw.IntegerField()
        jht = pw.BooleanField(default=False)
        period_months = pw.SmallIntegerField()
        monthly_contribution = pw.IntegerField()
        period_contribution = pw.IntegerField()
        rules_valid_from = pw.DateField()
        consent_version = pw.CharField(max_length=32)
        consent_at = pw.DateTimeField()
        status = pw.CharField(default='submitted', index=True, max_length=16)
        status_reason = pw.TextField(null=True)
        kpj = pw.CharField(max_length=16, null=True, unique=True)
        kiosk = pw.ForeignKeyField(column_name='kiosk_id', field='id', model=migrator.orm['kiosk'], null=True, on_delete='SET NULL')
        channel = pw.CharField(default='web', max_length=10)
        locale = pw.CharField(default='id', max_length=5)
        created_at = pw.DateTimeField(index=True)
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "registration"

    @migrator.create_model
    class Draft(pw.Model):
        id = pw.CharField(max_length=64, primary_key=True)
        data = pw.TextField(default='')
        kiosk = pw.ForeignKeyField(column_name='kiosk_id', field='id', model=migrator.orm['kiosk'], null=True, on_delete='SET NULL')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], null=True, on_delete='SET NULL')
        autoprinted = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "draft"

    @migrator.create_model
    class Region(pw.Model):
        code = pw.CharField(max_length=13, primary_key=True)
        parent = pw.CharField(index=True, max_length=10, null=True)
        level = pw.SmallIntegerField()
        name = pw.CharField(max_length=120)

        class Meta:
            table_name = "region"

    # One open application per person: a NIK may come back only after a rejection.
    migrator.sql("CREATE UNIQUE INDEX registration_open_nik ON registration (nik_hash) "
                 "WHERE status <> 'rejected'")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the initial schema."""
    migrator.sql("DROP INDEX IF EXISTS registration_open_nik")
    migrator.remove_model('region')

    migrator.remove_model('draft')

    migrator.remove_model('registration')

    migrator.remove_model('kiosk')
