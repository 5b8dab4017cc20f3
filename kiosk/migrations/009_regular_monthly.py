"""What a month costs without a discount, so the receipt and the status page can say what follows the period."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add registration.regular_monthly_contribution (nullable: rows before it show the first month's amount)."""
    migrator.add_fields('registration', regular_monthly_contribution=pw.IntegerField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop registration.regular_monthly_contribution."""
    migrator.remove_fields('registration', 'regular_monthly_contribution')
