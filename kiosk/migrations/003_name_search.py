"""Indexes for the desk's name search (kiosk.staff.queue.find): fast at a million registrations.

Both engines: an index on (lower(full_name), created_at DESC, id DESC), so names that start with what was
typed come out in order from an index range, and a scan in that order stops after 20 hits.
PostgreSQL: a pg_trgm GIN index on lower(full_name) for "contains" searches of rare fragments (skipped,
with a log line, when the extension cannot be created: the search still works, by scanning).
SQLite: an FTS5 trigram index over registration.full_name (external content, kept in step by triggers)
that narrows rare fragments to a few candidate rows (skipped when FTS5 is not compiled in).
"""

import logging

import peewee as pw
from peewee_migrate import Migrator

log = logging.getLogger(__name__)

FTS_TRIGGERS = (
    "CREATE TRIGGER registration_name_fts_insert AFTER INSERT ON registration BEGIN "
    "INSERT INTO registration_name_fts (rowid, full_name) VALUES (new.id, new.full_name); END",
    "CREATE TRIGGER registration_name_fts_delete AFTER DELETE ON registration BEGIN "
    "INSERT INTO registration_name_fts (registration_name_fts, rowid, full_name) "
    "VALUES ('delete', old.id, old.full_name); END",
    "CREATE TRIGGER registration_name_fts_update AFTER UPDATE OF full_name ON registration BEGIN "
    "INSERT INTO registration_name_fts (registration_name_fts, rowid, full_name) "
    "VALUES ('delete', old.id, old.full_name); "
    "INSERT INTO registration_name_fts (rowid, full_name) VALUES (new.id, new.full_name); END",
)


def _engine(database) -> pw.Database:
    return getattr(database, "obj", None) or database  # the app passes its DatabaseProxy


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the name-search indexes."""
    engine = _engine(database)
    if isinstance(engine, pw.PostgresqlDatabase):
        migrator.sql('CREATE INDEX registration_name_order ON registration '
                     '(lower(full_name) COLLATE "C", created_at DESC, id DESC)')

        def trigram_index():
            try:
                with engine.atomic():  # a savepoint: a refused extension leaves the migration intact
                    engine.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    engine.execute_sql("CREATE INDEX registration_name_trgm ON registration "
                                       "USING gin (lower(full_name) gin_trgm_ops)")
            except pw.DatabaseError as exc:
                log.warning("pg_trgm unavailable (%s); name search will scan", str(exc).splitlines()[0])

        migrator.run(trigram_index)
    else:
        migrator.sql("CREATE INDEX registration_name_order ON registration "
                     "(lower(full_name), created_at DESC, id DESC)")

        def fts_index():
            try:
                with engine.atomic():
                    engine.execute_sql("CREATE VIRTUAL TABLE registration_name_fts USING fts5("
                                       "full_name, content='registration', content_rowid='id', tokenize='trigram')")
                    for statement in FTS_TRIGGERS:
                        engine.execute_sql(statement)
                    engine.execute_sql("INSERT INTO registration_name_fts (registration_name_fts) VALUES ('rebuild')")
            except pw.OperationalError as exc:
                log.warning("FTS5 trigram unavailable (%s); name search will scan", exc)

        migrator.run(fts_index)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the name-search indexes."""
    engine = _engine(database)
    if isinstance(engine, pw.PostgresqlDatabase):
        migrator.sql("DROP INDEX IF EXISTS registration_name_trgm")
    else:
        for trigger in ("insert", "delete", "update"):
            migrator.sql(f"DROP TRIGGER IF EXISTS registration_name_fts_{trigger}")
        migrator.sql("DROP TABLE IF EXISTS registration_name_fts")
    migrator.sql("DROP INDEX IF EXISTS registration_name_order")
