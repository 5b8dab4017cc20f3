"""Secrets generated into the instance folder on first run, so a fresh install is safe by default."""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def write_private(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write text to a file only its owner can read, from its first byte (no chmod after the fact).

    exclusive: fail with FileExistsError rather than replace an existing file.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_TRUNC


def _read_or_create(path: Path, make) -> str:
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once must not write two different keys.
        try:
            write_private(path, make(), exclusive=True)
        except FileExistsError:
            pass
    return path.read_text(encoding="ascii").strip()


def load_into(config: dict, instance_path: str) -> None:
    """Fill SECRET_KEY, DATA_KEYS and INDEX_KEY from the instance folder where config left them unset."""
    folder = Path(instance_path)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _read_or_create(folder / "secret_key", lambda: secrets.token_urlsafe(48))
    if not config.get("DATA_KEYS"):
        config["DATA_KEYS"] = _read_or_create(folder / "data_keys", lambda: Fernet.generate_key().decode())
    if not config.get("INDEX_KEY"):
        config["INDEX_KEY"] = _read_or_create(folder / "index_key", lambda: secrets.token_urlsafe(48))
