"""Staff sign-in and sessions: failed sign-ins counted per typed username (kiosk.signins), and server-side
staff sessions (kiosk.accounts) that sign-out, a password or role change and disabling revoke."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the signin_counter and staff_session tables."""

    @migrator.create_model
    class SigninCounter(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=80, unique=True)
        failures = pw.IntegerField(default=0)
        locked_until = pw.DateTimeField(null=True)
        last_failure_at = pw.DateTimeField(null=True, index=True)
        unaudited = pw.IntegerField(default=0)
        audited_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "signin_counter"

    @migrator.create_model
    class StaffSession(pw.Model):
        id = pw.AutoField()
        token_hash = pw.CharField(max_length=64, unique=True)
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['staff_user'], on_delete='CASCADE')
        created_at = pw.DateTimeField()
        last_seen_at = pw.DateTimeField()
        revoked_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "staff_session"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop what migrate() added."""
    migrator.remove_model('staff_session')
    migrator.remove_model('signin_counter')
