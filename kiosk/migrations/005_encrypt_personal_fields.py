"""Personal fields that nobody searches or counts by are encrypted at rest (penetration test, point 12).

registration: birth place, birth date, the NIK's birth date, street address and e-mail become one
Fernet token, `personal_enc`; business: the owner's name and e-mail become `owner_enc`, the address
`address_enc`. Each token holds a JSON object keyed by the old column names (dates ISO, no e-mail
null), the format frozen here as kiosk.registrations.seal_personal and kiosk.businesses write it.
Existing rows are encrypted BATCH at a time under the app's first data key (init-db runs in the
app's context), then the clear columns are dropped.

PostgreSQL's DROP COLUMN only hides a column, its values stay in the rows, so there the clear
columns are first made nullable (a catalogue change) and emptied by the same UPDATE. SQLite's DROP
COLUMN rewrites every row; making a column nullable there would copy the table, which drops 003's
FTS5 triggers (hence no table copy: SQLite 3.35 or later is required). The old values still lie in
free pages or dead row versions afterwards: kiosk.cli.migrate_database runs VACUUM once this is
committed. Backups taken before still hold them.
"""

import peewee as pw
from peewee_migrate import Migrator

BATCH = 500

REGISTRATION_CLEAR = ("birth_place", "birth_date", "nik_birth_date", "address", "email")
BUSINESS_CLEAR = ("owner_full_name", "email", "address")


def _engine(database) -> pw.Database:
    return getattr(database, "obj", None) or database  # the app passes its DatabaseProxy


def _vault():
    from kiosk.crypto import vault

    try:
        return vault()
    except RuntimeError:  # outside the app: no keys to encrypt with
        raise RuntimeError("005 encrypts existing rows with the app's data key: "
                           "run it with `flask --app wsgi init-db`") from None


def _iso(value) -> str:
    return value if isinstance(value, str) else value.isoformat()  # SQLite gives text, PostgreSQL a date


def _registration_tokens(vault, row) -> tuple:
    _id, birth_place, birth_date, nik_birth_date, address, email = row
    return (vault.seal({"birth_place": birth_place or "", "birth_date": _iso(birth_date),
                        "nik_birth_date": _iso(nik_birth_date), "address": address or "",
                        "email": email or None}),)


def _business_tokens(vault, row) -> tuple:
    _id, owner_full_name, email, address = row
    return (vault.seal({"owner_full_name": owner_full_name or "", "email": email or None}),
            vault.seal({"address": address or ""}))


def _encrypt_table(engine, table: str, clear: tuple, targets: tuple, tokens) -> None:
    """Fill the target columns of every row from its clear ones, BATCH rows per statement."""
    is_pg = isinstance(engine, pw.PostgresqlDatabase)
    param = engine.param
    select = (f"SELECT id, {', '.join(clear)} FROM {table} WHERE id > {param} ORDER BY id LIMIT {BATCH}")
    vault, last_id = None, 0
    while True:
        rows = engine.execute_sql(select, (last_id,)).fetchall()
        if not rows:
            return
        vault = vault or _vault()
        values = [(row[0], *tokens(vault, row)) for row in rows]
        cursor = engine.cursor()
        if is_pg:
            from psycopg2.extras import execute_values

            assignments = [f"{c} = v.{c}" for c in targets] + [f"{c} = NULL" for c in clear]
            execute_values(cursor, f"UPDATE {table} AS t SET {', '.join(assignments)} "
                                   f"FROM (VALUES %s) AS v(id, {', '.join(targets)}) WHERE t.id = v.id", values)
        else:
            assignments = ", ".join(f"{c} = ?" for c in targets)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?",
                               [(*tokens_, row_id) for row_id, *tokens_ in values])
        last_id = rows[-1][0]


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the encrypted columns, encrypt every row into them, drop the clear columns."""
    engine = _engine(database)
    if isinstance(engine, pw.SqliteDatabase) and migrator.__migrator__.sqlite_version < (3, 35, 0):
        raise RuntimeError("005 needs SQLite 3.35 or later (ALTER TABLE DROP COLUMN without a table copy)")

    def encrypted_column():
        return pw.TextField(default='', constraints=[pw.SQL("DEFAULT ''")])

    migrator.add_fields('registration', allow_not_null=True, personal_enc=encrypted_column())
    migrator.add_fields('business', allow_not_null=True, owner_enc=encrypted_column(),
                        address_enc=encrypted_column())
    if isinstance(engine, pw.PostgresqlDatabase):
        migrator.drop_not_null('registration', 'birth_place', 'birth_date', 'nik_birth_date', 'address')
        migrator.drop_not_null('business', 'owner_full_name', 'address')
    migrator.run(_encrypt_table, engine, 'registration', REGISTRATION_CLEAR, ('personal_enc',),
                 _registration_tokens)
    migrator.run(_encrypt_table, engine, 'business', BUSINESS_CLEAR, ('owner_enc', 'address_enc'),
                 _business_tokens)
    migrator.remove_fields('registration', *REGISTRATION_CLEAR)
    migrator.remove_fields('business', *BUSINESS_CLEAR)


def _decrypt_table(engine, table: str, sealed: tuple, clear: tuple) -> None:
    """Put every row's sealed fields back into the clear columns (rollback)."""
    param = engine.param
    select = f"SELECT id, {', '.join(sealed)} FROM {table} WHERE id > {param} ORDER BY id LIMIT {BATCH}"
    update = f"UPDATE {table} SET {', '.join(f'{c} = {param}' for c in clear)} WHERE id = {param}"
    vault, last_id = None, 0
    while True:
        rows = engine.execute_sql(select, (last_id,)).fetchall()
        if not rows:
            return
        vault = vault or _vault()
        for row_id, *tokens in rows:
            values = {}
            for token in tokens:
                values.update(vault.unseal(token))
            engine.execute_sql(update, (*(values[c] for c in clear), row_id))
        last_id = rows[-1][0]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Bring the clear columns back (nullable) from the encrypted ones, then drop those."""
    engine = _engine(database)
    migrator.add_fields(
        'registration',
        birth_place=pw.CharField(max_length=100, null=True), birth_date=pw.DateField(null=True),
        nik_birth_date=pw.DateField(null=True), address=pw.CharField(max_length=200, null=True),
        email=pw.CharField(max_length=254, null=True))
    migrator.add_fields(
        'business',
        owner_full_name=pw.CharField(max_length=100, null=True), email=pw.CharField(max_length=254, null=True),
        address=pw.CharField(max_length=200, null=True))
    migrator.run(_decrypt_table, engine, 'registration', ('personal_enc',), REGISTRATION_CLEAR)
    migrator.run(_decrypt_table, engine, 'business', ('owner_enc', 'address_enc'), BUSINESS_CLEAR)
    migrator.remove_fields('registration', 'personal_enc')
    migrator.remove_fields('business', 'owner_enc', 'address_enc')
