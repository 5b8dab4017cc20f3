"""Tests for kiosk.services.wage_contributions and the PU entries of rules.toml (domain.md section 3).

Expected figures are worked out by hand in the comments: rate x wage, each share rounded half-up to
whole rupiah, totals the sum of the rounded shares.
"""

import copy
import dataclasses
import tomllib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.services.rules import DEFAULT_RULES_PATH, RulesError, load_rules, rulebook_from_dict
from kiosk.services.wage_contributions import (
    RISK_GROUPS,
    SCALES,
    BusinessQuote,
    InvalidWage,
    ProgramShare,
    parse_wage,
    programs_for,
    quote_business,
    quote_worker,
)

RULES = load_rules()
D2024 = date(2024, 6, 1)   # JP cap Rp 10,042,300 (confirmed)
D2025 = date(2025, 6, 1)   # JP cap Rp 10,547,400 (UNCONFIRMED)
PU_2025 = RULES.pu_for(D2025)


def quote(wage=2_500_000, *, scale="mikro", risk=1, day=D2024, rules=RULES):
    """Quote one worker with handy defaults."""
    return quote_worker(wage, scale=scale, risk_group=risk, day=day, rules=rules)


def money(q):
    """Return (employer, worker, total) of a quote."""
    return q.employer, q.worker, q.total


def by_program(q):
    """Return {program: (employer share, worker share)}."""
    return {line.program: (line.employer, line.worker) for line in q.lines}


def real_rules_data():
    """Return a fresh copy of the parsed rules.toml, to add dated entries to."""
    with open(DEFAULT_RULES_PATH, "rb") as handle:
        return copy.deepcopy(tomllib.load(handle))


# --- rules.toml -----------------------------------------------------------------------------------


def test_real_pu_rules_match_domain_brief():
    pu = RULES.pu_for(D2024)
    assert pu.jkk_risk_rates == tuple(Decimal(x) for x in ("0.0024", "0.0054", "0.0089", "0.0127", "0.0174"))
    assert (pu.jkm_rate, pu.jht_employer_rate, pu.jht_worker_rate) == (Decimal("0.003"), Decimal("0.037"),
                                                                        Decimal("0.02"))
    assert (pu.jp_employer_rate, pu.jp_worker_rate) == (Decimal("0.02"), Decimal("0.01"))
    assert dict(pu.programs) == {
        "mikro": ("JKK", "JKM"), "kecil": ("JKK", "JKM", "JHT"), "menengah": ("JKK", "JKM", "JHT", "JP"),
    }
    assert SCALES == ("mikro", "kecil", "menengah") and RISK_GROUPS == (1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    "day, cap, unconfirmed",
    [
        (date(2024, 3, 1), 10_042_300, False),
        (date(2025, 2, 28), 10_042_300, False),
        (date(2025, 3, 1), 10_547_400, True),
        (date(2026, 6, 1), 10_547_400, True),   # the 2026 cap is unknown: the 2025 one, still an estimate
    ],
)
def test_jp_cap_in_force_is_picked_by_its_own_date(day, cap, unconfirmed):
    pu = RULES.pu_for(day)
    assert pu.jp_wage_cap == cap
    assert ("jp_wage_cap" in pu.unconfirmed) is unconfirmed
    assert pu.valid_from == date(2015, 7, 1)   # the rates entry is older than both caps


def test_no_pu_rules_before_the_first_jp_cap():
    with pytest.raises(RulesError):
        RULES.pu_for(date(2024, 2, 29))


def test_wage_sanity_max_reuses_the_bpu_limit_unless_pu_sets_one():
    assert PU_2025.wage_sanity_max == RULES.bpu_for(D2025).income_sanity_max == 1_000_000_000
    data = real_rules_data()
    data["pu"].append(dict(data["pu"][0], valid_from=date(2027, 1, 1), wage_sanity_max=500_000_000))
    book = rulebook_from_dict(data)
    assert book.pu_for(date(2026, 12, 31)).wage_sanity_max == 1_000_000_000
    assert book.pu_for(date(2027, 1, 1)).wage_sanity_max == 500_000_000


