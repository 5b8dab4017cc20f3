"""Personal data at rest (penetration test, point 12): the instance folder and the files in it are
private from their first byte."""

import os
import stat

import pytest

from kiosk import privacy, regions
from kiosk.cli import migrate_database
from kiosk.db import db
from tests.conftest import make_app
from tests.factories import register


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


NO_KEYS = {"SECRET_KEY": "", "DATA_KEYS": "", "INDEX_KEY": ""}  # generated into the instance folder


@pytest.fixture
def fresh(tmp_path):
    """A new app, instance folder, keys and SQLite database, created under the usual umask 022."""
    previous = os.umask(0o022)
    try:
        app = make_app("sqlite:///kiosk.db", tmp_path, **NO_KEYS)
        with app.app_context():
            db.connect(reuse_if_open=True)
            migrate_database()
            regions.load(villages_of="35")
            db.close()
    finally:
        os.umask(previous)
    yield app
    app.extensions["database"].close_all()


def test_instance_folder_database_and_keys_are_private_from_the_start(fresh):
    register(fresh.test_client())  # writes through the WAL
    folder = fresh.instance_path
    assert mode(folder) == 0o700
    files = set(os.listdir(folder))
    assert {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "secret_key", "data_keys", "index_key"} <= files
    for name in files:
        assert mode(os.path.join(folder, name)) == 0o600, name


def test_an_existing_database_readable_by_others_is_tightened(fresh, tmp_path):
    path = os.path.join(fresh.instance_path, "kiosk.db")
    register(fresh.test_client())  # the WAL and shared-memory files exist while connections are open
    for name in (path, path + "-wal", path + "-shm"):
        os.chmod(name, 0o644)  # as SQLite made them before
    app = make_app("sqlite:///kiosk.db", tmp_path, **NO_KEYS)  # the same instance folder
    assert app.instance_path == fresh.instance_path
    for name in (path, path + "-wal", path + "-shm"):
        assert mode(name) == 0o600, name
    app.extensions["database"].close_all()


def test_a_new_data_key_is_written_private(tmp_path):
    previous = os.umask(0o022)
    try:
        (tmp_path / "data_keys").write_text("old-key", encoding="ascii")
        (tmp_path / "data_keys").chmod(0o644)
        path = privacy.add_data_key(str(tmp_path), "old-key")
    finally:
        os.umask(previous)
    assert mode(path) == 0o600 and path.read_text(encoding="ascii").endswith(",old-key")
