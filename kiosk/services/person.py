"""Clean, compare and mask people's names as written on a KTP."""

from __future__ import annotations

import unicodedata

from kiosk.services.errors import DomainError

# Typographic apostrophes and the modifier letter used in transliterations
# (Syafi’i, Syafiʼi) all mean the plain apostrophe; Unicode hyphens mean "-".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
_PUNCTUATION = frozenset("'.-,")
# Space separators plus tab/newline; other control characters are refused,
# not silently turned into spaces.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")


class InvalidName(DomainError):
    """Raise when a name cannot be accepted; see ``code``."""

    CODES = ("empty", "too_long", "chars", "start")
    what = "invalid name"


def _is_space(ch: str) -> bool:
    """Tell whether ``ch`` is a space we collapse (not an exotic control)."""
    return ch in _WHITESPACE_CONTROLS or unicodedata.category(ch) == "Zs"


def _is_allowed(ch: str) -> bool:
    """Tell whether ``ch`` may appear in a cleaned name."""
    category = unicodedata.category(ch)
    return category[0] in "LM" or ch in _PUNCTUATION or ch == " "


def _collapse_spaces(text: str) -> str:
    """Trim and collapse runs of space characters into one ASCII space."""
    words, current = [], []
    for ch in text:
        if _is_space(ch):
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return " ".join(words)


def clean_name(raw: str | None, max_len: int = 100) -> str:
    """Return the name NFC-normalised with spaces collapsed; raise InvalidName.

    >>> clean_name("  Moh.   Syafi’i ")
    "Moh. Syafi'i"
    """
    text = _collapse_spaces(unicodedata.normalize("NFC", raw or "").translate(_APOSTROPHES))
    if not text:
        raise InvalidName("empty")
    bad = next((ch for ch in text if not _is_allowed(ch)), None)
    if bad is not None:
        raise InvalidName("chars", f"character U+{ord(bad):04X} is not allowed")
    # A name needs at least one letter; "-" or "..." alone is not a name.
    if not any(unicodedata.category(ch)[0] == "L" for ch in text):
        raise InvalidName("chars", "no letters")
    # "-Budi" or "'Budi" is a formula or a hidden text prefix in a spreadsheet the desk exports to.
    if unicodedata.category(text[0])[0] != "L":
        raise InvalidName("start", f"starts with {text[0]!r}")
    if len(text) > max_len:
        raise InvalidName("too_long", f"{len(text)} characters, at most {max_len}")
    return text


def name_key(raw: str) -> str:
    """Return a key that ignores case, spacing and punctuation.

    >>> name_key("Siti  Aminah") == name_key("SITI AMINAH")
    True
    """
    folded = unicodedata.normalize("NFKC", raw or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def mask_name(name: str) -> str:
    """Keep each word's first letter and add three stars: ``S*** A***``.

    Always three stars, so the mask never reveals a word's length; a name
    with no letters becomes ``***``.
    """
    initials = []
    for word in unicodedata.normalize("NFC", name or "").split():
        first = next((ch for ch in word if ch.isalpha()), None)
        if first is not None:
            initials.append(first.upper() + "***")
    return " ".join(initials) or "***"


def mask_email(email: str) -> str:
    """Keep the first character and the domain: ``s***@contoh.id``; nothing when there is none."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return ""
    return (local[:1] or "") + "***@" + domain


def mask_address(address: str) -> str:
    """Keep only the first word (usually "Jl." or "Dusun"): enough to recognise, not to find the house."""
    words = (address or "").split()
    return f"{words[0]} ***" if words else ""
