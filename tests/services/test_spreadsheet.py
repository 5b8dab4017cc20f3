"""Tests for kiosk.services.spreadsheet: the same rule as the staff export's formula neutralising."""

import pytest

from kiosk.services.spreadsheet import looks_like_formula, neutralise


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("+6281234567890", "+6281234567890"), ("-5", "-5"), ("+1.5", "+1.5"), ("Budi", "Budi"),
    ("", ""), ("a=1", "a=1"), ("+62 812", "'+62 812"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
])
def test_neutralise(text, safe):
    assert neutralise(text) == safe
    assert looks_like_formula(text) is (safe != text)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"klik\")", "@", "-", "+", "\t", "\r\n", "=", "-1-", "+1e5"])
def test_formula_starts_are_caught(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", [" =1+1", "\u00a0=1+1", "\u200b@SUM(A1)", "\u2060+1+1", "\ufeff-2+3",
                                  "  \u00a0\u200b=HYPERLINK(\"http://x\")", "\u3000@A1", "\n=1"])
def test_formulas_behind_spaces_or_invisible_characters_are_caught(text):
    assert looks_like_formula(text) and neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["2500000", "2.500.000", " Siti", "Siti", "-1", " -1", "\u00a0+62812", "+0.5",
                                  "3578011708850003", "\u200b"])
def test_plain_text_and_numbers_are_left_alone(text):
    assert not looks_like_formula(text) and neutralise(text) == text
