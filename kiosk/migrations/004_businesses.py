"""Businesses (UMKM, koperasi) that register their workers; workers are registrations of kind "pu".

Columns are only added to registration, never rebuilt: 003 hangs FTS5 triggers on that table, and
SQLite drops triggers when a table is copied. So `kind` is added NOT NULL with its default in one
ALTER TABLE rather than nullable-then-constrained (which SQLite does by rebuilding the table).
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    pass


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the business table and the worker columns on registration."""

    @migrator.create_model
    class Business(pw.Model):
        id = pw.AutoField()
        token = pw.CharField(max_length=32, unique=True)
        receipt_code = pw.CharField(max_length=16, unique=True)
        submission_key = pw.CharField(max_length=64, unique=True)
        kind = pw.CharField(default='umkm', max_length=10)
        nib = pw.CharField(index=True, max_length=13)
        name = pw.CharField(max_length=150)
        scale = pw.CharField(max_length=10)
        sector = pw.CharField(max_length=64)
        risk_group = pw.SmallIntegerField()
        address = pw.CharField(max_length=200)
        village_code = pw.CharField(max_length=13)
        district_code = pw.CharField(max_length=8)
        regency_code = pw.CharField(index=True, max_length=5)
        province_code = pw.CharField(max_length=2)
        owner_nik_enc = pw.TextField()
        owner_nik_hash = pw.CharField(index=True, max_length=64)
        owner_nik_masked = pw.CharField(max_length=16)
        owner_full_name = pw.CharField(max_length=100)
        owner_phone_enc = pw.TextField()
        owner_phone_hash = pw.CharField(index=True, max_length=64, null=True)
        email = pw.CharField(max_length=254, null=True)
        consent_version = pw.CharField(max_length=32)
        consent_at = pw.DateTimeField()
        status = pw.CharField(default='submitted', index=True, max_length=16)
        status_reason = pw.TextField(null=True)
        version = pw.IntegerField(default=1)
        kiosk = pw.ForeignKeyField(column_name='kiosk_id', field='id', model=migrator.orm['kiosk'], null=True, on_delete='SET NULL')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='SET NULL')
        channel = pw.CharField(default='web', max_length=10)
        locale = pw.CharField(default='id', max_length=5)
        created_at = pw.DateTimeField(index=True)
        updated_at = pw.DateTimeField()
        rules_valid_from = pw.DateField()
        employer_monthly = pw.IntegerField()
        worker_monthly = pw.IntegerField()

        class Meta:
            table_name = "business"

    migrator.add_fields(
        'registration',
        allow_not_null=True,  # every field below is nullable or carries its default in the DDL

        business=pw.ForeignKeyField(column_name='business_id', field='id', model=migrator.orm['business'], null=True, index=True, on_delete='SET NULL'),
        kind=pw.CharField(max_length=3, default='bpu', constraints=[pw.SQL("DEFAULT 'bpu'")]),
        job=pw.CharField(max_length=100, null=True),
        employer_contribution=pw.IntegerField(null=True),
        worker_contribution=pw.IntegerField(null=True),
        programs=pw.CharField(max_length=32, null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop what migrate() added."""
    migrator.sql("DROP INDEX IF EXISTS registration_business_id")  # SQLite drops no column under an index
    migrator.remove_fields('registration', 'business', 'kind', 'job', 'employer_contribution',
                           'worker_contribution', 'programs')
    migrator.remove_model('business')
