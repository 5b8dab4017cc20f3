"""Turning a finished visit into a Registration, once, and finding registrations again."""

import datetime as dt
import secrets
from dataclasses import dataclass

from peewee import IntegrityError

from kiosk import audit, clock
from kiosk.crypto import vault
from kiosk.db import db, retry_locked
from kiosk.models import Draft, Registration, utcnow
from kiosk.services import receipt_codes
from kiosk.services.contributions import PAYERS, quote_bpu
from kiosk.services.nik import mask_nik
from kiosk.services.person import name_key
from kiosk.services.workflow import (
    FIX_SECTIONS,
    NEEDS_FIX,
    OPEN_STATUSES,
    REJECTED,
    SUBMITTED,
    VERIFIED,
    TransitionError,
    clean_fix_sections,
    plan_transition,
)


class NikTaken(Exception):
    """This NIK already has an application in progress or active."""


def nik_index(nik: str) -> str:
    return vault().blind_index("nik", nik)


def phone_index(e164: str) -> str:
    return vault().blind_index("phone", e164)


def mother_index(name: str) -> str:
    return vault().blind_index("mother", name_key(name))


@dataclass(frozen=True)
class Personal:
    """A registration's sealed fields (Registration.personal_enc), decrypted."""

    birth_place: str
    birth_date: dt.date
    nik_birth_date: dt.date
    address: str
    email: str | None

    @property
    def birth_date_differs(self) -> bool:
        """The person's stated birth date is not the one in their NIK (a note for staff, not an error)."""
        return self.birth_date != self.nik_birth_date


def seal_personal(*, birth_place: str, birth_date: dt.date, nik_birth_date: dt.date, address: str,
                  email: str | None) -> str:
    """The value of Registration.personal_enc."""
    return vault().seal({"birth_place": birth_place, "birth_date": birth_date.isoformat(),
                         "nik_birth_date": nik_birth_date.isoformat(), "address": address, "email": email})


def personal(registration: Registration) -> Personal:
    """Decrypt a registration's birth place and dates, address and e-mail."""
    values = vault().unseal(registration.personal_enc)
    return Personal(birth_place=values["birth_place"], birth_date=dt.date.fromisoformat(values["birth_date"]),
                    nik_birth_date=dt.date.fromisoformat(values["nik_birth_date"]),
                    address=values["address"], email=values["email"])


def new_token() -> str:
    """128 random bits, URL-safe, 22 characters: small enough for a version-3 QR."""
    return secrets.token_urlsafe(16)


def new_receipt_code() -> str:
    return receipt_codes.new_code(receipt_codes.WALKIN)


def open_application(nik: str, *, besides: int | None = None) -> Registration | None:
    """Return the application in progress or active for this NIK (other than `besides`), if any."""
    query = Registration.select().where(Registration.nik_hash == nik_index(nik),
                                        Registration.status.in_(OPEN_STATUSES))
    if besides is not None:
        query = query.where(Registration.id != besides)
    return query.first()


def find_for_reprint(nik: str, mother_name: str) -> Registration | None:
    """Return the newest registration for NIK whose mother's maiden name matches, else None."""
    candidate = (Registration.select()
                 .where(Registration.nik_hash == nik_index(nik))
                 .order_by(Registration.created_at.desc())
                 .first())
    if candidate and secrets.compare_digest(candidate.mother_name_hash, mother_index(mother_name)):
        return candidate
    return None


def current_event(kiosk):
    """The event the kiosk is assigned to today, if any (registrations there are tagged with it)."""
    if kiosk is None:
        return None
    return kiosk.events_on(clock.today()).first()


def answer_fields(answers: dict, quote) -> dict:
    """Registration columns from a visit's answers (personal fields encrypted, indexes computed)."""
    identity, contact = answers["identity"], answers["contact"]
    work, program = answers["work"], answers["program"]
    nik, phone = identity["nik"], contact["phone"]
    return dict(
        nik_enc=vault().encrypt(nik), nik_hash=nik_index(nik), nik_masked=mask_nik(nik),
        nik_district_known=identity["district_known"], full_name=identity["full_name"],
        personal_enc=seal_personal(birth_place=identity["birth_place"],
                                   birth_date=dt.date.fromisoformat(identity["birth_date"]),
                                   nik_birth_date=dt.date.fromisoformat(identity["nik_birth_date"]),
                                   address=contact["address"], email=contact.get("email") or None),
        sex=identity["sex"], mother_name_hash=mother_index(identity["mother_name"]),
        phone_enc=vault().encrypt(phone), phone_hash=phone_index(phone),
        village_code=contact["village"], district_code=contact["district"],
        regency_code=contact["regency"], province_code=contact["province"],
        occupation=work["occupation"], occupation_transport=work["transport"],
        work_regency_code=work["work_regency"], monthly_income=work["income"],
        jht=program["jht"], period_months=program["period"],
        monthly_contribution=quote.monthly.total, period_contribution=quote.period_total,
        regular_monthly_contribution=quote.months[-1].regular,
        rules_valid_from=quote.rules_valid_from,
    )


