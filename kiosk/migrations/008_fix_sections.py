"""What an officer asks an applicant to fix: the correction then opens only those sections."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add registration.fix_sections (nullable: SQLite adds it without copying the table)."""
    migrator.add_fields('registration', fix_sections=pw.CharField(max_length=40, null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop registration.fix_sections."""
    migrator.remove_fields('registration', 'fix_sections')
