"""Spreadsheet formula injection: tell a cell that a spreadsheet would run from plain text.

A text that starts with = + - @ tab or CR is taken as a formula by Excel and
LibreOffice (a "-cmd|..." cell can start a program), also behind leading spaces or invisible
characters, which an import or our own cleaning may trim. A plain number such as
the E.164 phone "+62812..." or "-5" cannot run anything and stays as it is.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _visible_start(text: str) -> str:
    """text from its first character that is neither a space nor invisible (NBSP, zero-width space,
    word joiner, BOM...): an import that trims them, or a cleaning step, leaves the formula bare."""
    for index, ch in enumerate(text):
        if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
            return text[index:]
    return ""


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet would read ``text`` as a formula, also once leading spaces and
    invisible characters are trimmed.

    >>> looks_like_formula("=HYPERLINK(\\"http://x\\")"), looks_like_formula("+6281234567890")
    (True, False)
    >>> looks_like_formula("\\u00a0=1+1"), looks_like_formula("\\u200b@SUM(A1)")
    (True, True)
    """
    if not text:
        return False
    if text[0] in FORMULA_START:
        return not PLAIN_NUMBER.fullmatch(text)
    visible = _visible_start(text)
    return bool(visible) and visible[0] in FORMULA_START and not PLAIN_NUMBER.fullmatch(visible)


def neutralise(text: str) -> str:
    """Return text safe to open in a spreadsheet: a leading apostrophe if it could start a formula.

    >>> neutralise("@SUM(A1)"), neutralise("Budi")
    ("'@SUM(A1)", 'Budi')
    """
    return "'" + text if looks_like_formula(text) else text
