"""Checks that the gettext catalogues are complete, consistent and up to date.

Self-contained: needs no conftest.py fixture, only babel and the repo files.
"""
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("en", "id")

REFRESH_HINT = (
    "Run `make translations` (pybabel extract -F babel.cfg -k _l -k lazy_gettext "
    "--no-location --sort-output -o translations/messages.pot kiosk templates, then "
    "pybabel update -i translations/messages.pot -d translations) and translate the new strings."
)

# printf-style conversion as used by Python's % operator, named or positional.
_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)


def placeholders(text):
    """Multiset of placeholders in ``text`` (``%%`` escapes are ignored)."""
    found = Counter()
    for match in _PLACEHOLDER.finditer(text or ""):
        if match.group("conv") == "%":
            continue
        found[match.group(0)] += 1
    return found


def _as_strings(value):
    """A message id/string may be a tuple for plural entries; always return a tuple."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def _key(message_id):
    return _as_strings(message_id)[0]


def _load(path, locale=None):
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _pot_ids():
    return {_key(m.id) for m in _load(POT) if m.id}


def _rel(path):
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def _po_path(lang):
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(lang):
    path = _po_path(lang)
    assert path.is_file(), f"{_rel(path)} is missing. {REFRESH_HINT}"
    catalog = _load(path, locale=lang)
    assert not catalog.fuzzy, (
        f"{_rel(path)}: the header is marked fuzzy, so pybabel compile would skip it."
    )

    messages = {_key(m.id): m for m in catalog if m.id}
    problems = []
    for msgid in sorted(_pot_ids()):
        message = messages.get(msgid)
        if message is None:
            problems.append(f"missing:  {msgid!r}")
        elif not all(s for s in _as_strings(message.string)):
            problems.append(f"empty:    {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy:    {msgid!r}")
    for msgid in sorted(set(messages) - _pot_ids()):
        problems.append(f"not in .pot (stale catalogue): {msgid!r}")

    assert not problems, (
        f"{_rel(path)} has {len(problems)} problem(s):\n  "
        + "\n  ".join(problems)
        + f"\n{REFRESH_HINT}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang):
    path = _po_path(lang)
    catalog = _load(path, locale=lang)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = _as_strings(message.id)
        expected = placeholders(ids[-1])  # plural msgid carries the full set
        for string in _as_strings(message.string):
            if not string:
                continue  # reported by test_catalogue_is_complete
            got = placeholders(string)
            if got != expected:
                problems.append(
                    f"{ids[0]!r}\n      msgid has {sorted(expected.elements())}, "
                    f"msgstr {string!r} has {sorted(got.elements())}"
                )
    assert not problems, (
        f"{_rel(path)}: placeholders differ from the msgid in "
        f"{len(problems)} message(s):\n  " + "\n  ".join(problems)
    )


def test_pot_is_up_to_date():
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        result = subprocess.run(
            [
                sys.executable, "-c", "from babel.messages.frontend import main; main()",
                "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                "--no-location", "--sort-output", "-o", str(fresh), "kiosk", "templates",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}\n{result.stderr}"
        extracted = {_key(m.id) for m in _load(fresh) if m.id}

    committed = _pot_ids()
    added = sorted(extracted - committed)
    removed = sorted(committed - extracted)
    lines = [f"new in code:      {m!r}" for m in added]
    lines += [f"gone from code:   {m!r}" for m in removed]
    assert not lines, (
        "translations/messages.pot is stale:\n  " + "\n  ".join(lines) + f"\n{REFRESH_HINT}"
    )


def test_the_receipt_date_and_the_birth_day_are_told_apart_in_english(client):
    from tests.flows import register

    with client.session_transaction() as session:
        session["lang"] = "en"
    receipt, _token = register(client)
    html = receipt.data.decode()
    assert "Date:" in html and "Day:" not in html
    assert "Estimated contribution estimate" not in html
