"""Quote PU (wage earner) contributions for a business and its workers.

Every figure comes from the [[pu]] and [[pu_jp_wage_cap]] entries of
``kiosk/services/rules.toml`` (loaded by ``rules``); this module holds no rates.

- JKK: the risk group's rate x wage, paid by the employer.
- JKM: rate x wage, employer.
- JHT (firms from "kecil" up): an employer and a worker share of the wage.
- JP ("menengah"): an employer and a worker share of min(wage, JP cap), the
  cap in force on the day of the quote.
- JKP is funded by the government and is never part of the money.

Each share is rounded to whole rupiah (half-up) on its own, and every total is
the sum of rounded shares, so the lines on screen always add up to the total.

>>> q = quote_worker(2_500_000, scale="mikro", risk_group=1, day=date(2025, 1, 1), rules=load_rules())
>>> [(line.program, line.employer) for line in q.lines], q.total
([('JKK', 6000), ('JKM', 7500)], 13500)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from kiosk.services.errors import DomainError
from kiosk.services.rules import PU_PROGRAM_KEYS, PU_RISK_GROUP_COUNT, PuRules, RuleBook, load_rules, round_rupiah
from kiosk.services.rupiah import NotRupiah, read_rupiah

__all__ = [
    "SCALES", "RISK_GROUPS", "InvalidWage", "PuRules", "ProgramShare", "WorkerQuote", "BusinessQuote",
    "parse_wage", "programs_for", "quote_worker", "quote_business",
]

SCALES = tuple(PU_PROGRAM_KEYS)  # ("mikro", "kecil", "menengah")
RISK_GROUPS = tuple(range(1, PU_RISK_GROUP_COUNT + 1))  # (1, 2, 3, 4, 5)

# Which rules.toml keys a program's figures come from, to tell whether a
# quote used an unconfirmed one.
_KEYS_USED = {
    "JKK": ("jkk_risk_rates",),
    "JKM": ("jkm_rate",),
    "JHT": ("jht_employer_rate", "jht_worker_rate"),
    "JP": ("jp_employer_rate", "jp_worker_rate", "jp_wage_cap"),
}



class InvalidWage(DomainError):
    """Raise when a monthly wage cannot be used; see ``code``."""

    CODES = ("empty", "not_number", "too_low", "too_high")
    what = "invalid wage"


def parse_wage(raw: str | None, rules: PuRules) -> int:
    """Read a monthly wage typed the Indonesian way; return int rupiah.

    No minimum wage is applied: the UMK differs per regency and is not in the
    rules table, so only a wage of zero or less is refused as too low.

    >>> rules = load_rules().pu_for(date(2025, 6, 1))
    >>> [parse_wage(text, rules) for text in ("2.500.000", "Rp 2.500.000,-", "2500000", "Rp 2,5 juta")]
    [2500000, 2500000, 2500000, 2500000]
    """
    try:
        read = read_rupiah(raw, units=True)  # "Rp 2,5 juta"
    except NotRupiah as exc:
        raise InvalidWage(exc.code, "expected whole rupiah like 2.500.000") from None
    amount = read.value
    if amount != amount.to_integral_value():
        raise InvalidWage("not_number", "not a whole rupiah amount")
    if read.negative or amount <= 0:
        raise InvalidWage("too_low", "the wage must be more than zero")
    if amount > rules.wage_sanity_max:
        raise InvalidWage("too_high", f"above the sanity limit {rules.wage_sanity_max}")
    return int(amount)


def programs_for(scale: str, rules: PuRules) -> tuple[str, ...]:
    """Return the minimum programs for a firm size; ValueError on an unknown size.

    >>> programs_for("kecil", load_rules().pu_for(date(2025, 6, 1)))
    ('JKK', 'JKM', 'JHT')
    """
    if not isinstance(scale, str) or scale not in rules.programs:
        raise ValueError(f"unknown firm size {scale!r}; expected one of {SCALES}")
    return rules.programs[scale]


@dataclass(frozen=True)
class ProgramShare:
    """Hold one program's monthly contribution for one worker, in int rupiah."""

    program: str
    base: int  # the wage, or for JP the wage capped at the JP wage cap
    employer_rate: Decimal
    worker_rate: Decimal
    employer: int
    worker: int

    @property
    def total(self) -> int:
        """Return employer + worker share."""
        return self.employer + self.worker


@dataclass(frozen=True)
class WorkerQuote:
    """Hold one worker's monthly contributions, program by program."""

    wage: int
    scale: str
    risk_group: int
    lines: tuple[ProgramShare, ...]
    employer: int
    worker: int
    total: int
    jp_capped: bool
    estimated: bool
    unconfirmed: tuple[str, ...]
    jp_wage_cap: int = 0  # the cap in force on the day (shown next to a capped JP line)
    rules_valid_from: date | None = None


