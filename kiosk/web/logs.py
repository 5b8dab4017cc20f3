"""Keep personal data out of every log line: NIKs, phone numbers, status tokens, query strings.

Names cannot be recognised in free text, so they must never be logged at all: the app logs no form
data, and request lines lose their query strings (where search terms travel).
"""

import logging
import re

# Query strings carry search terms (names, phone numbers): drop them from request lines entirely.
_MASKS = (
    # Any run of 10+ digits, with single spaces, dots or dashes between them: NIKs (16), mobile
    # numbers (10-13), KPJ numbers (11). Amounts and dates are shorter and stay readable.
    (re.compile(r"(?<![0-9])\+?(?:[0-9][ .-]?){9,}[0-9](?![0-9])"), "[nomor]"),
    (re.compile(r"/(s|u|staff/usaha)/[A-Za-z0-9_-]{8,}"), r"/\1/[token]"),
    # Any other long random path segment (tokens are 22 characters of base64url).
    (re.compile(r"/(?=[A-Za-z_-]*[0-9])(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}"), "/[token]"),
    (re.compile(r"/kiosk/pasang/[A-Za-z0-9_-]+"), "/kiosk/pasang/[code]"),
    (re.compile(r"(\s/[^\s?\"]*)\?[^\s\"]*"), r"\1?[query]"),
)


def mask(text: str) -> str:
    """Return text with NIKs, phone numbers, tokens and query strings masked."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


# gunicorn access-log atoms that are the server's own figures (address, time, status, size, duration,
# pid): left as they are, or every line's status, size and duration would read "[nomor]".
_ACCESS_FIGURES = frozenset(("h", "l", "t", "s", "b", "B", "L", "T", "D", "M", "p"))


class MaskPersonalData(logging.Filter):
    """A logging filter that rewrites each record's final message through mask()."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for key, value in list(record.args.items()):  # in place: gunicorn's SafeAtoms answers missing keys
                if key not in _ACCESS_FIGURES and isinstance(value, str):
                    record.args[key] = mask(value)
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the record
            message = str(record.msg)
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error", "kiosk", "flask.app", "peewee")


def init_app(app):
    """Install the filter on our loggers and on every handler already attached to them."""
    # peewee logs every query with its parameters (names, addresses) at DEBUG: never let that out.
    logging.getLogger("peewee").setLevel(logging.INFO)
    guard = MaskPersonalData()
    for name in (*LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskPersonalData) for f in logger.filters):
            logger.addFilter(guard)
        for handler in logger.handlers:
            if not any(isinstance(f, MaskPersonalData) for f in handler.filters):
                handler.addFilter(guard)
