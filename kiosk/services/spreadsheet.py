"""Spreadsheet formula injection: tell a cell that a spreadsheet would run from plain text.

A text that starts with = + - @ tab or CR is taken as a formula by Excel and
LibreOffice (a "-cmd|..." cell can start a program). A plain number such as
the E.164 phone "+62812..." or "-5" cannot run anything and stays as it is.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet would read ``text`` as a formula.

    >>> looks_like_formula("=HYPERLINK(\\"http://x\\")"), looks_like_formula("+6281234567890")
    (True, False)
    """
    return bool(text) and text[0] in FORMULA_START and not PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """Return text safe to open in a spreadsheet: a leading apostrophe if it could start a formula.

    >>> neutralise("@SUM(A1)"), neutralise("Budi")
    ("'@SUM(A1)", 'Budi')
    """
    return "'" + text if looks_like_formula(text) else text
