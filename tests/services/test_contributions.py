"""Tests for kiosk.services.contributions and kiosk/services/rules.toml (domain.md section 2)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.services.contributions import InvalidIncome, InvalidPeriod, MonthLine, month_runs, parse_income, quote_bpu
from kiosk.services.rules import (
    DEFAULT_RULES_PATH,
    RulesError,
    add_months,
    load_rules,
    round_rupiah,
    rulebook_from_dict,
)

RULES = load_rules()
TODAY = date(2026, 6, 1)
OUTSIDE_DISCOUNT = date(2024, 6, 10)  # a 12-month period from here ends May 2025


def quote(income=1_000_000, *, jht=False, period=1, start=OUTSIDE_DISCOUNT, transport=False, payer="self"):
    """Quote with the real rules and handy defaults."""
    return quote_bpu(income, jht=jht, period_months=period, start=start, transport=transport, payer=payer, rules=RULES)


# --- rules.toml --------------------------------------------------------------


def test_real_rules_file_is_next_to_the_rules_module():
    assert DEFAULT_RULES_PATH == Path(__file__).resolve().parents[2] / "kiosk" / "services" / "rules.toml"
    assert load_rules() is load_rules()   # cached


def test_real_rules_are_dated_in_order():
    for kind in ("bpu", "pu", "pu_jp_wage_cap"):
        days = [entry.valid_from if hasattr(entry, "valid_from") else entry["valid_from"]
                for entry in getattr(RULES, kind)]
        assert days == sorted(days) and len(set(days)) == len(days), kind
    for discount in RULES.bpu_discounts:
        assert discount.valid_from <= discount.valid_until, discount
        assert "JHT" not in discount.programs


def test_real_bpu_figures_match_domain_brief():
    bpu = RULES.bpu_for(TODAY)
    assert (bpu.min_income, bpu.max_income, bpu.jkm_flat) == (1_000_000, 20_700_000, 6_800)
    assert (bpu.jkk_rate, bpu.jht_rate) == (Decimal("0.01"), Decimal("0.02"))
    assert bpu.periods == (1, 3, 6, 12)
    assert "max_income" in bpu.unconfirmed


def test_real_discount_windows():
    windows = {(d.sector, d.valid_from, d.valid_until, d.percent) for d in RULES.bpu_discounts}
    assert windows == {
        ("transport", date(2026, 1, 1), date(2027, 3, 31), 50),
        ("other", date(2026, 4, 1), date(2026, 12, 31), 50),
    }
    assert all(set(d.excluded_payers) == {"APBN", "APBD"} for d in RULES.bpu_discounts)


def test_real_pu_data_present():
    pu = RULES.pu[0]
    assert [Decimal(r) for r in pu["jkk_risk_rates"]] == [Decimal(x) for x in ("0.0024", "0.0054", "0.0089",
                                                                               "0.0127", "0.0174")]
    assert Decimal(pu["jht_employer_rate"]) + Decimal(pu["jht_worker_rate"]) == Decimal("0.057")
    assert [cap["amount"] for cap in RULES.pu_jp_wage_cap] == [10_042_300, 10_547_400]


def test_bpu_for_picks_the_set_in_force():
    data = _minimal_rules()
    data["bpu"].append(dict(data["bpu"][0], valid_from=date(2030, 1, 1), jkm_flat=9_000))
    book = rulebook_from_dict(data)
    assert book.bpu_for(date(2029, 12, 31)).jkm_flat == 6_800
    assert book.bpu_for(date(2030, 1, 1)).jkm_flat == 9_000
    with pytest.raises(RulesError):
        book.bpu_for(date(2015, 6, 30))


def _minimal_rules():
    """Return the smallest valid rules dict."""
    return {
        "bpu": [{
            "valid_from": date(2015, 7, 1), "min_income": 1_000_000, "max_income": 20_700_000,
            "jkk_rate": "0.01", "jkm_flat": 6_800, "jht_rate": "0.02",
            "income_sanity_max": 1_000_000_000, "periods": [1, 3, 6, 12],
        }],
    }


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("bpu"),
        lambda d: d["bpu"][0].pop("jkk_rate"),
        lambda d: d["bpu"][0].update(jkk_rate="one percent"),
        lambda d: d["bpu"][0].update(min_income=30_000_000),
        lambda d: d["bpu"].append(dict(d["bpu"][0], valid_from=date(2010, 1, 1))),
        lambda d: d.update(bpu_discount=[{
            "name": "x", "programs": ["JKK"], "percent": 50, "sector": "other",
            "valid_from": date(2026, 5, 1), "valid_until": date(2026, 4, 1),
        }]),
        lambda d: d.update(bpu_discount=[{
            "name": "x", "programs": ["JKK"], "percent": 50, "sector": "farming",
            "valid_from": date(2026, 1, 1), "valid_until": date(2026, 4, 1),
        }]),
    ],
)
def test_broken_rules_are_refused(breakage):
    data = _minimal_rules()
    breakage(data)
    with pytest.raises(RulesError):
        rulebook_from_dict(data)


# --- parse_income --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, amount",
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000,00", 1_500_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("rp 1500000", 1_500_000),
        ("IDR 1.500.000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("  1\u00a0500\u00a0000  ", 1_500_000),
        ("1.500", 1_500),
        ("500000", 500_000),
        ("1", 1),
        ("1.000.000.000", 1_000_000_000),   # exactly the sanity limit
    ],
)
def test_parse_income_accepts(raw, amount):
    assert parse_income(raw, RULES, TODAY) == amount


@pytest.mark.parametrize(
    "raw, code",
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("-5", "not_positive"),
        ("Rp -5", "not_positive"),
        ("\u22121.000.000", "not_positive"),
        ("0", "not_positive"),
        ("000", "not_positive"),
        ("abc", "not_number"),
        ("1,5", "not_number"),
        ("1.5", "not_number"),
        ("1,500,000", "not_number"),
        ("1.500 000", "not_number"),
        ("1.500.000,50", "not_number"),
        ("1.5000.000", "not_number"),
        ("\U0001f4b0", "not_number"),
        ("１５０００００", "not_number"),
        ("١٥٠٠٠٠٠", "not_number"),
        ("1500000\x00", "not_number"),
        ("\u202e0000051", "not_number"),
        ("1e6", "not_number"),
        ("1.000.000.001", "too_large"),
        ("99999999999", "too_large"),
        ("9" * 100_000, "not_number"),
        ("x" * 100_000, "not_number"),
        ("1." * 50_000, "not_number"),
    ],
)
def test_parse_income_refuses(raw, code):
    with pytest.raises(InvalidIncome) as caught:
        parse_income(raw, RULES, TODAY)
    assert caught.value.code == code


# --- quote_bpu: hand-computed ------------------------------------------------


def test_minimum_without_jht_outside_discount():
    q = quote()
    assert q.monthly == MonthLine(month=date(2024, 6, 1), jkk=10_000, jkm=6_800, jht=0, discount=0, total=16_800)
    assert q.period_total == 16_800
    assert q.discount_name is None


def test_minimum_with_jht_outside_discount():
    q = quote(jht=True)
    assert (q.monthly.jkk, q.monthly.jkm, q.monthly.jht, q.monthly.total) == (10_000, 6_800, 20_000, 36_800)


def test_discount_halves_jkk_jkm_for_other_sector_in_may_2026():
    q = quote(start=date(2026, 5, 1))
    assert (q.monthly.discount, q.monthly.total) == (8_400, 8_400)
    assert q.discount_name == "PP 50/2025"


def test_discount_never_touches_jht():
    q = quote(jht=True, start=date(2026, 5, 1))
    assert (q.monthly.jht, q.monthly.discount, q.monthly.total) == (20_000, 8_400, 28_400)


@pytest.mark.parametrize(
    "start, transport, discounted",
    [
        (date(2025, 12, 31), True, False),   # before Jan 2026
        (date(2026, 1, 1), True, True),
        (date(2026, 1, 1), False, False),    # other sectors start in April
        (date(2026, 3, 31), False, False),
        (date(2026, 4, 1), False, True),
        (date(2026, 12, 15), False, True),
        (date(2027, 1, 1), False, False),
        (date(2027, 2, 14), True, True),     # transport runs to Mar 2027
        (date(2027, 2, 14), False, False),
        (date(2027, 3, 31), True, True),
        (date(2027, 4, 1), True, False),
    ],
)
def test_discount_windows_by_sector(start, transport, discounted):
    q = quote(start=start, transport=transport)
    assert q.monthly.total == (8_400 if discounted else 16_800)


def test_twelve_months_from_november_2026_other_sector():
    q = quote(period=12, start=date(2026, 11, 20))
    # Nov + Dec 2026 discounted: 2 x 8,400; Jan-Oct 2027 full: 10 x 16,800.
    assert q.period_total == 2 * 8_400 + 10 * 16_800 == 184_800
    assert [line.month for line in q.months] == [add_months(date(2026, 11, 1), i) for i in range(12)]
    assert [line.discount for line in q.months] == [8_400, 8_400] + [0] * 10
    assert dict(q.per_program_period) == {"JKK": 120_000, "JKM": 81_600, "JHT": 0, "discount": 16_800}


def test_twelve_months_from_november_2026_other_sector_with_jht():
    q = quote(period=12, start=date(2026, 11, 1), jht=True)
    assert q.period_total == 184_800 + 12 * 20_000 == 424_800


def test_twelve_months_from_november_2026_transport():
    q = quote(period=12, start=date(2026, 11, 1), transport=True)
    # Nov 2026 - Mar 2027 discounted (5 months), Apr - Oct 2027 full (7 months).
    assert q.period_total == 5 * 8_400 + 7 * 16_800 == 159_600


@pytest.mark.parametrize("payer", ["APBD", "apbd", "APBN", " APBN "])
@pytest.mark.parametrize("transport", [True, False])
def test_state_paid_members_are_never_discounted(payer, transport):
    q = quote(period=12, start=date(2026, 4, 1), transport=transport, payer=payer)
    assert q.per_program_period["discount"] == 0
    assert q.period_total == 12 * 16_800
    assert q.discount_name is None


def test_low_income_is_raised_to_minimum():
    q = quote(500_000)
    assert (q.declared_income, q.base_income, q.raised_to_minimum, q.capped) == (500_000, 1_000_000, True, False)
    assert q.monthly.total == 16_800


def test_high_income_is_capped():
    q = quote(50_000_000, jht=True)
    assert (q.base_income, q.capped, q.raised_to_minimum) == (20_700_000, True, False)
    assert (q.monthly.jkk, q.monthly.jht, q.monthly.total) == (207_000, 414_000, 207_000 + 6_800 + 414_000)


@pytest.mark.parametrize(
    "income, jkk, jht",
    [
        (1_000_000, 10_000, 20_000),
        (1_000_050, 10_001, 20_001),    # 10,000.50 rounds half-up
        (1_000_049, 10_000, 20_001),    # 10,000.49 down; 20,000.98 up
        (2_345_678, 23_457, 46_914),
        (20_700_000, 207_000, 414_000),
    ],
)
def test_rounding_half_up(income, jkk, jht):
    q = quote(income, jht=True)
    assert (q.monthly.jkk, q.monthly.jht) == (jkk, jht)


def test_odd_discount_rounds_half_up():
    # JKK 10,001 + JKM 6,800 = 16,801; half is 8,400.5 -> 8,401 off.
    q = quote(1_000_100, start=date(2026, 5, 1))
    assert (q.monthly.discount, q.monthly.total) == (8_401, 8_400)


@pytest.mark.parametrize("period", [1, 3, 6, 12])
def test_allowed_periods(period):
    q = quote(period=period)
    assert len(q.months) == q.period_months == period
    assert q.period_total == period * 16_800


@pytest.mark.parametrize("period", [0, 2, 4, 24, -1, True])
def test_other_periods_are_refused(period):
    with pytest.raises(InvalidPeriod) as caught:
        quote(period=period)
    assert caught.value.code == "period"


@pytest.mark.parametrize("income, code", [(0, "not_positive"), (-1, "not_positive"), ("1000000", "not_number"),
                                          (1.5, "not_number")])
def test_quote_refuses_bad_income(income, code):
    with pytest.raises(InvalidIncome) as caught:
        quote(income)
    assert caught.value.code == code


def test_quote_metadata():
    q = quote(start=date(2026, 2, 17), period=3)
    assert q.start_month == date(2026, 2, 1)
    assert q.monthly is q.months[0]
    assert q.estimate is True            # max_income is unconfirmed
    assert q.rules_valid_from == date(2015, 7, 1)
    with pytest.raises(TypeError):
        q.per_program_period["JKK"] = 0   # read-only


def test_quote_defaults_to_real_rules():
    q = quote_bpu(1_000_000, jht=False, period_months=1, start=OUTSIDE_DISCOUNT, transport=False)
    assert q.period_total == 16_800


def test_round_rupiah_half_up():
    assert [round_rupiah(Decimal(x)) for x in ("0.5", "1.5", "2.5", "2.49")] == [1, 2, 3, 2]


# --- month by month: a period that straddles the end of a discount window ---------------------------------------
# Income 1.000.000, no JHT: JKK 1 % = 10.000, JKM 6.800 -> 16.800 a month; PP 50/2025 halves both -> 8.400.


def _runs(start, transport, months=3, payer="self"):
    quote = quote_bpu(1_000_000, jht=False, period_months=months, start=start, transport=transport, payer=payer)
    return quote, [(run.first, run.months, run.monthly, run.discount_name) for run in month_runs(quote)]


def test_a_trader_registering_on_15_december_2026_for_three_months():
    quote, runs = _runs(date(2026, 12, 15), transport=False)
    assert runs == [(date(2026, 12, 1), 1, 8_400, "PP 50/2025"), (date(2027, 1, 1), 2, 16_800, None)]
    assert quote.period_total == 8_400 + 2 * 16_800 == 42_000
    assert month_runs(quote)[0].ends_on == date(2026, 12, 31)
    assert quote.months[-1].regular == 16_800


def test_an_ojol_rider_registering_on_15_march_2027_for_three_months():
    quote, runs = _runs(date(2027, 3, 15), transport=True)
    assert runs == [(date(2027, 3, 1), 1, 8_400, "PP 50/2025"), (date(2027, 4, 1), 2, 16_800, None)]
    assert quote.period_total == 42_000
    assert month_runs(quote)[0].ends_on == date(2027, 3, 31)


def test_a_period_inside_one_window_is_one_run():
    quote, runs = _runs(date(2026, 5, 2), transport=False, months=6)
    assert runs == [(date(2026, 5, 1), 6, 8_400, "PP 50/2025")]
    assert quote.period_total == 6 * 8_400


def test_a_budget_paid_member_gets_no_discount_and_one_run():
    quote, runs = _runs(date(2026, 12, 15), transport=False, payer="APBD")
    assert runs == [(date(2026, 12, 1), 3, 16_800, None)]
    assert quote.period_total == 3 * 16_800


def test_a_discount_that_starts_inside_the_period_is_a_second_run():
    quote, runs = _runs(date(2026, 3, 10), transport=False)  # the non-transport window opens on 1 April 2026
    assert runs == [(date(2026, 3, 1), 1, 16_800, None), (date(2026, 4, 1), 2, 8_400, "PP 50/2025")]
