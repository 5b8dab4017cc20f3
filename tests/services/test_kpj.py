"""Tests for kiosk.services.kpj."""

import pytest

from kiosk.services.kpj import KPJ_LENGTH, InvalidKpj, normalise_kpj


def error_code(raw):
    """Return the InvalidKpj code raised for ``raw``."""
    with pytest.raises(InvalidKpj) as caught:
        normalise_kpj(raw)
    return caught.value.code


@pytest.mark.parametrize(
    "raw",
    [
        "12345678901",
        " 12345678901 ",
        "123 4567 8901",
        "123.4567.8901",
        "123-4567-8901",
        "123\u20134567\u20148901",       # en dash, em dash
        "123\u22124567\u20108901",       # minus sign, hyphen
        "123\u00a04567\u30008901",       # NBSP, ideographic space
        "\t12345678901\r\n",
        "1.2.3.4.5.6.7.8.9.0.1",
    ],
)
def test_separators_are_removed(raw):
    assert normalise_kpj(raw) == "12345678901"


@pytest.mark.parametrize("raw", ["00000000000", "99999999999", "01234567890"])
def test_leading_zeros_and_extremes_are_kept(raw):
    assert normalise_kpj(raw) == raw


def test_length_is_eleven():
    assert KPJ_LENGTH == 11


@pytest.mark.parametrize("raw", [None, "", " ", "\t\n", ". - .", "\u3000", " " * 100_000])
def test_empty(raw):
    assert error_code(raw) == "empty"


@pytest.mark.parametrize(
    "raw",
    [
        "1234567890A",
        "1234567890O",                     # letter O
        "1234567890l",                     # letter l
        "１２３４５６７８９０１",               # full-width digits
        "١٢٣٤٥٦٧٨٩٠١",                     # Arabic-Indic digits
        "12345678901\U0001f600",           # emoji
        "\U0001f600",
        "12345678901\x00",                 # NUL
        "\x00" * 100_000,
        "x" * 100_000,
        "1234\u200b5678901",               # zero-width space
        "\u202e10987654321",               # RTL override
        "+12345678901",
        "12345678901/",
        "<script>alert(1)</script>",
        "'; DROP TABLE kpj; --",
        "1234567890\ud800",                # lone surrogate
        "¹²³⁴⁵⁶⁷⁸⁹⁰¹",                     # superscript digits
    ],
)
def test_bad_characters(raw):
    assert error_code(raw) == "chars"


@pytest.mark.parametrize(
    "raw",
    ["1", "1234567890", "123456789012", "1234 5678 9012 3456", "3578011708850003", "1" * 100_000],
)
def test_wrong_length(raw):
    assert error_code(raw) == "length"


def test_chars_checked_before_length():
    assert error_code("12a") == "chars"


def test_error_is_value_error_with_english_message_and_no_echo():
    with pytest.raises(InvalidKpj) as caught:
        normalise_kpj("<b>secret</b>")
    assert isinstance(caught.value, ValueError)
    assert "KPJ" in str(caught.value) and "chars" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_length_message_counts_digits():
    with pytest.raises(InvalidKpj, match="10 digits instead of 11"):
        normalise_kpj("1234567890")


@pytest.mark.parametrize("raw", [12345678901, 0])
def test_non_string_input_only_raises_invalid_kpj_or_works(raw):
    if raw:
        assert normalise_kpj(raw) == "12345678901"
    else:
        assert error_code(raw) == "empty"
