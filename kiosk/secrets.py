"""Secrets generated into the instance folder on first run, so a fresh install is safe by default."""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def _read_or_create(path: Path, make) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once must not write two different keys.
        try:
            with open(path, "x", encoding="ascii") as fh:
                fh.write(make())
            path.chmod(0o600)
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
