"""Staff accounts, the audit log, events; one-time kiosk enrolment codes; registrations tagged with events."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    pass


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add staff, audit and event tables; let kiosk enrolment codes be used up."""

    @migrator.create_model
    class AuditEntry(pw.Model):
        id = pw.AutoField()
        seq = pw.IntegerField(unique=True)
        at = pw.CharField(max_length=32)
        actor_id = pw.IntegerField(index=True, null=True)
        actor = pw.CharField(max_length=40)
        action = pw.CharField(index=True, max_length=40)
        subject = pw.CharField(default='', max_length=64)
        registration_id = pw.IntegerField(index=True, null=True)
        detail = pw.TextField(default='{}')
        prev_hash = pw.CharField(max_length=64)
        hash = pw.CharField(max_length=64)

        class Meta:
            table_name = "audit_entry"

    @migrator.create_model
    class Event(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=120)
        place = pw.CharField(max_length=200)
        regency_code = pw.CharField(max_length=5, null=True)
        starts_on = pw.DateField()
        ends_on = pw.DateField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "event"

    @migrator.create_model
    class KioskEvent(pw.Model):
        id = pw.AutoField()
        kiosk = pw.ForeignKeyField(column_name='kiosk_id', field='id', model=migrator.orm['kiosk'], on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')

        class Meta:
            table_name = "kiosk_event"
            indexes = [(('kiosk', 'event'), True)]

    @migrator.create_model
    class StaffUser(pw.Model):
        id = pw.AutoField()
        username = pw.CharField(max_length=40, unique=True)
        full_name = pw.CharField(max_length=100)
        role = pw.CharField(max_length=12)
        password_hash = pw.CharField(max_length=255)
        active = pw.BooleanField(default=True)
        session_version = pw.IntegerField(default=1)
        created_at = pw.DateTimeField()
        last_login_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "staff_user"

    migrator.add_fields(
        'kiosk',

        enrol_expires_at=pw.DateTimeField(null=True),
        device_key=pw.CharField(max_length=64, null=True),
        enrolled_at=pw.DateTimeField(null=True))

    migrator.drop_not_null('kiosk', 'enrol_code')

    migrator.add_fields(
        'registration',

        event=pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='SET NULL'),
        phone_hash=pw.CharField(max_length=64, null=True, index=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop what migrate() added."""
    migrator.sql("DROP INDEX IF EXISTS registration_event_id")  # SQLite drops no column under an index
    migrator.sql("DROP INDEX IF EXISTS registration_phone_hash")
    migrator.remove_fields('registration', 'event', 'phone_hash')

    migrator.remove_fields('kiosk', 'enrol_expires_at', 'device_key', 'enrolled_at')

    migrator.add_not_null('kiosk', 'enrol_code')

    migrator.remove_model('staff_user')

    migrator.remove_model('kiosk_event')

    migrator.remove_model('event')

    migrator.remove_model('audit_entry')
