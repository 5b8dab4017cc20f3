"""Amounts typed the Indonesian way read the same for an income and a wage; only a wage may say "juta"."""

from decimal import Decimal

import pytest

from kiosk.services.rupiah import NotRupiah, read_rupiah


@pytest.mark.parametrize("typed", ["1.500.000", "Rp1.500.000,00", "rp 1 500 000", "IDR 1500000", "1.500.000,-"])
def test_the_usual_ways_of_writing_an_amount(typed):
    assert read_rupiah(typed) == (Decimal(1_500_000), False)
    assert read_rupiah(typed, units=True) == (Decimal(1_500_000), False)


@pytest.mark.parametrize("typed, expected", [("2,5 juta", 2_500_000), ("750 rb", 750_000), ("Rp 3 jt", 3_000_000)])
def test_units_only_where_allowed(typed, expected):
    assert read_rupiah(typed, units=True).value == expected
    with pytest.raises(NotRupiah) as refused:
        read_rupiah(typed)
    assert refused.value.code == "not_number"


@pytest.mark.parametrize("typed, code", [
    ("", "empty"), ("   ", "empty"), (None, "empty"), ("1,5", "not_number"), ("1.50.000", "not_number"),
    ("9" * 41, "not_number"), ("satu juta", "not_number"),
])
def test_what_is_not_an_amount_says_why(typed, code):
    with pytest.raises(NotRupiah) as refused:
        read_rupiah(typed, units=True)
    assert refused.value.code == code


def test_a_minus_sign_is_read_not_dropped():
    assert read_rupiah("-Rp 5.000").negative and read_rupiah("Rp \u2212 5.000").negative
