"""Tests for kiosk.services.phone."""

import pytest

from kiosk.services.phone import InvalidPhone, display_phone, mask_phone, normalise_mobile


def error_code(raw):
    """Return the InvalidPhone code raised for ``raw``."""
    with pytest.raises(InvalidPhone) as caught:
        normalise_mobile(raw)
    return caught.value.code


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812 3456 7890",
        "0812-3456-7890",
        "0812.3456.7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+6281234567890",
        "6281234567890",
        "62 812 3456 7890",
        "(0812) 345-67890",
        "  0812 3456 7890  ",
        "0812\u00a03456\u00a07890",      # non-breaking spaces
        "+62 (0) 812 3456 7890",
    ],
)
def test_accepted_spellings_of_one_number(raw):
    assert normalise_mobile(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("0812345678", "+62812345678"),          # 08 + 8 digits: shortest
        ("0878 1234 5678", "+6287812345678"),     # XL
        ("0899 1234 5678", "+6289912345678"),     # Tri
        ("0881 2345 678", "+628812345678"),       # Smartfren
        ("0857 1234 5678", "+6285712345678"),     # Indosat
        ("0813 3000 1234", "+6281330001234"),
    ],
)
def test_operators(raw, e164):
    assert normalise_mobile(raw) == e164


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_empty(raw):
    assert error_code(raw) == "empty"


@pytest.mark.parametrize(
    "raw",
    [
        "031 5678 9012",        # Surabaya landline
        "+62 31 5678 9012",
        "021 555 1234",         # Jakarta landline
        "0341 123456",          # Malang landline
    ],
)
def test_landlines_are_not_mobile(raw):
    assert error_code(raw) == "not_mobile"


@pytest.mark.parametrize("raw", ["0841 2345 6789", "0842 1234 567", "+62 843 1234 5678"])
def test_084x_is_refused(raw):
    assert error_code(raw) in {"invalid", "not_mobile"}


@pytest.mark.parametrize(
    "raw",
    [
        "+1 202 555 0123",         # valid US number
        "+44 7911 123456",         # valid UK mobile
        "+60 12 345 6789",         # Malaysia
        "0062 812 3456 7890",      # "00" is not an Indonesian international prefix
        "08123456",                # too short
        "081234567890123",         # too long
        "0812",
        "abc",
        "0812 ABCD EFGH",          # letters would become keypad digits
        "0812-3456-7890 ext 5",    # extensions would be silently dropped
        "０８１２３４５６７８９０",     # full-width digits
        "٠٨١٢٣٤٥٦٧٨٩٠",            # Arabic-Indic digits
        "0812345678\x00",
        "\u202e0987654321",
        "0812 3456 7890 \U0001f600",
        "<script>",
        "++6281234567890",
        "0812345678\x1c90",        # file-separator control is not whitespace here
    ],
)
def test_invalid(raw):
    assert error_code(raw) == "invalid"


@pytest.mark.parametrize("raw", ["0" * 31, "0812 3456 7890" + " " * 20 + "1", "1" * 100_000, "\x00" * 100_000])
def test_long_inputs_are_refused_before_parsing(raw, monkeypatch):
    import phonenumbers

    def boom(*args, **kwargs):
        raise AssertionError("parser must not be called")

    monkeypatch.setattr(phonenumbers, "parse", boom)
    assert error_code(raw) == "invalid"


def test_thirty_characters_are_still_parsed():
    raw = "0812 3456 7890".center(30)
    assert len(raw) == 30
    assert normalise_mobile(raw) == "+6281234567890"


def test_error_is_value_error_with_message():
    with pytest.raises(ValueError, match="not_mobile"):
        normalise_mobile("031 5678 9012")


@pytest.mark.parametrize(
    "e164, masked",
    [
        ("+6281234567890", "0812 **** 7890"),
        ("+62812345678", "0812 **** 5678"),
        ("+628123456789012", "0812 **** 9012"),
        ("", "**** ****"),
        ("+1202555012", "**** ****"),
        ("+62abc", "**** ****"),
    ],
)
def test_mask_phone(e164, masked):
    assert mask_phone(e164) == masked


def test_mask_does_not_reveal_length():
    assert len(mask_phone("+62812345678")) == len(mask_phone("+6281234567890"))


@pytest.mark.parametrize("e164, shown", [
    ("+6281234567890", "0812 3456 7890"), ("+628123456789", "0812 3456 789"), ("", ""), (None, ""),
])
def test_a_stored_number_is_shown_as_people_write_it(e164, shown):
    assert display_phone(e164) == shown