def test_old_raw_pu_tables_are_still_exposed():
    assert RULES.pu[0]["jkm_rate"] == "0.003"
    assert [cap["amount"] for cap in RULES.pu_jp_wage_cap] == [10_042_300, 10_547_400]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["pu"][0].update(jkk_risk_rates=["0.0024", "0.0054", "0.0089", "0.0127"]),
        lambda d: d["pu"][0].update(jkm_rate="0,3%"),
        lambda d: d["pu"][0].update(jht_worker_rate="2"),          # 200 %, a percent typed as a fraction
        lambda d: d["pu"][0].update(jp_worker_rate="-0.01"),
        lambda d: d["pu"][0].update(jkm_rate="NaN"),
        lambda d: d["pu"][0].pop("jp_employer_rate"),
        lambda d: d["pu"][0].pop("programs_small"),
        lambda d: d["pu"][0].update(programs_micro=["JKK"]),
        lambda d: d["pu"][0].update(programs_medium=["JKK", "JKM", "JHT", "JP", "JKP"]),
        lambda d: d["pu"][0].update(wage_sanity_max=0),
        lambda d: d["pu_jp_wage_cap"][1].update(amount=0),
        lambda d: d["pu_jp_wage_cap"][1].update(amount="10547400"),
        lambda d: d["pu_jp_wage_cap"][1].update(valid_from=date(2024, 1, 1)),   # out of order
    ],
)
def test_broken_pu_rules_are_refused(breakage):
    data = real_rules_data()
    breakage(data)
    with pytest.raises(RulesError):
        rulebook_from_dict(data)


# --- parse_wage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, amount",
    [
        ("2500000", 2_500_000),
        ("2.500.000", 2_500_000),
        ("Rp 2.500.000", 2_500_000),
        ("Rp2.500.000,00", 2_500_000),
        ("Rp. 2.500.000,-", 2_500_000),
        ("IDR 2500000", 2_500_000),
        ("2 500 000", 2_500_000),
        ("  2\u00a0500\u00a0000 ", 2_500_000),
        ("Rp 2,5 juta", 2_500_000),
        ("2,5jt", 2_500_000),
        ("3 juta", 3_000_000),
        ("1,25 Juta", 1_250_000),
        ("750 ribu", 750_000),
        ("750rb", 750_000),
        ("1", 1),
        ("1.000.000.000", 1_000_000_000),   # exactly the sanity limit
    ],
)
def test_parse_wage_accepts(raw, amount):
    assert parse_wage(raw, PU_2025) == amount


@pytest.mark.parametrize(
    "raw, code",
    [
        (None, "empty"),
        ("", "empty"),
        (" \t ", "empty"),
        ("0", "too_low"),
        ("0 juta", "too_low"),
        ("-2.500.000", "too_low"),
        ("Rp -5", "too_low"),
        ("\u22121.000.000", "too_low"),
        ("abc", "not_number"),
        ("2,5", "not_number"),            # no unit: a decimal comma is not guessed
        ("2.5", "not_number"),
        ("2.5 juta", "not_number"),       # a dot groups thousands in Indonesian
        ("2,500,000", "not_number"),
        ("2.500.000,50", "not_number"),   # no sen
        ("1,2345675 juta", "not_number"),
        ("1,0000005 juta", "not_number"),
        ("2500000.0", "not_number"),
        ("2.5e6", "not_number"),
        ("=2500000", "not_number"),
        ("２５０００００", "not_number"),
        ("\u0662\u0665\u0660\u0660\u0660\u0660\u0660", "not_number"),
        ("2500000\x00", "not_number"),
        ("9" * 100_000, "not_number"),
        ("1.000.000.001", "too_high"),
        ("2 juta juta", "not_number"),
        ("1001 juta", "too_high"),
    ],
)
def test_parse_wage_refuses(raw, code):
    with pytest.raises(InvalidWage) as caught:
        parse_wage(raw, PU_2025)
    assert caught.value.code == code


def test_parse_wage_is_exact_never_a_float():
    # float(1.1) * 1e6 is 1100000.0000000002; 2**53 + 1 is the first integer a float cannot hold
    assert parse_wage("1,1 juta", PU_2025) == 1_100_000
    roomy = dataclasses.replace(PU_2025, wage_sanity_max=10**16)
    assert parse_wage("9.007.199.254.740.993", roomy) == 2**53 + 1


