"""Tests for kiosk.services.nib (NIB from OSS RBA: 13 digits)."""

import pytest

from kiosk.services.nib import NIB_LENGTH, InvalidNib, normalise_nib, parse_nib

NIB = "9120001122334"


def error_code(raw):
    """Return the InvalidNib code raised for ``raw``."""
    with pytest.raises(InvalidNib) as caught:
        parse_nib(raw)
    return caught.value.code


@pytest.mark.parametrize(
    "raw",
    [
        NIB,
        f"  {NIB}\t",
        "9120 0011 22334",
        "9120.0011.22334",
        "9120-0011-22334",
        "9120\u20130011\u221222334",     # en dash, minus sign
        "9120\u00a00011\u300022334",     # NBSP, ideographic space
    ],
)
def test_separators_people_type_are_removed(raw):
    assert parse_nib(raw) == NIB


@pytest.mark.parametrize("raw", [None, "", "   ", " .-. ", "\u3000"])
def test_empty(raw):
    assert error_code(raw) == "empty"


@pytest.mark.parametrize(
    "raw",
    [
        "912000112233A",
        "NIB 9120001122334",
        "9120001122334/",
        "９１２０００１１２２３３４",               # full-width digits look right but are not ASCII
        "\u0669\u0661\u0662\u0660001122334",     # Arabic-Indic digits
        "9120001122334\x00",
        "<script>",
    ],
)
def test_other_characters_are_refused(raw):
    assert error_code(raw) == "characters"


@pytest.mark.parametrize("raw", ["912000112233", "91200011223345", "1", "3578011708850003", "9" * 100_000])
def test_wrong_length(raw):
    assert error_code(raw) == "length"


def test_error_carries_detail_but_never_the_input():
    with pytest.raises(InvalidNib) as caught:
        parse_nib("91200011223")
    assert caught.value.detail == "11 digits instead of 13"
    with pytest.raises(InvalidNib) as caught:
        parse_nib("<b>9120001122334</b>")
    assert "<b>" not in str(caught.value) and "<b>" not in caught.value.detail


def test_normalise_keeps_other_characters_so_the_error_can_name_them():
    assert normalise_nib(" 9120.0011-22334 ") == NIB
    assert normalise_nib("9120/0011") == "9120/0011"
    assert normalise_nib(None) == ""
    assert NIB_LENGTH == 13