def submit(draft: Draft, answers: dict, *, quote, consent_version: str, kiosk=None,
           locale: str = "id") -> Registration:
    """Create the registration for draft, or return the one it already made (double tap, reload).

    Raises NikTaken when another visit already holds an open application for the NIK.
    """
    if draft.registration_id:
        return draft.registration
    existing = Registration.get_or_none(Registration.submission_key == draft.id)
    if existing:
        return existing
    nik = answers["identity"]["nik"]
    if holder := open_application(nik):
        if holder.submission_key == draft.id:  # a parallel tap of this visit committed in between
            draft.registration = holder
            return holder
        raise NikTaken()
    fields = dict(
        submission_key=draft.id, consent_version=consent_version,
        consent_at=dt.datetime.fromisoformat(answers["consent"]["at"]),
        kiosk=kiosk, event=current_event(kiosk), channel="kiosk" if kiosk else "web", locale=locale,
        payer=(kiosk.payer or "self") if kiosk is not None else "self",
        payer_programme=kiosk.payer_programme if kiosk is not None and kiosk.payer not in (None, "self") else None,
        **answer_fields(answers, quote),
    )

    def create() -> Registration:
        # One transaction: the registration and the draft's link to it are written together or not at all.
        with db.atomic():
            registration = Registration.create(token=new_token(), receipt_code=new_receipt_code(), **fields)
            Draft.update(registration=registration).where(Draft.id == draft.id).execute()
        return registration

    for _attempt in range(5):
        try:
            registration = retry_locked(create)  # SQLite: another worker briefly holds the write lock
            draft.registration = registration
            return registration
        except IntegrityError:
            # Either a parallel tap of the same visit won (same submission_key), the NIK was taken
            # in the meantime, or a random code collided; find out which.
            existing = Registration.get_or_none(Registration.submission_key == draft.id)
            if existing:
                draft.registration = existing
                return existing
            if open_application(nik):
                raise NikTaken() from None
    raise RuntimeError("could not allocate a unique receipt code")


class KpjTaken(Exception):
    """Another member already has this KPJ number."""


def change_status(registration: Registration, target: str, *, actor, expected_version: int,
                  reason: str | None = None, kpj: str | None = None, fix_sections=None,
                  payer: str | None = None, payer_programme: str | None = None) -> Registration:
    """Move an application on, if the actor may and nobody changed it since they looked.

    Raises TransitionError (code "stale" when another staff member got there first) or KpjTaken.
    The update is conditional on the version, so of two simultaneous actions exactly one lands.
    """
    change = plan_transition(registration.status, target, role=actor.role, version=registration.version,
                             expected_version=expected_version, reason=reason, kpj=kpj)
    if change.kpj and (Registration.select()
                       .where(Registration.kpj == change.kpj, Registration.id != registration.id).exists()):
        raise KpjTaken()
    sections = None
    if change.target == NEEDS_FIX and registration.kind != "pu":  # a business's worker is fixed by the employer
        sections = clean_fix_sections(fix_sections)
        if not sections:  # "everything" would reopen the contact details to whoever passes the reprint check
            raise TransitionError("sections_required", "tick what the applicant should fix")
    values = {"status": change.target, "version": change.new_version, "updated_at": utcnow(),
              "status_reason": change.reason if change.target in (NEEDS_FIX, REJECTED) else None,
              "fix_sections": ",".join(sections) if sections else None}
    if change.kpj:
        values["kpj"] = change.kpj
    if change.target == VERIFIED and registration.kind != "pu" and payer:
        values.update(payer_values(registration, payer, payer_programme))

    def apply():
        with db.atomic():
            updated = (Registration.update(**values)
                       .where(Registration.id == registration.id, Registration.version == expected_version)
                       .execute())
            if updated != 1:
                raise TransitionError("stale", "changed by someone else meanwhile")
            audit.record(audit.STATUS_CHANGE, actor=actor, registration=registration,
                         source=change.source, target=change.target, reason=change.reason, kpj=change.kpj,
                         **({"sections": list(sections)} if sections else {}))

    try:
        retry_locked(apply)
    except IntegrityError:
        raise KpjTaken() from None
    return Registration.get_by_id(registration.id)