# --- quote_worker: hand-computed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "scale, risk, lines, employer, worker",
    [
        # mikro = JKK + JKM, all employer. Wage 2,500,000:
        #   JKK 0.24% = 6,000;  0.89% = 22,250;  1.74% = 43,500.  JKM 0.30% = 7,500.
        ("mikro", 1, {"JKK": (6_000, 0), "JKM": (7_500, 0)}, 13_500, 0),
        ("mikro", 3, {"JKK": (22_250, 0), "JKM": (7_500, 0)}, 29_750, 0),
        ("mikro", 5, {"JKK": (43_500, 0), "JKM": (7_500, 0)}, 51_000, 0),
        # kecil adds JHT: 3.7% employer = 92,500; 2% worker = 50,000.
        #   JKK 0.24% = 6,000 -> employer 6,000 + 7,500 + 92,500 = 106,000
        ("kecil", 1, {"JKK": (6_000, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000)}, 106_000, 50_000),
        #   JKK 0.54% = 13,500 -> 13,500 + 7,500 + 92,500 = 113,500
        ("kecil", 2, {"JKK": (13_500, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000)}, 113_500, 50_000),
        #   JKK 1.27% = 31,750 -> 31,750 + 7,500 + 92,500 = 131,750
        ("kecil", 4, {"JKK": (31_750, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000)}, 131_750, 50_000),
        # menengah adds JP on the whole wage (under the cap): 2% = 50,000 employer, 1% = 25,000 worker.
        #   6,000 + 7,500 + 92,500 + 50,000 = 156,000; worker 50,000 + 25,000 = 75,000
        ("menengah", 1, {"JKK": (6_000, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000), "JP": (50_000, 25_000)},
         156_000, 75_000),
        #   22,250 + 7,500 + 92,500 + 50,000 = 172,250
        ("menengah", 3, {"JKK": (22_250, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000), "JP": (50_000, 25_000)},
         172_250, 75_000),
        #   43,500 + 7,500 + 92,500 + 50,000 = 193,500
        ("menengah", 5, {"JKK": (43_500, 0), "JKM": (7_500, 0), "JHT": (92_500, 50_000), "JP": (50_000, 25_000)},
         193_500, 75_000),
    ],
)
def test_each_scale_and_risk_group(scale, risk, lines, employer, worker):
    q = quote(2_500_000, scale=scale, risk=risk)
    assert by_program(q) == lines
    assert [line.program for line in q.lines] == list(lines)   # JKK, JKM, JHT, JP in that order
    assert money(q) == (employer, worker, employer + worker)
    assert not q.jp_capped
    assert (q.wage, q.scale, q.risk_group) == (2_500_000, scale, risk)


def test_jkp_is_never_charged():
    q = quote(scale="menengah", risk=5)
    assert "JKP" not in by_program(q)


def test_wage_above_jp_cap_2024():
    # Wage 15,000,000, menengah, risk group 2, cap 10,042,300 (from Mar 2024):
    #   JKK 0.54% x 15,000,000 = 81,000; JKM 0.30% = 45,000; JHT 3.7% = 555,000 / 2% = 300,000
    #   JP on 10,042,300: 2% = 200,846 / 1% = 100,423
    #   employer 81,000 + 45,000 + 555,000 + 200,846 = 881,846; worker 300,000 + 100,423 = 400,423
    q = quote(15_000_000, scale="menengah", risk=2, day=D2024)
    jp = q.lines[-1]
    assert (jp.program, jp.base, jp.employer, jp.worker) == ("JP", 10_042_300, 200_846, 100_423)
    assert all(line.base == 15_000_000 for line in q.lines[:-1])
    assert money(q) == (881_846, 400_423, 1_282_269)
    assert q.jp_capped and q.jp_wage_cap == 10_042_300
    assert not q.estimated and q.unconfirmed == ()


def test_wage_above_jp_cap_2025_is_an_estimate():
    # Same worker, cap 10,547,400 (from Mar 2025, unconfirmed):
    #   JP 2% = 210,948 / 1% = 105,474
    #   employer 81,000 + 45,000 + 555,000 + 210,948 = 891,948; worker 300,000 + 105,474 = 405,474
    q = quote(15_000_000, scale="menengah", risk=2, day=D2025)
    assert by_program(q)["JP"] == (210_948, 105_474)
    assert money(q) == (891_948, 405_474, 1_297_422)
    assert q.jp_capped and q.estimated and q.unconfirmed == ("jp_wage_cap",)


@pytest.mark.parametrize(
    "day, jp",
    [
        (date(2025, 2, 28), (200_846, 100_423)),   # cap 10,042,300
        (date(2025, 3, 1), (210_948, 105_474)),    # cap 10,547,400
    ],
)
def test_quote_on_each_side_of_the_march_cap_change(day, jp):
    assert by_program(quote(15_000_000, scale="menengah", day=day))["JP"] == jp


def test_wage_exactly_at_the_cap_is_not_capped():
    q = quote(10_042_300, scale="menengah", day=D2024)
    # 2% x 10,042,300 = 200,846; 1% = 100,423
    assert by_program(q)["JP"] == (200_846, 100_423) and not q.jp_capped


