"""Encryption at rest and keyed blind indexes for personal data (no Flask import)."""

import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


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
