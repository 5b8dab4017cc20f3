"""Command-line tasks: `flask --app wsgi <command>`."""

import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from peewee_migrate import Router

from kiosk import regions
from kiosk.db import db, describe
from kiosk.models import Kiosk, Region

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def migrate_database() -> list[str]:
    """Apply pending schema migrations; return their names."""
    router = Router(db, migrate_dir=MIGRATIONS_DIR)
    pending = router.diff
    router.run()
    return pending


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (safe to run again)."""
    applied = migrate_database()
    click.echo(f"{describe(current_app.config['DATABASE_URL'])}: "
               + (f"applied {', '.join(applied)}" if applied else "schema up to date"))


@click.group("regions", cls=AppGroup)
def regions_group():
    """Administrative-area data."""


@regions_group.command("load")
@click.option("--villages-of", default=None, help="Load villages of this province only (e.g. 35).")
def regions_load(villages_of):
    """Load the vendored Kemendagri area CSVs into the database (idempotent)."""
    counts = regions.load(villages_of=villages_of)
    click.echo("regions: {} provinces, {} regencies, {} districts, {} villages".format(
        counts[Region.PROVINCE], counts[Region.REGENCY], counts[Region.DISTRICT], counts[Region.VILLAGE]))


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo kiosk (once) and print its enrolment URL."""
    kiosk, created = Kiosk.get_or_create(
        name="Kios Demo Dinas Koperasi Jatim",
        defaults={"place": "Kantor Dinas Koperasi dan UKM Jawa Timur, Surabaya",
                  "regency_code": "35.78", "kind": "office",
                  "enrol_code": secrets.token_urlsafe(16)})
    click.echo(f"demo kiosk {'created' if created else 'exists'}: {kiosk.name}")
    click.echo(f"enrol this browser as the demo kiosk: /kiosk/pasang/{kiosk.enrol_code}")


def init_app(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(regions_group)
    app.cli.add_command(seed_demo_command)