def payer_values(registration: Registration, payer: str, programme: str | None) -> dict:
    """The columns for who pays, and the contribution figures again: a budget-paid member gets no discount."""
    if payer not in PAYERS:
        raise TransitionError("payer", f"unknown payer {payer[:20]!r}")
    programme = " ".join((programme or "").split())[:120] or None
    if payer != "self" and not programme:
        raise TransitionError("payer_programme", "name the programme that pays")
    quote = quote_bpu(registration.monthly_income, jht=registration.jht, period_months=registration.period_months,
                      start=clock.local(registration.created_at).date(), transport=registration.occupation_transport,
                      payer=payer)
    return {"payer": payer, "payer_programme": programme if payer != "self" else None,
            "monthly_contribution": quote.monthly.total, "period_contribution": quote.period_total,
            "regular_monthly_contribution": quote.months[-1].regular}


def answers_from(registration: Registration, mother_name: str) -> dict:
    """Visit answers rebuilt from a registration, so the applicant can correct it at the kiosk."""
    nik = vault().decrypt(registration.nik_enc)
    held = personal(registration)
    return {
        "consent": {"version": registration.consent_version,
                    "at": registration.consent_at.isoformat(timespec="seconds")},
        "identity": {
            "nik": nik, "full_name": registration.full_name, "birth_place": held.birth_place,
            "birth_date": held.birth_date.isoformat(),
            "nik_birth_date": held.nik_birth_date.isoformat(), "sex": registration.sex,
            "nik_sex": "P" if int(nik[6:8]) > 40 else "L", "mother_name": mother_name,
            "province": nik[:2], "regency": f"{nik[:2]}.{nik[2:4]}", "district": f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
            "district_known": registration.nik_district_known,
        },
        "contact": {"phone": vault().decrypt(registration.phone_enc), "email": held.email or "",
                    "address": held.address, "province": registration.province_code,
                    "regency": registration.regency_code, "district": registration.district_code,
                    "village": registration.village_code},
        "work": {"occupation": registration.occupation, "occupation_other": "",
                 "transport": registration.occupation_transport,
                 "work_regency": registration.work_regency_code, "income": registration.monthly_income},
        "program": {"jht": registration.jht, "period": registration.period_months},
    }


def fix_sections_of(registration: Registration) -> tuple[str, ...]:
    """What the officer asked this applicant to fix (all of it for an older request that did not say)."""
    return clean_fix_sections((registration.fix_sections or "").split(",")) or FIX_SECTIONS


def resubmit(registration: Registration, answers: dict, *, quote, kiosk=None) -> Registration:
    """Apply the applicant's corrections to a needs-fix application and send it back to the desk.

    The application keeps its receipt code and status URL. Raises NikTaken if the corrected NIK
    belongs to another open application, TransitionError("stale") if staff changed it meanwhile.
    """
    if registration.status != NEEDS_FIX:
        raise TransitionError("illegal", "only an application that needs a fix can be corrected")
    if open_application(answers["identity"]["nik"], besides=registration.id):
        raise NikTaken()
    fields = answer_fields(answers, quote)

    def apply():
        with db.atomic():
            updated = (Registration.update(status=SUBMITTED, status_reason=None, fix_sections=None,
                                           version=registration.version + 1, updated_at=utcnow(), **fields)
                       .where(Registration.id == registration.id, Registration.version == registration.version)
                       .execute())
            if updated != 1:
                raise TransitionError("stale", "changed by staff meanwhile")
            audit.record(audit.RESUBMIT, actor_name="applicant", registration=registration,
                         source=NEEDS_FIX, target=SUBMITTED, sections=list(fix_sections_of(registration)),
                         kiosk=kiosk.id if kiosk else None)

    try:
        retry_locked(apply)
    except IntegrityError:
        raise NikTaken() from None
    return Registration.get_by_id(registration.id)
