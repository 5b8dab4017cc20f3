"""Who may be registered, by age: the bounds come from the dated rules table (min_age / max_age of [[bpu]], min_age
of [[pu]]). A bound the table marks unconfirmed only warns (staff see it first on the panel); a confirmed bound
refuses.

>>> from datetime import date
>>> from kiosk.services.rules import load_rules
>>> check = bpu_age(date(2020, 8, 17), date(2026, 12, 8), load_rules().bpu_for(date(2026, 12, 8)))
>>> (check.age, check.outside, check.confirmed)
(6, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.services.rules import BpuRules, PuRules


@dataclass(frozen=True)
class AgeCheck:
    age: int
    low: int  # 0: no lower bound
    high: int  # 0: no upper bound
    outside: bool
    confirmed: bool  # the bound that was crossed is confirmed: refuse rather than warn

    @property
    def refused(self) -> bool:
        return self.outside and self.confirmed

    @property
    def warned(self) -> bool:
        return self.outside and not self.confirmed


def age_on(born: date, day: date) -> int:
    """Full years between born and day."""
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def _check(born: date, day: date, low: int, high: int, unconfirmed) -> AgeCheck:
    age = age_on(born, day)
    too_young, too_old = bool(low) and age < low, bool(high) and age > high
    crossed = "min_age" if too_young else "max_age" if too_old else None
    return AgeCheck(age, low, high, too_young or too_old, crossed is not None and crossed not in unconfirmed)


def bpu_age(born: date, day: date, rules: BpuRules) -> AgeCheck:
    """A self-employed member's age against [[bpu]] min_age / max_age."""
    return _check(born, day, rules.min_age, rules.max_age, rules.unconfirmed)


def pu_age(born: date, day: date, rules: PuRules) -> AgeCheck:
    """A worker's age against [[pu]] min_age (there is no upper bound for a wage earner)."""
    return _check(born, day, rules.min_age, 0, rules.unconfirmed)
