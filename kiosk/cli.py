"""Command-line tasks: `flask --app wsgi <command>`."""

import json
import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from peewee import PostgresqlDatabase, SqliteDatabase
from peewee_migrate import Router

from kiosk import accounts, audit, crypto, drafts, privacy, ratestore, regions, signins
from kiosk.db import db, describe
from kiosk.kiosks import issue_enrol_code
from kiosk.models import AuditEntry, Kiosk, Region, StaffUser
from kiosk.services.nik import normalise_nik

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Migrations that replace personal data in clear: the old values stay in SQLite's free pages and WAL, or
# in PostgreSQL's dead row versions, until the tables are rewritten, which cannot be done in a transaction.
REWRITE_AFTER = {"005_encrypt_personal_fields": ("registration", "business")}


def migrate_database() -> list[str]:
    """Apply pending schema migrations; return their names."""
    router = Router(db, migrate_dir=MIGRATIONS_DIR)
    pending = router.diff
    router.run()
    tables = sorted({table for name in pending for table in REWRITE_AFTER.get(name, ())})
    if tables:
        rewrite_tables(tables)
    return pending


def rewrite_tables(tables: list[str]) -> None:
    """Rewrite the tables' files so that no earlier version of a row stays on disk."""
    engine = db.obj
    if isinstance(engine, PostgresqlDatabase):
        engine.execute_sql(f"VACUUM FULL {', '.join(tables)}")  # CLUSTER-like copy: dropped columns go too
    elif isinstance(engine, SqliteDatabase):
        engine.execute_sql("VACUUM")
        engine.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL kept copies of the old pages


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


def looks_like_production(config) -> str | None:
    """Why this app looks like a real server (then demo accounts would be a way in), or None."""
    if config.get("PRODUCTION"):
        return "KIOSK_PRODUCTION is set"
    if str(config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        return "the public base URL is https"
    if (config["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
            and not (config.get("TESTING") or config.get("DEMO"))):
        return "the database is PostgreSQL"
    return None


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Seed even where the settings look like a real server.")
@with_appcontext
def seed_demo_command(force):
    """Create the demo kiosk and demo staff accounts (once); print the kiosk's enrolment path."""
    reason = looks_like_production(current_app.config)
    if reason and not force:
        raise click.ClickException(
            f"refusing to create demo accounts with published passwords: {reason}. Create the first admin with "
            "`flask --app wsgi staff create --role admin` (or pass --force on a throwaway server).")
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
    signins.unlock(user)  # a new password is how a locked-out admin gets back in
    audit.record(audit.ACCOUNT, actor_name="cli", change="password", username=user.username)
    click.echo(f"password changed for {user.username}")


@staff_group.command("unlock")
@click.argument("username")
def staff_unlock(username):
    """Lift the lock that failed sign-ins put on an account (e.g. when every admin is locked out)."""
    user = _user_or_fail(username)
    failures = signins.unlock(user)
    audit.record(audit.ACCOUNT, actor_name="cli", change="unlock", username=user.username, failures=failures)
    click.echo(f"{user.username}: unlocked ({failures} failed sign-ins cleared)")


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


@click.group("keys", cls=AppGroup)
def keys_group():
    """Encryption keys for personal data (applicants' and business owners')."""


@keys_group.command("rotate")
@click.option("--reencrypt-only", is_flag=True, help="Do not add a key; re-encrypt under the current first key.")
def keys_rotate(reencrypt_only):
    """Add a new data key (old keys still decrypt) and re-encrypt all data under it, in batches."""
    app = current_app
    if not reencrypt_only:
        if os.environ.get("KIOSK_DATA_KEYS"):
            raise click.ClickException("keys come from KIOSK_DATA_KEYS: put a new Fernet key first in that "
                                       "variable, restart, then run `keys rotate --reencrypt-only`")
        path = privacy.add_data_key(app.instance_path, app.config["DATA_KEYS"])
        app.config["DATA_KEYS"] = path.read_text(encoding="ascii").strip()
        crypto.init_app(app)
        click.echo(f"new data key added to {path.name}; older keys kept for decryption")
    counts = privacy.reencrypt_all(crypto.vault())
    audit.record(audit.KEY_ROTATION, actor_name="cli", **counts)
    click.echo(f"re-encrypted {counts['registrations']} registrations, {counts['businesses']} businesses "
               f"and {counts['drafts']} drafts; restart the app servers so they encrypt with the new key")


@click.group("privacy", cls=AppGroup)
def privacy_group():
    """Retention and data-subject requests (UU 27/2022)."""


@privacy_group.command("purge")
@click.option("--draft-hours", type=int, default=None, help="Default: DRAFT_RETENTION_HOURS (24).")
@click.option("--rejected-days", type=int, default=None, help="Default: REJECTED_RETENTION_DAYS (365).")
def privacy_purge(draft_hours, rejected_days):
    """Delete abandoned drafts (walk-in and business visits) and rejected applications and businesses
    past their retention period."""
    counts = privacy.purge(draft_hours=draft_hours or current_app.config["DRAFT_RETENTION_HOURS"],
                           rejected_days=rejected_days or current_app.config["REJECTED_RETENTION_DAYS"],
                           vault=crypto.vault())
    click.echo(f"purged {counts['drafts']} drafts, {counts['rejected']} rejected applications and "
               f"{counts['businesses']} rejected businesses")
    if counts["owners_forgotten"]:
        click.echo(f"removed the owner's personal data from {counts['owners_forgotten']} rejected businesses "
                   "kept for their remaining workers")


@privacy_group.command("purge-drafts")
def privacy_purge_drafts():
    """Delete abandoned visits: drafts untouched past DRAFT_MAX_IDLE_SECONDS (for a timer, e.g. every 10 minutes)."""
    deleted = drafts.purge_abandoned()
    ratestore.purge_expired()  # rate-limit windows that ended (they hold client addresses)
    if deleted:  # a timer runs this all day: the audit log gets a row only when something went
        audit.record(audit.PURGE, actor_name="system", drafts=deleted,
                     draft_idle_seconds=int(drafts.abandoned_after(current_app.config).total_seconds()))
    click.echo(f"purged {deleted} abandoned drafts")


@privacy_group.command("export")
@click.option("--nik", prompt=True, hide_input=True, help="Prompted (hidden) when not given.")
def privacy_export(nik):
    """Print everything held about one NIK as JSON (a data-subject access request)."""
    normalised = normalise_nik(nik)
    data = privacy.subject_export(normalised, crypto.vault())
    audit.record(audit.EXPORT, actor_name="cli", kind="subject", registrations=len(data["registrations"]),
                 businesses=len(data["businesses"]))
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@privacy_group.command("erase")
@click.option("--nik", prompt=True, hide_input=True, help="Prompted (hidden) when not given.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def privacy_erase(nik, yes):
    """Delete every application of one NIK and its owner data in businesses; the audit log keeps ids only."""
    normalised = normalise_nik(nik)
    if not yes:
        click.confirm("Delete every application for this NIK, and its personal data as a business owner "
                      "(the businesses stay for their workers)?", abort=True)
    counts = privacy.erase(normalised, crypto.vault())
    click.echo(f"erased {counts['registrations']} applications; removed the owner's personal data from "
               f"{counts['businesses']} businesses; deleted {counts['drafts']} unfinished visits")


def init_app(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(regions_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(staff_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(keys_group)
    app.cli.add_command(privacy_group)
