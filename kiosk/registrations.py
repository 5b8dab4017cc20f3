"""Turning a finished visit into a Registration, once, and finding registrations again."""

import datetime as dt
import secrets

from peewee import IntegrityError

from kiosk.db import db
from kiosk.models import Draft, Registration
from kiosk.services.nik import mask_nik
from kiosk.services.person import name_key
from kiosk.vault import vault

OPEN_STATUSES = ("submitted", "verified", "active", "needs_fix")
# Crockford base32 without I, L, O, U: nothing to misread on a faded thermal print.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class NikTaken(Exception):
    """This NIK already has an application in progress or active."""


def nik_index(nik: str) -> str:
    return vault().blind_index("nik", nik)


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
        phone_enc=vault().encrypt(phone), email=contact.get("email") or None,
        address=contact["address"], village_code=contact["village"], district_code=contact["district"],
        regency_code=contact["regency"], province_code=contact["province"],
        occupation=work["occupation"], occupation_transport=work["transport"],
        work_regency_code=work["work_regency"], monthly_income=work["income"],
        jht=program["jht"], period_months=program["period"],
        monthly_contribution=quote.monthly.total, period_contribution=quote.period_total,
        rules_valid_from=quote.rules_valid_from,
        consent_version=consent_version, consent_at=dt.datetime.fromisoformat(consent["at"]),
        kiosk=kiosk, channel="kiosk" if kiosk else "web", locale=locale,
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
