"""Who pays a member's contribution: the member, or a regency (APBD) or national (APBN) programme; a kiosk run by
such a programme sets it for the registrations it takes."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add payer and payer_programme to registration and kiosk (nullable, so SQLite adds the columns in place
    instead of copying the table, which would drop the name-search triggers; a missing payer reads as self)."""
    for table in ('registration', 'kiosk'):
        migrator.add_fields(table, payer=pw.CharField(max_length=8, null=True, default='self'),
                            payer_programme=pw.CharField(max_length=120, null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the payer columns."""
    for table in ('registration', 'kiosk'):
        migrator.remove_fields(table, 'payer', 'payer_programme')