def test_scales_without_jp_are_never_capped_nor_estimated():
    # kecil, risk 2, wage 15,000,000: 81,000 + 45,000 + 555,000 = 681,000 employer; 300,000 worker
    q = quote(15_000_000, scale="kecil", risk=2, day=D2025)
    assert money(q) == (681_000, 300_000, 981_000)
    assert not q.jp_capped and not q.estimated


def test_a_menengah_quote_under_the_cap_is_still_an_estimate_while_the_cap_is_unconfirmed():
    # The real cap could be lower than the wage, so any JP figure depends on it.
    assert quote(2_500_000, scale="menengah", day=D2025).estimated
    assert not quote(2_500_000, scale="menengah", day=D2024).estimated


@pytest.mark.parametrize(
    "wage, scale, risk, lines, employer, worker",
    [
        # JKK 1.27% x 1,234,567 = 15,678.9009 -> 15,679; JKM 0.30% = 3,703.701 -> 3,704
        (1_234_567, "mikro", 4, {"JKK": (15_679, 0), "JKM": (3_704, 0)}, 19_383, 0),
        # JKK 0.24% x 1,500,500 = 3,601.2 -> 3,601; JKM 0.30% = 4,501.5 -> 4,502 (half up)
        (1_500_500, "mikro", 1, {"JKK": (3_601, 0), "JKM": (4_502, 0)}, 8_103, 0),
        # JKK 0.24% x 1,000,625 = 2,401.5 -> 2,402; JKM 0.30% = 3,001.875 -> 3,002.
        # Total 5,404 = the rounded lines, although the unrounded sum 5,403.375 would round to 5,403.
        (1_000_625, "mikro", 1, {"JKK": (2_402, 0), "JKM": (3_002, 0)}, 5_404, 0),
        # wage 1,000,050, menengah, risk 1:
        #   JKK 2,400.12 -> 2,400; JKM 3,000.15 -> 3,000; JHT 37,001.85 -> 37,002 / 20,001
        #   JP 20,001 / 10,000.5 -> 10,001
        (1_000_050, "menengah", 1,
         {"JKK": (2_400, 0), "JKM": (3_000, 0), "JHT": (37_002, 20_001), "JP": (20_001, 10_001)}, 62_403, 30_002),
    ],
)
def test_each_share_rounds_half_up_and_totals_add_the_rounded_lines(wage, scale, risk, lines, employer, worker):
    q = quote(wage, scale=scale, risk=risk)
    assert by_program(q) == lines
    assert money(q) == (employer, worker, employer + worker)


# --- quote_business -------------------------------------------------------------------------------


def test_business_totals_add_up_every_worker():
    # kecil, risk 1, 2025:
    #   2,500,000:  6,000 +  7,500 +  92,500 = 106,000 employer;  50,000 worker
    #   3,000,000:  7,200 +  9,000 + 111,000 = 127,200 employer;  60,000 worker
    #  15,000,000: 36,000 + 45,000 + 555,000 = 636,000 employer; 300,000 worker
    #   employer 869,200; worker 410,000; total 1,279,200
    q = quote_business([2_500_000, 3_000_000, 15_000_000], scale="kecil", risk_group=1, day=D2025, rules=RULES)
    assert [(w.employer, w.worker) for w in q.workers] == [(106_000, 50_000), (127_200, 60_000), (636_000, 300_000)]
    assert (q.employer, q.worker, q.total) == (869_200, 410_000, 1_279_200)
    assert not q.estimated and q.unconfirmed == ()


def test_business_with_jp_in_2025_is_an_estimate():
    # menengah, risk 3, 2025: 2,500,000 -> 247,250 (172,250 + 75,000);
    # 15,000,000 -> JKK 133,500 + JKM 45,000 + JHT 555,000 + JP 210,948 = 944,448 employer,
    #               300,000 + 105,474 = 405,474 worker
    q = quote_business([2_500_000, 15_000_000], scale="menengah", risk_group=3, day=D2025, rules=RULES)
    assert [w.total for w in q.workers] == [247_250, 944_448 + 405_474]
    assert (q.employer, q.worker) == (172_250 + 944_448, 75_000 + 405_474)
    assert q.estimated and q.unconfirmed == ("jp_wage_cap",)


def test_empty_business_costs_nothing():
    q = quote_business([], scale="mikro", risk_group=1, day=D2025, rules=RULES)
    assert q == BusinessQuote(workers=(), employer=0, worker=0, total=0, estimated=False)