@dataclass(frozen=True)
class BusinessQuote:
    """Hold the monthly contributions of all of a business's workers."""

    workers: tuple[WorkerQuote, ...]
    employer: int
    worker: int
    total: int
    estimated: bool
    unconfirmed: tuple[str, ...] = ()


def _check_wage(wage: int, rules: PuRules) -> None:
    """Reject a wage passed in by code that parse_wage would not have returned."""
    if isinstance(wage, bool) or not isinstance(wage, int):
        raise InvalidWage("not_number", f"wage must be int rupiah, got {type(wage).__name__}")
    if wage <= 0:
        raise InvalidWage("too_low")
    if wage > rules.wage_sanity_max:
        raise InvalidWage("too_high", f"above the sanity limit {rules.wage_sanity_max}")


def _check_risk_group(risk_group: int) -> None:
    """Reject a JKK risk group outside 1-5."""
    if isinstance(risk_group, bool) or not isinstance(risk_group, int) or risk_group not in RISK_GROUPS:
        raise ValueError(f"unknown JKK risk group {risk_group!r}; expected one of {RISK_GROUPS}")


def _share(program: str, base: int, employer_rate: Decimal, worker_rate: Decimal) -> ProgramShare:
    """Compute one program's shares, each rounded half-up to whole rupiah."""
    return ProgramShare(
        program=program, base=base, employer_rate=employer_rate, worker_rate=worker_rate,
        employer=round_rupiah(base * employer_rate), worker=round_rupiah(base * worker_rate),
    )


def _program_share(program: str, wage: int, risk_group: int, rules: PuRules) -> ProgramShare:
    """Compute one program's line; the employer alone pays JKK and JKM."""
    if program == "JKK":
        return _share(program, wage, rules.jkk_risk_rates[risk_group - 1], Decimal(0))
    if program == "JKM":
        return _share(program, wage, rules.jkm_rate, Decimal(0))
    if program == "JHT":
        return _share(program, wage, rules.jht_employer_rate, rules.jht_worker_rate)
    if program == "JP":
        return _share(program, min(wage, rules.jp_wage_cap), rules.jp_employer_rate, rules.jp_worker_rate)
    raise ValueError(f"no PU rate for program {program!r}")  # rules.toml loading refuses these


def _quote(wage: int, scale: str, risk_group: int, rules: PuRules) -> WorkerQuote:
    """Quote one worker with the PU rules of the day already picked."""
    _check_wage(wage, rules)
    _check_risk_group(risk_group)
    programs = programs_for(scale, rules)
    lines = tuple(_program_share(program, wage, risk_group, rules) for program in programs)
    used = {PU_PROGRAM_KEYS[scale]}.union(*(_KEYS_USED[program] for program in programs))
    unconfirmed = tuple(key for key in rules.unconfirmed if key in used)
    employer = sum(line.employer for line in lines)
    worker = sum(line.worker for line in lines)
    return WorkerQuote(
        wage=wage, scale=scale, risk_group=risk_group, lines=lines,
        employer=employer, worker=worker, total=employer + worker,
        jp_capped="JP" in programs and wage > rules.jp_wage_cap,
        estimated=bool(unconfirmed), unconfirmed=unconfirmed,
        jp_wage_cap=rules.jp_wage_cap, rules_valid_from=rules.valid_from,
    )


def quote_worker(wage: int, *, scale: str, risk_group: int, day: date, rules: RuleBook | None = None) -> WorkerQuote:
    """Quote one worker's monthly contributions under the rules in force on ``day``.

    ``estimated`` is True when a figure used is marked unconfirmed in the rules
    (the JP cap from 2025 on, for a "menengah" firm).
    """
    return _quote(wage, scale, risk_group, (rules or load_rules()).pu_for(day))


def quote_business(
    wages: Sequence[int], *, scale: str, risk_group: int, day: date, rules: RuleBook | None = None,
) -> BusinessQuote:
    """Quote every worker of one business (one firm size, one risk group) and add them up.

    >>> q = quote_business([2_500_000, 3_000_000], scale="mikro", risk_group=1, day=date(2025, 1, 1))
    >>> [w.total for w in q.workers], q.total
    ([13500, 16200], 29700)
    """
    pu = (rules or load_rules()).pu_for(day)
    workers = tuple(_quote(wage, scale, risk_group, pu) for wage in wages)
    if not workers:
        programs_for(scale, pu)  # an unknown size is refused even for an empty list
        _check_risk_group(risk_group)
    employer = sum(w.employer for w in workers)
    worker = sum(w.worker for w in workers)
    unconfirmed = tuple(key for key in pu.unconfirmed if any(key in w.unconfirmed for w in workers))
    return BusinessQuote(
        workers=workers, employer=employer, worker=worker, total=employer + worker,
        estimated=bool(unconfirmed), unconfirmed=unconfirmed,
    )
