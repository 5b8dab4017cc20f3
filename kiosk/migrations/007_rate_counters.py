"""Rate-limit counters shared by every worker (kiosk.ratestore): one row per key and window."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the rate_counter table."""

    @migrator.create_model
    class RateCounter(pw.Model):
        key = pw.CharField(max_length=255, primary_key=True)
        count = pw.IntegerField()
        expires_at = pw.DoubleField(index=True)  # not FloatField: REAL on PostgreSQL

        class Meta:
            table_name = "rate_counter"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the rate_counter table."""
    migrator.remove_model('rate_counter')
