"""Receipt codes printed under the QR: KJ-XXXX-XXXX for a walk-in's application, KU-XXXX-XXXX for a business.

Crockford base32 without I, L, O, U: nothing to misread on a faded thermal print. Staff type or scan them in
any case, with or without the dashes or spaces: parse_code("kj abcd efgh") == ("KJ", "KJ-ABCD-EFGH").
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
WALKIN = "KJ"
BUSINESS = "KU"

_CODE = re.compile(r"^(KJ|KU)-?([0-9A-Z]{4})-?([0-9A-Z]{4})$")


def new_code(prefix: str) -> str:
    """A fresh random code with this prefix (WALKIN or BUSINESS)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def parse_code(text: str) -> tuple[str, str] | None:
    """(prefix, the code as stored) for something that reads as a receipt code, else None."""
    match = _CODE.match((text or "").upper().replace(" ", ""))
    if not match:
        return None
    return match.group(1), f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