def test_a_later_rate_set_and_cap_apply_from_their_own_dates():
    data = real_rules_data()
    data["pu_jp_wage_cap"].append({"valid_from": date(2026, 3, 1), "amount": 11_000_000, "unconfirmed": []})
    data["pu"].append(dict(data["pu"][0], valid_from=date(2027, 1, 1), jkm_rate="0.004"))
    book = rulebook_from_dict(data)
    # 15,000,000, menengah, risk 1: JP on 10,547,400 = 210,948 before March 2026, on 11,000,000 = 220,000 after
    before = quote(15_000_000, scale="menengah", day=date(2026, 2, 28), rules=book)
    after = quote(15_000_000, scale="menengah", day=date(2026, 3, 1), rules=book)
    assert by_program(before)["JP"] == (210_948, 105_474) and before.estimated
    assert by_program(after)["JP"] == (220_000, 110_000) and not after.estimated
    # JKM 0.30% of 15,000,000 = 45,000 until 2026; 0.40% = 60,000 from 2027
    assert by_program(after)["JKM"] == (45_000, 0)
    assert by_program(quote(15_000_000, day=date(2027, 1, 1), rules=book))["JKM"] == (60_000, 0)


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["besar", "Mikro", "", None, 1])
def test_unknown_scale(scale):
    with pytest.raises(ValueError):
        programs_for(scale, PU_2025)
    with pytest.raises(ValueError):
        quote(scale=scale)
    with pytest.raises(ValueError):
        quote_business([], scale=scale, risk_group=1, day=D2025, rules=RULES)


@pytest.mark.parametrize("risk", [0, 6, -1, True, "1", 1.0])
def test_unknown_risk_group(risk):
    with pytest.raises(ValueError):
        quote(risk=risk)


@pytest.mark.parametrize(
    "wage, code",
    [(0, "too_low"), (-1, "too_low"), ("2500000", "not_number"), (2.5e6, "not_number"), (True, "not_number"),
     (1_000_000_001, "too_high")],
)
def test_quote_refuses_bad_wage(wage, code):
    with pytest.raises(InvalidWage) as caught:
        quote(wage)
    assert caught.value.code == code


def test_quote_defaults_to_the_real_rules():
    assert quote_worker(2_500_000, scale="mikro", risk_group=1, day=D2024).total == 13_500


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(
    wages=st.lists(st.integers(1, 1_000_000_000), max_size=6),
    scale=st.sampled_from(SCALES),
    risk=st.sampled_from(RISK_GROUPS),
    day=st.dates(date(2024, 3, 1), date(2030, 12, 31)),
)
def test_totals_always_equal_the_sum_of_the_lines(wages, scale, risk, day):
    q = quote_business(wages, scale=scale, risk_group=risk, day=day, rules=RULES)
    cap = RULES.pu_for(day).jp_wage_cap
    for wage, w in zip(wages, q.workers, strict=True):
        assert w.employer == sum(line.employer for line in w.lines)
        assert w.worker == sum(line.worker for line in w.lines)
        assert w.total == w.employer + w.worker == sum(line.total for line in w.lines)
        assert all(isinstance(line, ProgramShare) and line.employer >= 0 and line.worker >= 0 for line in w.lines)
        assert all(line.base == (min(wage, cap) if line.program == "JP" else wage) for line in w.lines)
        assert w.jp_capped == (scale == "menengah" and wage > cap)
    assert q.employer == sum(w.employer for w in q.workers)
    assert q.worker == sum(w.worker for w in q.workers)
    assert q.total == q.employer + q.worker
    assert q.estimated == any(w.estimated for w in q.workers)


@settings(max_examples=500, deadline=None, database=None)
@given(raw=st.one_of(st.text(), st.text("0123456789.,- RpjutaJUTrb\u00a0\u2212", max_size=30)))
def test_parse_wage_returns_a_bounded_whole_amount_or_refuses(raw):
    try:
        amount = parse_wage(raw, PU_2025)
    except InvalidWage as refused:
        assert refused.code in InvalidWage.CODES
    else:
        assert type(amount) is int and 0 < amount <= PU_2025.wage_sanity_max


@settings(max_examples=300, deadline=None, database=None)
@given(amount=st.integers(1, 1_000_000_000), style=st.sampled_from(["plain", "dots", "rp", "comma00", "dash", "juta"]))
def test_parse_wage_reads_back_amounts_written_the_indonesian_way(amount, style):
    grouped = f"{amount:,}".replace(",", ".")
    if style == "juta":
        whole, rest = divmod(amount, 1_000_000)
        text = f"{whole},{rest:06d} juta" if rest else f"{whole} juta"
    else:
        text = {"plain": str(amount), "dots": grouped, "rp": "Rp " + grouped, "comma00": grouped + ",00",
                "dash": "Rp" + grouped + ",-"}[style]
    assert parse_wage(text, PU_2025) == amount
