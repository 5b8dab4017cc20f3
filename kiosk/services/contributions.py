"""Load the dated rules table and quote BPU (self-employed) contributions.

Every figure comes from ``kiosk/rules.toml``; this module holds no rates.
Amounts are int rupiah, computed with Decimal and rounded half-up.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "rules.toml"
SECTORS = ("transport", "other")
_MAX_INCOME_TEXT = 40  # "Rp 1.000.000.000,00" is 19; longer is never a real figure
# Indonesian style: dots (or spaces) group thousands, a comma starts the
# decimals. Only a zero fraction (",00") or the ",-" suffix is accepted;
# "1,5" is refused rather than guessed.
_INCOME_RE = re.compile(
    r"(?P<sign>-)?\s?(?:(?:rp|idr)\.?\s?)?(?P<sign2>-)?\s?"
    r"(?P<num>[0-9]{1,3}(?P<sep>[. ])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)"
    r"(?:,(?:0{1,2}|-))?",
    re.IGNORECASE | re.ASCII,
)


class InvalidIncome(ValueError):
    """Raise when a declared income cannot be used; see ``code``."""

    CODES = ("empty", "not_number", "not_positive", "too_large")

    def __init__(self, code: str, detail: str = "") -> None:
        assert code in self.CODES, code
        self.code = code
        super().__init__(f"invalid income ({code})" + (f": {detail}" if detail else ""))


class InvalidPeriod(ValueError):
    """Raise when the payment period is not one the rules allow."""

    code = "period"

    def __init__(self, months: object, allowed: tuple[int, ...]) -> None:
        super().__init__(f"invalid payment period {months!r}; allowed: {list(allowed)}")


class RulesError(ValueError):
    """Raise when rules.toml is malformed or has no rule set for a day."""

    code = "rules"


def round_rupiah(amount: Decimal) -> int:
    """Round to whole rupiah, half-up.

    >>> round_rupiah(Decimal("10000.5"))
    10001
    """
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_start(day: date) -> date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """Return the first day of the month ``months`` after ``first``'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- rule sets ---------------------------------------------------------------


@dataclass(frozen=True)
class BpuRules:
    """Hold one dated BPU rule set."""

    valid_from: date
    min_income: int
    max_income: int
    jkk_rate: Decimal
    jkm_flat: int
    jht_rate: Decimal
    income_sanity_max: int
    periods: tuple[int, ...]
    payment_due_day: int
    inactive_after_unpaid_months: int
    unconfirmed: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BpuDiscount:
    """Hold one dated discount window (e.g. PP 50/2025) for one sector."""

    name: str
    programs: tuple[str, ...]
    percent: int
    sector: str
    valid_from: date
    valid_until: date
    excluded_payers: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    sources: tuple[str, ...]

    def covers(self, month: date, *, sector: str, payer: str) -> bool:
        """Tell whether the month starting ``month`` is discounted for this sector and payer.

        A month counts when its first day lies between the first day of
        ``valid_from``'s month and ``valid_until`` (both inclusive).
        """
        if sector != self.sector or payer.strip().upper() in self.excluded_payers:
            return False
        return month_start(self.valid_from) <= month_start(month) <= self.valid_until


@dataclass(frozen=True)
class RuleBook:
    """Hold every dated rule set loaded from rules.toml."""

    bpu: tuple[BpuRules, ...]
    bpu_discounts: tuple[BpuDiscount, ...]
    pu: tuple[Mapping[str, Any], ...] = ()
    pu_jp_wage_cap: tuple[Mapping[str, Any], ...] = ()

    def bpu_for(self, day: date) -> BpuRules:
        """Return the BPU rule set in force on ``day``."""
        in_force = [rules for rules in self.bpu if rules.valid_from <= day]
        if not in_force:
            raise RulesError(f"no BPU rule set in force on {day.isoformat()}")
        return in_force[-1]

    def bpu_discount_for(self, month: date, *, transport: bool, payer: str) -> BpuDiscount | None:
        """Return the largest discount covering ``month`` for this person, if any."""
        sector = "transport" if transport else "other"
        found = [d for d in self.bpu_discounts if d.covers(month, sector=sector, payer=payer)]
        return max(found, key=lambda d: d.percent, default=None)


def _strings(values: Any) -> tuple[str, ...]:
    """Return a tuple of strings from a TOML list (missing means empty)."""
    return tuple(str(v) for v in (values or ()))


def _require_ascending(kind: str, entries: list[Mapping[str, Any]]) -> None:
    """Fail unless the entries' valid_from dates are dates in strictly ascending order."""
    days = [entry.get("valid_from") for entry in entries]
    if not all(isinstance(d, date) for d in days):
        raise RulesError(f"rules.toml: every [[{kind}]] needs a valid_from date")
    if any(a >= b for a, b in zip(days, days[1:])):
        raise RulesError(f"rules.toml: [[{kind}]] valid_from dates must ascend")


