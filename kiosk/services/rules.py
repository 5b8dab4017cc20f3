"""The dated rules table (rules.toml, next to this module): every rate, cap and period the contribution quotes
use, each rule set valid from a date, checked once when loaded. Figures that regulations change live there, never
in code; a figure not yet confirmed is listed under ``unconfirmed`` and shown as "estimasi".
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "rules.toml"
SECTORS = ("transport", "other")
# PU firm sizes and the rules.toml key holding each one's minimum programs
# (Perpres 109/2013 Art. 6).
PU_PROGRAM_KEYS = {"mikro": "programs_micro", "kecil": "programs_small", "menengah": "programs_medium"}
PU_PROGRAMS = ("JKK", "JKM", "JHT", "JP")
PU_RISK_GROUP_COUNT = 5


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
    # A typed income below this is shown back and must be confirmed ("1.000" is more often a slip than a fact).
    income_confirm_below: int = 0
    # Who may register as a self-employed member, by age in full years (0: no bound).
    min_age: int = 0
    max_age: int = 0


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
class PuRateSet:
    """Hold one dated [[pu]] entry: PU rates and minimum programs (no JP cap)."""

    valid_from: date
    jkk_risk_rates: tuple[Decimal, ...]
    jkm_rate: Decimal
    jht_employer_rate: Decimal
    jht_worker_rate: Decimal
    jp_employer_rate: Decimal
    jp_worker_rate: Decimal
    programs: Mapping[str, tuple[str, ...]]
    wage_sanity_max: int | None
    unconfirmed: tuple[str, ...]
    sources: tuple[str, ...]
    min_age: int = 0  # the youngest a worker may be registered (0: no bound)


@dataclass(frozen=True)
class JpWageCap:
    """Hold one dated JP wage cap (adjusted every March)."""

    valid_from: date
    amount: int
    unconfirmed: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PuRules:
    """Hold the PU rules in force on one day: the [[pu]] rates plus the JP cap of that day.

    ``unconfirmed`` names the keys not checked against the regulation text;
    an unconfirmed JP cap shows up as ``jp_wage_cap``.
    """

    valid_from: date
    jkk_risk_rates: tuple[Decimal, ...]
    jkm_rate: Decimal
    jht_employer_rate: Decimal
    jht_worker_rate: Decimal
    jp_employer_rate: Decimal
    jp_worker_rate: Decimal
    programs: Mapping[str, tuple[str, ...]]
    jp_wage_cap: int
    unconfirmed: tuple[str, ...]
    jp_wage_cap_from: date
    wage_sanity_max: int
    sources: tuple[str, ...] = ()
    min_age: int = 0


@dataclass(frozen=True)
class RuleBook:
    """Hold every dated rule set loaded from rules.toml."""

    bpu: tuple[BpuRules, ...]
    bpu_discounts: tuple[BpuDiscount, ...]
    pu: tuple[Mapping[str, Any], ...] = ()   # the raw [[pu]] tables, as written
    pu_jp_wage_cap: tuple[Mapping[str, Any], ...] = ()
    pu_rate_sets: tuple[PuRateSet, ...] = ()   # the same, checked and typed
    jp_wage_caps: tuple[JpWageCap, ...] = ()

    def bpu_for(self, day: date) -> BpuRules:
        """Return the BPU rule set in force on ``day``."""
        in_force = [rules for rules in self.bpu if rules.valid_from <= day]
        if not in_force:
            raise RulesError(f"no BPU rule set in force on {day.isoformat()}")
        return in_force[-1]

    def pu_for(self, day: date) -> PuRules:
        """Return the PU rules in force on ``day``; the JP cap is picked by its own valid_from.

        Without a ``wage_sanity_max`` in the [[pu]] entry, the BPU
        ``income_sanity_max`` of that day bounds a typed wage as well.
        """
        rates = [entry for entry in self.pu_rate_sets if entry.valid_from <= day]
        caps = [cap for cap in self.jp_wage_caps if cap.valid_from <= day]
        if not rates:
            raise RulesError(f"no PU rule set in force on {day.isoformat()}")
        if not caps:
            raise RulesError(f"no JP wage cap in force on {day.isoformat()}")
        pu, cap = rates[-1], caps[-1]
        sanity_max = pu.wage_sanity_max or self.bpu_for(day).income_sanity_max
        return PuRules(
            valid_from=pu.valid_from,
            jkk_risk_rates=pu.jkk_risk_rates,
            jkm_rate=pu.jkm_rate,
            jht_employer_rate=pu.jht_employer_rate,
            jht_worker_rate=pu.jht_worker_rate,
            jp_employer_rate=pu.jp_employer_rate,
            jp_worker_rate=pu.jp_worker_rate,
            programs=pu.programs,
            jp_wage_cap=cap.amount,
            unconfirmed=pu.unconfirmed + (("jp_wage_cap",) if cap.unconfirmed else ()),
            jp_wage_cap_from=cap.valid_from,
            wage_sanity_max=sanity_max,
            sources=pu.sources + cap.sources,
            min_age=pu.min_age,
        )

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
        income_confirm_below=int(raw.get("income_confirm_below", 0)),
        min_age=int(raw.get("min_age", 0)),
        max_age=int(raw.get("max_age", 0)),
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


def _rate(raw: Any, key: str) -> Decimal:
    """Read a rate string as an exact Decimal in [0, 1)."""
    rate = Decimal(str(raw))
    if not (rate.is_finite() and 0 <= rate < 1):
        raise RulesError(f"rules.toml: {key} must be a fraction between 0 and 1, not {raw!r}")
    return rate


def _pu_rate_set(raw: Mapping[str, Any]) -> PuRateSet:
    """Build one PU rate set from its TOML table."""
    risk_rates = tuple(_rate(r, "jkk_risk_rates") for r in raw["jkk_risk_rates"])
    if len(risk_rates) != PU_RISK_GROUP_COUNT:
        raise RulesError(f"rules.toml: [[pu]] needs {PU_RISK_GROUP_COUNT} JKK risk rates")
    programs = {scale: _strings(raw[key]) for scale, key in PU_PROGRAM_KEYS.items()}
    for scale, chosen in programs.items():
        # Every PU is covered for accidents and death; unknown names would never be charged.
        if not {"JKK", "JKM"} <= set(chosen) <= set(PU_PROGRAMS):
            raise RulesError(f"rules.toml: bad programs for {scale} in [[pu]] from {raw['valid_from']}")
    sanity_max = raw.get("wage_sanity_max")
    if sanity_max is not None and (isinstance(sanity_max, bool) or not isinstance(sanity_max, int) or sanity_max <= 0):
        raise RulesError("rules.toml: wage_sanity_max must be a positive whole rupiah amount")
    return PuRateSet(
        valid_from=raw["valid_from"],
        jkk_risk_rates=risk_rates,
        jkm_rate=_rate(raw["jkm_rate"], "jkm_rate"),
        jht_employer_rate=_rate(raw["jht_employer_rate"], "jht_employer_rate"),
        jht_worker_rate=_rate(raw["jht_worker_rate"], "jht_worker_rate"),
        jp_employer_rate=_rate(raw["jp_employer_rate"], "jp_employer_rate"),
        jp_worker_rate=_rate(raw["jp_worker_rate"], "jp_worker_rate"),
        programs=MappingProxyType(programs),
        wage_sanity_max=sanity_max,
        unconfirmed=_strings(raw.get("unconfirmed")),
        sources=_strings(raw.get("sources")),
        min_age=int(raw.get("min_age", 0)),
    )


def _jp_wage_cap(raw: Mapping[str, Any]) -> JpWageCap:
    """Build one JP wage cap from its TOML table."""
    amount = raw["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RulesError(f"rules.toml: JP wage cap from {raw['valid_from']} must be a positive whole amount")
    return JpWageCap(
        valid_from=raw["valid_from"],
        amount=amount,
        unconfirmed=_strings(raw.get("unconfirmed")),
        sources=_strings(raw.get("sources")),
    )


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
            pu_rate_sets=tuple(_pu_rate_set(raw) for raw in data.get("pu", [])),
            jp_wage_caps=tuple(_jp_wage_cap(raw) for raw in data.get("pu_jp_wage_cap", [])),
        )
    except (KeyError, TypeError, ArithmeticError) as exc:
        # ArithmeticError covers decimal.InvalidOperation on a bad rate string.
        raise RulesError(f"rules.toml: missing or malformed value ({exc!r})") from exc


@functools.cache
def load_rules(path: Path | None = None) -> RuleBook:
    """Load and check rules.toml (default: the one next to the kiosk package), once."""
    with open(path or DEFAULT_RULES_PATH, "rb") as handle:
        return rulebook_from_dict(tomllib.load(handle))
