"""Turning a finished business visit into a Business and one Registration (kind "pu") per worker, once.

Everything is written in ONE transaction: the business and all its workers, or nothing. A worker is
an ordinary registration, so the status page, the desk, the workflow and the one-open-application-
per-NIK index all apply to them; what a worker does not give comes from the business and its owner.
"""

import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError

from kiosk import audit, clock
from kiosk.crypto import vault
from kiosk.db import db, retry_locked
from kiosk.models import Business, Draft, Registration, utcnow
from kiosk.registrations import (
    current_event,
    new_receipt_code,
    new_token,
    nik_index,
    phone_index,
    seal_personal,
)
from kiosk.services import business_workflow as bw, receipt_codes
from kiosk.services.nik import mask_nik
from kiosk.services.workflow import OPEN_STATUSES, REJECTED, SUBMITTED

# Rows per INSERT: ~40 columns each stays far below SQLite's and PostgreSQL's parameter limits.
INSERT_BATCH = 100


class WorkersTaken(Exception):
    """Some workers' NIKs already have an application in progress or active."""

    def __init__(self, niks: set[str]):
        self.niks = niks
        super().__init__(f"{len(niks)} worker NIK(s) already have an open application")


@dataclass(frozen=True)
class Owner:
    """A business owner's sealed name and e-mail (Business.owner_enc), decrypted; "" and None once erased."""

    full_name: str
    email: str | None


def seal_owner(full_name: str, email: str | None, vlt=None) -> str:
    """The value of Business.owner_enc (vlt: a DataVault other than the app's, as privacy's duties take)."""
    return (vlt or vault()).seal({"owner_full_name": full_name, "email": email})


def owner(business: Business) -> Owner:
    values = vault().unseal(business.owner_enc)
    return Owner(full_name=values["owner_full_name"], email=values["email"])


def address(business: Business) -> str:
    """The business's street address, decrypted."""
    return vault().unseal(business.address_enc)["address"]


def new_business_code() -> str:
    """A receipt code that cannot be mistaken for a walk-in's KJ-XXXX-XXXX."""
    return receipt_codes.new_code(receipt_codes.BUSINESS)


def taken_niks(niks) -> set[str]:
    """The NIKs among niks that already hold an application in progress or active (blind index)."""
    by_hash = {nik_index(nik): nik for nik in niks}
    found = set()
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):
        query = (Registration.select(Registration.nik_hash)
                 .where(Registration.nik_hash.in_(hashes[start:start + 500]),
                        Registration.status.in_(OPEN_STATUSES)))
        found.update(by_hash[row.nik_hash] for row in query)
    return found


def business_fields(answers: dict, quote) -> dict:
    """Business columns from the visit's answers (the owner's data and the address encrypted, indexes computed)."""
    business, owner_answers, program = answers["business"], answers["owner"], answers["program"]
    nik, phone = owner_answers["nik"], owner_answers["phone"]
    return dict(
        kind=business["kind"], nib=business["nib"], name=business["name"], scale=program["scale"],
        sector=business["sector"], risk_group=int(program["risk_group"]),
        address_enc=vault().seal({"address": business["address"]}), village_code=business["village"],
        district_code=business["district"], regency_code=business["regency"], province_code=business["province"],
        owner_nik_enc=vault().encrypt(nik), owner_nik_hash=nik_index(nik), owner_nik_masked=mask_nik(nik),
        owner_enc=seal_owner(owner_answers["full_name"], owner_answers.get("email") or None),
        owner_phone_enc=vault().encrypt(phone), owner_phone_hash=phone_index(phone),
        employer_monthly=quote.employer, worker_monthly=quote.worker,
    )


def worker_fields(worker: dict, worker_quote, *, business_answers: dict, programs: str) -> dict:
    """Registration columns for one checked worker (see kiosk.business.workers for the dict)."""
    nik = worker["nik"]
    birth = dt.date.fromisoformat(worker["birth_date"])
    return dict(
        nik_enc=vault().encrypt(nik), nik_hash=nik_index(nik), nik_masked=mask_nik(nik),
        nik_district_known=worker["district_known"], full_name=worker["full_name"],
        personal_enc=seal_personal(birth_place="", birth_date=birth, nik_birth_date=birth,
                                   address=business_answers["address"], email=None),
        sex=worker["sex"], mother_name_hash="",  # a worker reprints through the business, never by mother's name
        phone_enc=vault().encrypt(""), phone_hash=None, village_code=business_answers["village"],
        district_code=business_answers["district"], regency_code=business_answers["regency"],
        province_code=business_answers["province"],
        occupation="pu", occupation_transport=False, work_regency_code=business_answers["regency"],
        monthly_income=worker["wage"], jht="JHT" in programs.split(","), period_months=1,
        monthly_contribution=worker_quote.total, period_contribution=worker_quote.total,
        rules_valid_from=worker_quote.rules_valid_from,
        kind="pu", job=worker["job"], employer_contribution=worker_quote.employer,
        worker_contribution=worker_quote.worker, programs=programs,
    )


