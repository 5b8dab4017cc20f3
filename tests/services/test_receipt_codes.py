"""Receipt codes: made from an alphabet with nothing to misread, and read back however staff type them."""

import pytest

from kiosk.services.receipt_codes import ALPHABET, BUSINESS, WALKIN, new_code, parse_code


@pytest.mark.parametrize("prefix", [WALKIN, BUSINESS])
def test_a_new_code_reads_back_as_itself(prefix):
    code = new_code(prefix)
    assert len(code) == 12 and code[:3] == f"{prefix}-" and code[7] == "-"
    assert set(code[3:7] + code[8:]) <= set(ALPHABET) and not set("ILOU") & set(code[3:])
    assert parse_code(code) == (prefix, code)


@pytest.mark.parametrize("typed, expected", [
    ("kj-7h2m-q9xd", ("KJ", "KJ-7H2M-Q9XD")),
    ("KJ7H2MQ9XD", ("KJ", "KJ-7H2M-Q9XD")),
    (" ku 7h2m q9xd ", ("KU", "KU-7H2M-Q9XD")),
])
def test_staff_may_type_a_code_in_any_case_with_or_without_dashes(typed, expected):
    assert parse_code(typed) == expected


@pytest.mark.parametrize("typed", ["", None, "KX-7H2M-Q9XD", "KJ-7H2M-Q9X", "KJ-7H2M-Q9XD-1", "3578011708850003"])
def test_anything_else_is_no_code(typed):
    assert parse_code(typed) is None