def _bpu_rules(raw: Mapping[str, Any]) -> BpuRules:
    """Build one BPU rule set from its TOML table."""
    rules = BpuRules(
        valid_from=raw["valid_from"],
        min_income=int(raw["min_income"]),
        max_income=int(raw["max_income"]),
        jkk_rate=Decimal(raw["jkk_rate"]),
        jkm_flat=int(raw["jkm_flat"]),
        jht_rate=Decimal(raw["jht_rate"]),
        income_sanity_max=int(raw["income_sanity_max"]),
        periods=tuple(int(p) for p in raw["periods"]),
        payment_due_day=int(raw.get("payment_due_day", 15)),
        inactive_after_unpaid_months=int(raw.get("inactive_after_unpaid_months", 3)),
        unconfirmed=_strings(raw.get("unconfirmed")),
        sources=_strings(raw.get("sources")),
    )
    if not 0 < rules.min_income <= rules.max_income <= rules.income_sanity_max:
        raise RulesError(f"rules.toml: BPU incomes out of order from {rules.valid_from}")
    return rules


def _bpu_discount(raw: Mapping[str, Any]) -> BpuDiscount:
    """Build one discount window from its TOML table."""
    discount = BpuDiscount(
        name=str(raw["name"]),
        programs=_strings(raw["programs"]),
        percent=int(raw["percent"]),
        sector=str(raw["sector"]),
        valid_from=raw["valid_from"],
        valid_until=raw["valid_until"],
        excluded_payers=tuple(p.upper() for p in _strings(raw.get("excluded_payers"))),
        unconfirmed=_strings(raw.get("unconfirmed")),
        sources=_strings(raw.get("sources")),
    )
    if discount.sector not in SECTORS or not 0 < discount.percent <= 100:
        raise RulesError(f"rules.toml: bad sector or percent in discount {discount.name}")
    if not (isinstance(discount.valid_until, date) and discount.valid_from <= discount.valid_until):
        raise RulesError(f"rules.toml: discount {discount.name} ends before it starts")
    if not set(discount.programs) <= {"JKK", "JKM", "JHT"}:
        raise RulesError(f"rules.toml: unknown program in discount {discount.name}")
    return discount


def rulebook_from_dict(data: Mapping[str, Any]) -> RuleBook:
    """Build and check a RuleBook from parsed TOML data."""
    try:
        for kind in ("bpu", "pu", "pu_jp_wage_cap"):
            _require_ascending(kind, data.get(kind, []))
        if not data.get("bpu"):
            raise RulesError("rules.toml: at least one [[bpu]] rule set is required")
        return RuleBook(
            bpu=tuple(_bpu_rules(raw) for raw in data["bpu"]),
            bpu_discounts=tuple(_bpu_discount(raw) for raw in data.get("bpu_discount", [])),
            pu=tuple(MappingProxyType(dict(raw)) for raw in data.get("pu", [])),
            pu_jp_wage_cap=tuple(MappingProxyType(dict(raw)) for raw in data.get("pu_jp_wage_cap", [])),
        )
    except (KeyError, TypeError, ArithmeticError) as exc:
        # ArithmeticError covers decimal.InvalidOperation on a bad rate string.
        raise RulesError(f"rules.toml: missing or malformed value ({exc!r})") from exc


@functools.cache
def load_rules(path: Path | None = None) -> RuleBook:
    """Load and check rules.toml (default: the one next to the kiosk package), once."""
    with open(path or DEFAULT_RULES_PATH, "rb") as handle:
        return rulebook_from_dict(tomllib.load(handle))


# --- income ------------------------------------------------------------------


def parse_income(raw: str | None, rules: RuleBook, today: date) -> int:
    """Read a declared monthly income typed the Indonesian way; return int rupiah.

    >>> parse_income("Rp1.500.000,00", load_rules(), date(2026, 1, 1))
    1500000
    """
    text = " ".join((raw or "").split()).replace("\u2212", "-")
    if not text:
        raise InvalidIncome("empty")
    # Length check first keeps the regex and int() away from huge inputs.
    match = _INCOME_RE.fullmatch(text) if len(text) <= _MAX_INCOME_TEXT else None
    if match is None:
        raise InvalidIncome("not_number", "expected whole rupiah like 1.500.000")
    amount = int(match["num"].replace(".", "").replace(" ", ""))
    if match["sign"] or match["sign2"] or amount <= 0:
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
        discount=off, total=sum(amounts.values()) - off,
    )


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
