"""One way of reading rupiah for a walk-in's income and a business worker's wage; the amount is said back as it is
typed, and a very small income (a dropped zero, often) is confirmed before it is used."""

import datetime as dt

import pytest

from kiosk.services.contributions import InvalidIncome, parse_income
from kiosk.services.rules import load_rules
from kiosk.services.wage_contributions import InvalidWage, parse_wage
from tests.flows import CONTACT, IDENTITY, WORK, start_visit

DAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("typed", [
    "1500000", "1.500.000", "Rp 1.500.000", "1,5 juta", "1jt", "1500 rb", "Rp1.500.000,-",
    "1,5", "sejuta", "1e6", "-1.500.000", "1,0005 rb", "",
])
def test_income_and_wage_read_the_same_inputs_the_same_way(typed):
    def outcome(parse, error):
        try:
            return parse()
        except error:
            return "refused"

    income = outcome(lambda: parse_income(typed, load_rules(), DAY), InvalidIncome)
    wage = outcome(lambda: parse_wage(typed, load_rules().pu_for(DAY)), InvalidWage)
    assert income == wage


@pytest.fixture
def at_work(client):
    start_visit(client)
    client.post("/daftar/identitas", data=IDENTITY)
    client.post("/daftar/kontak", data=CONTACT)
    return client


def test_income_in_juta_is_understood(at_work):
    assert at_work.post("/daftar/pekerjaan", data={**WORK, "income": "1,5 juta"}).status_code == 303
    assert 'value="1500000"' in at_work.get("/daftar/pekerjaan").data.decode()


@pytest.mark.parametrize("typed, said", [("1500000", "Rp\u00a01.500.000"), ("1,5 juta", "Rp\u00a01.500.000"),
                                         ("750 rb", "Rp\u00a0750.000")])
def test_the_amount_is_said_back_while_typing(at_work, typed, said):
    html = at_work.post("/daftar/pekerjaan/penghasilan", data={"income": typed}).data.decode()
    assert f"= <strong>{said}</strong>" in html


@pytest.mark.parametrize("typed", ["15000OO", "abc", "", "-5000"])
def test_nothing_is_said_back_for_what_is_no_amount(at_work, typed):
    html = at_work.post("/daftar/pekerjaan/penghasilan", data={"income": typed}).data.decode()
    assert 'id="income-echo"' in html and "<strong>" not in html


def test_a_very_small_income_is_confirmed_before_it_is_used(at_work):
    response = at_work.post("/daftar/pekerjaan", data={**WORK, "income": "1.000"})
    html = response.data.decode()
    assert response.status_code == 422
    assert "Penghasilan Rp\u00a01.000 per bulan? Periksa lagi" in html and 'name="income_confirmed"' in html
    assert 'value="1.000"' in html  # what was typed is kept
    confirmed = at_work.post("/daftar/pekerjaan", data={**WORK, "income": "1.000", "income_confirmed": "y"})
    assert confirmed.status_code == 303
    assert 'name="income_confirmed"' not in at_work.get("/daftar/pekerjaan").data.decode()  # not asked again


def test_an_ordinary_income_is_not_questioned(at_work):
    assert at_work.post("/daftar/pekerjaan", data={**WORK, "income": "150.000"}).status_code == 303
