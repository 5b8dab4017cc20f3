"""Tests for kiosk.services.nik (examples from domain.md section 5)."""

from datetime import date

import pytest

from kiosk.services.nik import InvalidNik, NikInfo, mask_nik, mask_nik_public, normalise_nik, parse_nik

TODAY = date(2026, 6, 1)


class FakeRegions:
    """Look names up in a small dict instead of the real region data."""

    NAMES = {
        "35": "Jawa Timur",
        "35.78": "Kota Surabaya",
        "35.78.01": "Karang Pilang",
        "35.78.10": "Gubeng",
        "35.78.26": "Mulyorejo",
        "35.73": "Kota Malang",
        "31": "DKI Jakarta",
        "31.71": "Kota Jakarta Selatan",
        "31.71.01": "Tebet",
    }

    def name(self, code: str) -> str | None:
        """Return the name or None."""
        return self.NAMES.get(code)


REGIONS = FakeRegions()


def parse(raw):
    """Parse with the fake regions at TODAY."""
    return parse_nik(raw, REGIONS, TODAY)


def error_code(raw, today=TODAY):
    """Return the InvalidNik code raised for ``raw``."""
    with pytest.raises(InvalidNik) as caught:
        parse_nik(raw, REGIONS, today)
    return caught.value.code


# --- domain.md table ---------------------------------------------------------


def test_male_surabaya_karang_pilang():
    info = parse("3578011708850003")
    assert info == NikInfo(
        nik="3578011708850003", province_code="35", regency_code="35.78",
        district_code="35.78.01", district_known=True, birth_date=date(1985, 8, 17),
        sex="L", serial="0003", warnings=(),
    )


def test_female_mulyorejo_subtracts_40():
    info = parse("3578265708850001")
    assert (info.district_code, info.sex, info.birth_date) == ("35.78.26", "P", date(1985, 8, 17))
    assert info.district_known


def test_female_born_2000():
    info = parse("3578104102000002")
    assert (info.sex, info.birth_date, info.serial) == ("P", date(2000, 2, 1), "0002")
    assert info.warnings == ()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("3578013102990001", "birth_date"),   # 31 Feb
        ("3578017202990001", "birth_day"),    # day 72
        ("3578013200850001", "birth_day"),    # day 32
        ("9978011708850003", "province"),
        ("3599011708850003", "regency"),
        ("3578011708850000", "serial"),
    ],
)
def test_domain_invalid_examples(raw, code):
    assert error_code(raw) == code


def test_unknown_district_is_only_a_warning():
    info = parse("3578321708850003")
    assert info.district_code == "35.78.32"
    assert info.district_known is False
    assert info.warnings == ("district_unknown",)


# --- normalising -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "3578011708850003",
        " 3578011708850003 ",
        "3578 0117 0885 0003",
        "3578.01.170885.0003",
        "3578-0117-0885-0003",
        "3578\u20130117\u20140885\u22120003",   # en dash, em dash, minus sign
        "3578\u00a00117\u20030885\t0003\n",      # NBSP, em space, tab, newline
        "35.78.01 170885 0003",
    ],
)
def test_separators_are_removed(raw):
    assert normalise_nik(raw) == "3578011708850003"
    assert parse(raw).nik == "3578011708850003"


@pytest.mark.parametrize("raw, expected", [(None, ""), ("", ""), ("  . - ", ""), ("12a/3", "12a/3")])
def test_normalise_keeps_other_characters(raw, expected):
    assert normalise_nik(raw) == expected


# --- format errors -----------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n", "- . -", "\u3000"])
def test_empty(raw):
    assert error_code(raw) == "empty"


@pytest.mark.parametrize(
    "raw",
    [
        "357801170885000A",
        "3578O11708850003",                    # letter O
        "３５７８０１１７０８８５０００３",            # full-width digits
        "٣٥٧٨٠١١٧٠٨٨٥٠٠٠٣",                    # Arabic-Indic digits
        "3578011708850003\U0001f600",          # emoji
        "<script>alert(1)</script>",
        "3578011708850003\x00",                # NUL
        "\u202e3000580871108753",              # RTL override
        "3578\u200b011708850003",              # zero-width space
        "3578011708850003+",
        "+62",
    ],
)
def test_bad_characters(raw):
    assert error_code(raw) == "chars"


def test_chars_checked_before_length():
    assert error_code("12a") == "chars"


@pytest.mark.parametrize("raw", ["3", "357801170885000", "35780117088500031", "3" * 100_000])
def test_wrong_length(raw):
    assert error_code(raw) == "length"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("x" * 100_000, "chars"),
        ("\x00" * 100_000, "chars"),
        (" " * 100_000, "empty"),
        ("\u202e" * 50_000, "chars"),
    ],
)
def test_huge_hostile_inputs_only_raise_invalid_nik(raw, code):
    assert error_code(raw) == code