def submit(draft: Draft, answers: dict, *, workers: list[dict], quote, programs, consent_version: str,
           kiosk=None, locale: str = "id") -> Business:
    """Create the business and its workers for draft, or return the business it already made.

    workers: the checked worker dicts, all without problems, in list order; quote.workers matches them.
    Raises WorkersTaken when some workers' NIKs hold an open application elsewhere (nothing is saved).
    """
    existing = Business.get_or_none(Business.submission_key == draft.id)
    if existing:
        return existing
    if taken := taken_niks(w["nik"] for w in workers):
        raise WorkersTaken(taken)
    consent_at = dt.datetime.fromisoformat(answers["consent"]["at"])
    event = current_event(kiosk)
    channel = "kiosk" if kiosk else "web"
    program_list = ",".join(programs)
    rules_valid_from = quote.workers[0].rules_valid_from if quote.workers else None
    common = dict(consent_version=consent_version, consent_at=consent_at, kiosk=kiosk, event=event,
                  channel=channel, locale=locale, status=SUBMITTED)
    # Encrypting is the slow part: done once, outside the transaction and its retries.
    rows = [worker_fields(worker, worker_quote, business_answers=answers["business"], programs=program_list)
            for worker, worker_quote in zip(workers, quote.workers, strict=True)]
    business_values = business_fields(answers, quote)

    def create() -> Business:
        now = utcnow()
        with db.atomic():
            business = Business.create(token=new_token(), receipt_code=new_business_code(),
                                       submission_key=draft.id, rules_valid_from=rules_valid_from or clock.today(),
                                       created_at=now, updated_at=now, **common, **business_values)
            batch = [dict(row, business=business.id, token=new_token(), receipt_code=new_receipt_code(),
                          submission_key=f"{draft.id}.{n}", created_at=now, updated_at=now, version=1,
                          status_reason=None, kpj=None, **common)
                     for n, row in enumerate(rows, start=1)]
            for start in range(0, len(batch), INSERT_BATCH):
                Registration.insert_many(batch[start:start + INSERT_BATCH]).execute()
        return business

    for _attempt in range(5):
        try:
            return retry_locked(create)  # SQLite: another worker briefly holds the write lock
        except IntegrityError:
            # A parallel tap of this visit won, a worker's NIK was registered meanwhile, or a random
            # code collided (then simply try again with new codes).
            existing = Business.get_or_none(Business.submission_key == draft.id)
            if existing:
                return existing
            if taken := taken_niks(w["nik"] for w in workers):
                raise WorkersTaken(taken) from None
    raise RuntimeError("could not allocate unique receipt codes")


# --- status changes: the business row and the workers it moves, in one transaction ---------------------------
# Each row is conditional on the version that was planned from, and each row that changes gets its own audit
# entry (the business id in every one).

def worker_states(business: Business) -> list[bw.WorkerState]:
    """The business's workers as the status machine sees them."""
    rows = business.workers(Registration.id, Registration.status, Registration.version).tuples()
    return [bw.WorkerState(key, status, version) for key, status, version in rows]


def apply_action(business: Business, action: str, *, actor, expected_version: int, seen_workers: str | None,
          reason: str | None = None) -> Business:
    """Take action on business for actor; return the business as stored afterwards.

    Raises BusinessTransitionError ("stale" when someone changed the business or one of the workers
    it moves since the page was drawn). Nothing is stored unless every row changes.
    """

    def run() -> bw.BusinessPlan:
        with db.atomic():
            # Planned from the rows as they are inside the transaction; the UPDATEs below only land
            # on the versions it was planned from, so a change committed in between makes it stale.
            current = Business.get_by_id(business.id)
            change = bw.plan(action, status=current.status, role=actor.role, version=current.version,
                             expected_version=expected_version, workers=worker_states(current),
                             seen_workers=seen_workers, reason=reason)
            now = utcnow()
            if change.target is not None:
                updated = (Business.update(status=change.target, version=change.new_version, updated_at=now,
                                           status_reason=change.reason if change.target == REJECTED else None)
                           .where(Business.id == business.id, Business.version == expected_version)
                           .execute())
                if updated != 1:
                    raise bw.BusinessTransitionError("stale", "the business changed meanwhile")
                audit.record(audit.STATUS_CHANGE, actor=actor, subject=f"business:{business.id}",
                             business=business.id, business_action=action, source=change.source,
                             target=change.target, reason=change.reason)
            for move in change.workers:
                updated = (Registration.update(status=move.target, version=move.new_version, updated_at=now,
                                               status_reason=change.reason if move.target == REJECTED else None)
                           .where(Registration.id == move.key, Registration.version == move.version)
                           .execute())
                if updated != 1:
                    raise bw.BusinessTransitionError("stale", "a worker changed meanwhile")
                audit.record(audit.STATUS_CHANGE, actor=actor, registration=Registration(id=move.key),
                             business=business.id, business_action=action, source=move.source,
                             target=move.target, reason=change.reason)
            return change

    retry_locked(run)
    return Business.get_by_id(business.id)
