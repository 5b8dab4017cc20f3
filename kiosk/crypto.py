"""Personal data's keys and locks: encryption at rest and keyed blind indexes (DataVault), the app's vault,
and the secrets generated into the instance folder on first run, so a fresh install is safe by default."""

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class DataVault:
    """Encrypt/decrypt text with a list of Fernet keys and compute HMAC blind indexes.

    The first data key encrypts; every key decrypts, so keys can be rotated without downtime.
    """

    def __init__(self, data_keys: str | list[str], index_key: str):
        keys = data_keys.split(",") if isinstance(data_keys, str) else list(data_keys)
        self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys if k.strip()])
        self._index_key = index_key.encode()

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:  # a wrong or missing key must not look like data corruption
            raise ValueError("cannot decrypt: unknown key or damaged value") from exc

    def seal(self, values: dict) -> str:
        """Encrypt several fields as one token: one Fernet token per row costs a row's reader one decryption."""
        return self.encrypt(json.dumps(values, ensure_ascii=False, separators=(",", ":")))

    def unseal(self, token: str) -> dict:
        return json.loads(self.decrypt(token))

    def rotate(self, token: str) -> str:
        """Re-encrypt a value under the first (newest) key; it must decrypt with one of the keys."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise ValueError("cannot re-encrypt: unknown key or damaged value") from exc

    def blind_index(self, purpose: str, value: str) -> str:
        """Return a keyed hash of value; equal inputs give equal indexes, nothing can be read back."""
        msg = f"{purpose}\x00{value}".encode("utf-8")
        return hmac.new(self._index_key, msg, hashlib.sha256).hexdigest()


# --- the application's vault -----------------------------------------------------------------------

def init_app(app):
    app.extensions["vault"] = DataVault(app.config["DATA_KEYS"], app.config["INDEX_KEY"])


def vault() -> DataVault:
    return current_app.extensions["vault"]


# --- secrets generated into the instance folder ------------------------------------------------------


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


def load_keys(config: dict, instance_path: str) -> None:
    """Fill SECRET_KEY, DATA_KEYS and INDEX_KEY from the instance folder where config left them unset."""
    folder = Path(instance_path)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _read_or_create(folder / "secret_key", lambda: secrets.token_urlsafe(48))
    if not config.get("DATA_KEYS"):
        config["DATA_KEYS"] = _read_or_create(folder / "data_keys", lambda: Fernet.generate_key().decode())
    if not config.get("INDEX_KEY"):
        config["INDEX_KEY"] = _read_or_create(folder / "index_key", lambda: secrets.token_urlsafe(48))
