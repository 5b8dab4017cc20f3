"""Quote BPU (self-employed) contributions: the declared income, then what each month costs.

Every figure comes from the dated rules table (``kiosk.services.rules``); this module holds no rates.
Amounts are int rupiah, computed with Decimal and rounded half-up. PU (wage earner) quotes live in
``wage_contributions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from kiosk.services.errors import DomainError
from kiosk.services.rules import (
    BpuDiscount,
    BpuRules,
    RuleBook,
    add_months,
    load_rules,
    month_start,
    round_rupiah,
)
from kiosk.services.rupiah import NotRupiah, read_rupiah

# Who pays a self-employed member's contribution: the member, or a regency's (APBD) or the national (APBN) budget.
PAYERS = ("self", "APBD", "APBN")


class InvalidIncome(DomainError):
    """Raise when a declared income cannot be used; see ``code``."""

    CODES = ("empty", "not_number", "not_positive", "too_large")
    what = "invalid income"


class InvalidPeriod(ValueError):
    """Raise when the payment period is not one the rules allow."""

    code = "period"

    def __init__(self, months: object, allowed: tuple[int, ...]) -> None:
        super().__init__(f"invalid payment period {months!r}; allowed: {list(allowed)}")


# --- income ------------------------------------------------------------------


def parse_income(raw: str | None, rules: RuleBook, today: date) -> int:
    """Read a declared monthly income typed the Indonesian way; return int rupiah.

    >>> parse_income("Rp1.500.000,00", load_rules(), date(2026, 1, 1))
    1500000
    """
    try:
        read = read_rupiah(raw, units=True)  # the same reading as a worker's wage: "1,5 juta" too
    except NotRupiah as exc:
        raise InvalidIncome(exc.code, "expected whole rupiah like 1.500.000") from None
    if read.value != read.value.to_integral_value():
        raise InvalidIncome("not_number", "not a whole rupiah amount")
    amount = int(read.value)
    if read.negative or amount <= 0:
        raise InvalidIncome("not_positive")
    limit = rules.bpu_for(today).income_sanity_max
    if amount > limit:
        raise InvalidIncome("too_large", f"above the sanity limit {limit}")
    return amount


# --- quotes ------------------------------------------------------------------


@dataclass(frozen=True)
class MonthLine:
    """Hold the contribution for one calendar month, in int rupiah."""

    month: date  # first of the month
    jkk: int
    jkm: int
    jht: int
    discount: int
    total: int
    discount_name: str | None = None

    @property
    def regular(self) -> int:
        """The month's amount without any discount."""
        return self.total + self.discount


@dataclass(frozen=True)
class MonthRun:
    """Consecutive months of a quote that cost the same (one line of the month-by-month view)."""

    first: date  # first of its first month
    last: date  # first of its last month
    months: int
    monthly: int  # what each of these months costs
    discount: int  # off each month
    discount_name: str | None

    @property
    def ends_on(self) -> date:
        """The last day of its last month."""
        return add_months(self.last, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Quote:
    """Hold a BPU contribution estimate for one payment period."""

    declared_income: int
    base_income: int
    raised_to_minimum: bool
    capped: bool
    jht: bool
    period_months: int
    start_month: date
    monthly: MonthLine
    months: tuple[MonthLine, ...]
    period_total: int
    per_program_period: Mapping[str, int]
    discount_name: str | None

    @property
    def ends_on(self) -> date:
        """The last day of its last month."""
        return add_months(self.last, 1) - timedelta(days=1)
    estimate: bool
    rules_valid_from: date


def _month_line(month: date, base: int, rules: BpuRules, jht: bool, discount: BpuDiscount | None) -> MonthLine:
    """Compute one month's contributions, applying the discount to its programs only."""
    amounts = {
        "JKK": round_rupiah(base * rules.jkk_rate),
        "JKM": rules.jkm_flat,
        "JHT": round_rupiah(base * rules.jht_rate) if jht else 0,
    }
    off = 0
    if discount is not None:
        discounted = sum(amounts[program] for program in discount.programs)
        off = round_rupiah(Decimal(discounted) * discount.percent / 100)
    return MonthLine(
        month=month, jkk=amounts["JKK"], jkm=amounts["JKM"], jht=amounts["JHT"],
        discount=off, total=sum(amounts.values()) - off, discount_name=discount.name if discount else None,
    )


def month_runs(quote: Quote) -> tuple[MonthRun, ...]:
    """The period as runs of months that cost the same: one run when nothing changes, more when a discount
    ends or starts inside the period.

    >>> q = quote_bpu(1_000_000, jht=False, period_months=3, start=date(2026, 12, 15), transport=False)
    >>> [(run.first.month, run.months, run.monthly) for run in month_runs(q)]
    [(12, 1, 8400), (1, 2, 16800)]
    """
    runs: list[MonthRun] = []
    for line in quote.months:
        previous = runs[-1] if runs else None
        if previous and previous.monthly == line.total and previous.discount_name == line.discount_name:
            runs[-1] = MonthRun(previous.first, line.month, previous.months + 1, previous.monthly, previous.discount,
                                previous.discount_name)
        else:
            runs.append(MonthRun(line.month, line.month, 1, line.total, line.discount, line.discount_name))
    return tuple(runs)


def _check_income(income: int) -> None:
    """Reject a non-integer or non-positive income passed in by code."""
    if isinstance(income, bool) or not isinstance(income, int):
        raise InvalidIncome("not_number", f"income must be int rupiah, got {type(income).__name__}")
    if income <= 0:
        raise InvalidIncome("not_positive")


def quote_bpu(
    income: int,
    *,
    jht: bool,
    period_months: int,
    start: date,
    transport: bool,
    payer: str = "self",
    rules: RuleBook | None = None,
) -> Quote:
    """Quote JKK+JKM (+JHT) for ``period_months`` months starting at ``start``'s month.

    The rule set in force in the first month applies to the whole period
    (it is paid up front); discounts are checked month by month.

    >>> q = quote_bpu(1_000_000, jht=False, period_months=1, start=date(2025, 1, 1), transport=False)
    >>> q.period_total
    16800
    """
    _check_income(income)
    book = rules or load_rules()
    first = month_start(start)
    bpu = book.bpu_for(first)
    if isinstance(period_months, bool) or period_months not in bpu.periods:
        raise InvalidPeriod(period_months, bpu.periods)
    base = min(max(income, bpu.min_income), bpu.max_income)

    lines, used = [], []
    for offset in range(period_months):
        month = add_months(first, offset)
        discount = book.bpu_discount_for(month, transport=transport, payer=payer)
        used.append(discount)
        lines.append(_month_line(month, base, bpu, jht, discount))
    applied = [d for d in used if d is not None]
    totals = {
        "JKK": sum(line.jkk for line in lines),
        "JKM": sum(line.jkm for line in lines),
        "JHT": sum(line.jht for line in lines),
        "discount": sum(line.discount for line in lines),
    }
    return Quote(
        declared_income=income,
        base_income=base,
        raised_to_minimum=income < bpu.min_income,
        capped=income > bpu.max_income,
        jht=jht,
        period_months=period_months,
        start_month=first,
        monthly=lines[0],
        months=tuple(lines),
        period_total=sum(line.total for line in lines),
        per_program_period=MappingProxyType(totals),
        discount_name=applied[0].name if applied else None,
        estimate=bool(bpu.unconfirmed) or any(d.unconfirmed for d in applied),
        rules_valid_from=bpu.valid_from,
    )