# --- birth date --------------------------------------------------------------


@pytest.mark.parametrize(
    "day_field, code",
    [("00", "birth_day"), ("32", "birth_day"), ("40", "birth_day"), ("72", "birth_day"), ("99", "birth_day")],
)
def test_birth_day_out_of_range(day_field, code):
    assert error_code(f"357801{day_field}08850003") == code


@pytest.mark.parametrize("day_field, day, sex", [("01", 1, "L"), ("31", 31, "L"), ("41", 1, "P"), ("71", 31, "P")])
def test_birth_day_boundaries(day_field, day, sex):
    info = parse(f"357801{day_field}01850003")
    assert (info.birth_date.day, info.sex) == (day, sex)


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_birth_month_out_of_range(month):
    assert error_code(f"35780117{month}850003") == "birth_month"


@pytest.mark.parametrize(
    "raw",
    [
        "3578013102990001",   # 31 Feb
        "3578013104990001",   # 31 Apr
        "3578012902990001",   # 29 Feb 1999
        "3578016902990001",   # 29 Feb 1999, female
        "3578013109900001",   # 31 Sep
        "3578017102990001",   # female 31 Feb
    ],
)
def test_impossible_dates(raw):
    assert error_code(raw) == "birth_date"


@pytest.mark.parametrize(
    "raw, born",
    [
        ("3578012902000001", date(2000, 2, 29)),   # 2000 is a leap year
        ("3578012902960001", date(1996, 2, 29)),
        ("3578016902960001", date(1996, 2, 29)),
        ("3578013012990001", date(1999, 12, 30)),
    ],
)
def test_leap_and_edge_dates(raw, born):
    assert parse(raw).birth_date == born


@pytest.mark.parametrize(
    "yy_date, today, year",
    [
        ("010526", date(2026, 6, 1), 2026),    # up to today stays in 20YY
        ("010626", date(2026, 6, 1), 2026),    # exactly today
        ("020626", date(2026, 6, 1), 1926),    # tomorrow would be the future
        ("170885", date(2026, 6, 1), 1985),
        ("170810", date(2026, 6, 1), 2010),
        ("170830", date(2026, 6, 1), 1930),
        ("010100", date(2026, 6, 1), 2000),
    ],
)
def test_century_is_never_in_the_future(yy_date, today, year):
    assert parse_nik(f"357801{yy_date}0001", REGIONS, today).birth_date.year == year


@pytest.mark.parametrize(
    "yy_date, warned",
    [
        ("170885", False),   # 40
        ("010611", False),   # 15 today
        ("020611", True),    # 14, turns 15 tomorrow
        ("010646", False),   # 80 today
        ("310546", False),   # 80 and a day
        ("010645", True),    # 81 today
        ("170830", True),    # 1930 -> 95
        ("010126", True),    # a baby
    ],
)
def test_age_warning(yy_date, warned):
    info = parse(f"357801{yy_date}0001")
    assert ("age_unusual" in info.warnings) is warned


def test_both_warnings_in_order():
    info = parse("3578320101260001")
    assert info.warnings == ("district_unknown", "age_unusual")


# --- order of checks ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw, code",
    [
        ("9999990000000000", "province"),   # province beats every later check
        ("3599990000000000", "regency"),
        ("3578990000000000", "birth_day"),  # unknown district never blocks
        ("3578010100000000", "birth_month"),
        ("3578013102000000", "birth_date"),
        ("3578010101000000", "serial"),
    ],
)
def test_checks_run_in_documented_order(raw, code):
    assert error_code(raw) == code


def test_error_has_code_and_english_message():
    with pytest.raises(InvalidNik) as caught:
        parse("9978011708850003")
    assert isinstance(caught.value, ValueError)
    assert "province" in str(caught.value)


# --- masking -----------------------------------------------------------------


@pytest.mark.parametrize(
    "nik, masked",
    [
        ("3578011708850003", "3578********0003"),
        ("3578 0117 0885 0003", "3578********0003"),
        ("123", "****************"),
        ("", "****************"),
    ],
)
def test_mask_nik(nik, masked):
    assert mask_nik(nik) == masked


@pytest.mark.parametrize("value, public", [
    ("3578011708850003", "************0003"), ("3578********0003", "************0003"),
    ("****************", "****************"), ("", "****************"), (None, "****************"),
    ("3578********000", "****************"),
])
def test_public_pages_get_the_last_four_digits_only(value, public):
    assert mask_nik_public(value) == public
