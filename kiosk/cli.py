"""Command-line tasks: `flask --app wsgi <command>`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from peewee_migrate import Router

from kiosk import accounts, audit, regions
from kiosk.db import db, describe
from kiosk.kiosks import issue_enrol_code
from kiosk.models import AuditEntry, Kiosk, Region, StaffUser

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


DEMO_ACCOUNTS = (  # demo only: the README states them and sign-in flags them on screen
    ("demo-admin", "Admin Demo", "admin", "demo-admin-2026"),
    ("demo-supervisor", "Supervisor Demo", "supervisor", "demo-supervisor-2026"),
    ("demo-petugas", "Petugas Demo", "petugas", "demo-petugas-2026"),
)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo kiosk and demo staff accounts (once); print the kiosk's enrolment path."""
    kiosk, created = Kiosk.get_or_create(
        name="Kios Demo Dinas Koperasi Jatim",
        defaults={"place": "Kantor Dinas Koperasi dan UKM Jawa Timur, Surabaya",
                  "regency_code": "35.78", "kind": "office"})
    code = kiosk.enrol_code or issue_enrol_code(kiosk)
    click.echo(f"demo kiosk {'created' if created else 'exists'}: {kiosk.name}")
    click.echo(f"enrol this browser as the demo kiosk (one use, 7 days): /kiosk/pasang/{code}")
    for username, name, role, password in DEMO_ACCOUNTS:
        if not StaffUser.select().where(StaffUser.username == username).exists():
            accounts.create_user(username, name, role, password)
            click.echo(f"demo account {username} / {password} ({role})")


@click.group("staff", cls=AppGroup)
def staff_group():
    """Staff accounts."""


@staff_group.command("create")
@click.option("--username", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.option("--role", type=click.Choice(accounts.ROLES), default="petugas", show_default=True)
@click.password_option(help="Prompted (hidden) when not given.")
def staff_create(username, full_name, role, password):
    """Create a staff account."""
    try:
        user = accounts.create_user(username, full_name, role, password)
    except accounts.AccountError as exc:
        raise click.ClickException(ACCOUNT_ERRORS[exc.code]) from None
    audit.record(audit.ACCOUNT, actor_name="cli", change="create", username=user.username, role=role)
    click.echo(f"created {user.username} ({role})")


@staff_group.command("list")
def staff_list():
    """List staff accounts."""
    for user in StaffUser.select().order_by(StaffUser.username):
        click.echo(f"{user.username:24} {user.role:11} {'active' if user.active else 'disabled'}  {user.full_name}")


@staff_group.command("set-password")
@click.argument("username")
@click.password_option(help="Prompted (hidden) when not given.")
def staff_set_password(username, password):
    """Set a new password (signs the account out everywhere)."""
    user = _user_or_fail(username)
    try:
        accounts.set_password(user, password)
    except accounts.AccountError as exc:
        raise click.ClickException(ACCOUNT_ERRORS[exc.code]) from None
    audit.record(audit.ACCOUNT, actor_name="cli", change="password", username=user.username)
    click.echo(f"password changed for {user.username}")


@staff_group.command("disable")
@click.argument("username")
def staff_disable(username):
    """Disable an account (signs it out everywhere)."""
    user = _user_or_fail(username)
    accounts.set_active(user, False)
    audit.record(audit.ACCOUNT, actor_name="cli", change="disable", username=user.username)
    click.echo(f"disabled {user.username}")


def _user_or_fail(username):
    user = StaffUser.get_or_none(StaffUser.username == username.strip().lower())
    if user is None:
        raise click.ClickException(f"no account {username!r}")
    return user


ACCOUNT_ERRORS = {
    "username_taken": "that username is taken",
    "username_invalid": "usernames are 1-40 letters, digits, dots, dashes or underscores",
    "password_short": f"passwords need at least {accounts.MIN_PASSWORD_LENGTH} characters",
    "role": "unknown role",
}


@click.group("audit", cls=AppGroup)
def audit_group():
    """The audit log."""


@audit_group.command("verify")
def audit_verify():
    """Check the audit log's hash chain; exit 1 if any row was edited or deleted."""
    problems = audit.verify()
    count = AuditEntry.select().count()
    if problems:
        for problem in problems:
            click.echo(f"entry {problem.seq}: {problem.kind}")
        raise SystemExit(1)
    click.echo(f"audit log intact: {count} entries")


def init_app(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(regions_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(staff_group)
    app.cli.add_command(audit_group)
