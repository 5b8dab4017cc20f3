"""Turning a finished visit into a Registration, once, and finding registrations again."""

import datetime as dt
import secrets

from peewee import IntegrityError

from kiosk import audit
from kiosk.db import db
from kiosk.models import Draft, Registration, utcnow
from kiosk.services.nik import mask_nik
from kiosk.services.person import name_key
from kiosk.services.workflow import NEEDS_FIX, OPEN_STATUSES, REJECTED, TransitionError, plan_transition
from kiosk.vault import vault

# Crockford base32 without I, L, O, U: nothing to misread on a faded thermal print.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class NikTaken(Exception):
    """This NIK already has an application in progress or active."""


def nik_index(nik: str) -> str:
    return vault().blind_index("nik", nik)


def phone_index(e164: str) -> str:
    return vault().blind_index("phone", e164)


def mother_index(name: str) -> str:
    return vault().blind_index("mother", name_key(name))


def new_token() -> str:
    """128 random bits, URL-safe, 22 characters: small enough for a version-3 QR."""
    return secrets.token_urlsafe(16)


def new_receipt_code() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"KJ-{body[:4]}-{body[4:]}"


def open_application(nik: str) -> Registration | None:
    """Return the application in progress or active for this NIK, if any."""
    return (Registration.select()
            .where(Registration.nik_hash == nik_index(nik),
                   Registration.status.in_(OPEN_STATUSES))
            .first())


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
    return kiosk.events_on(dt.date.today()).first()


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
    identity, contact = answers["identity"], answers["contact"]
    work, program, consent = answers["work"], answers["program"], answers["consent"]
    nik, phone = identity["nik"], contact["phone"]
    if open_application(nik):
        raise NikTaken()
    fields = dict(
        submission_key=draft.id,
        nik_enc=vault().encrypt(nik), nik_hash=nik_index(nik), nik_masked=mask_nik(nik),
        nik_district_known=identity["district_known"],
        full_name=identity["full_name"], birth_place=identity["birth_place"],
        birth_date=dt.date.fromisoformat(identity["birth_date"]),
        nik_birth_date=dt.date.fromisoformat(identity["nik_birth_date"]),
        sex=identity["sex"], mother_name_hash=mother_index(identity["mother_name"]),
        phone_enc=vault().encrypt(phone), phone_hash=phone_index(phone), email=contact.get("email") or None,
        address=contact["address"], village_code=contact["village"], district_code=contact["district"],
        regency_code=contact["regency"], province_code=contact["province"],
        occupation=work["occupation"], occupation_transport=work["transport"],
        work_regency_code=work["work_regency"], monthly_income=work["income"],
        jht=program["jht"], period_months=program["period"],
        monthly_contribution=quote.monthly.total, period_contribution=quote.period_total,
        rules_valid_from=quote.rules_valid_from,
        consent_version=consent_version, consent_at=dt.datetime.fromisoformat(consent["at"]),
        kiosk=kiosk, event=current_event(kiosk), channel="kiosk" if kiosk else "web", locale=locale,
    )
    for _attempt in range(5):
        try:
            with db.atomic():
                registration = Registration.create(token=new_token(), receipt_code=new_receipt_code(),
                                                   **fields)
                Draft.update(registration=registration).where(Draft.id == draft.id).execute()
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
                  reason: str | None = None, kpj: str | None = None) -> Registration:
    """Move an application on, if the actor may and nobody changed it since they looked.

    Raises TransitionError (code "stale" when another staff member got there first) or KpjTaken.
    The update is conditional on the version, so of two simultaneous actions exactly one lands.
    """
    change = plan_transition(registration.status, target, role=actor.role, version=registration.version,
                             expected_version=expected_version, reason=reason, kpj=kpj)
    if change.kpj and (Registration.select()
                       .where(Registration.kpj == change.kpj, Registration.id != registration.id).exists()):
        raise KpjTaken()
    values = {"status": change.target, "version": change.new_version, "updated_at": utcnow(),
              "status_reason": change.reason if change.target in (NEEDS_FIX, REJECTED) else None}
    if change.kpj:
        values["kpj"] = change.kpj
    try:
        with db.atomic():
            updated = (Registration.update(**values)
                       .where(Registration.id == registration.id, Registration.version == expected_version)
                       .execute())
            if updated != 1:
                raise TransitionError("stale", "changed by someone else meanwhile")
            audit.record(audit.STATUS_CHANGE, actor=actor, registration=registration,
                         source=change.source, target=change.target, reason=change.reason, kpj=change.kpj)
    except IntegrityError:
        raise KpjTaken() from None
    return Registration.get_by_id(registration.id)
