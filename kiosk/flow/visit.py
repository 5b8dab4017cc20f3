"""A kiosk visit: its answers live server-side in an encrypted Draft; the browser holds only its id."""

import datetime as dt
import json
import secrets

from flask import current_app, session

from kiosk.crypto import vault
from kiosk.models import Draft, utcnow

STEPS = ("consent", "identity", "contact", "work", "program")



def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value))


class Visit:
    """The current person's draft answers, one section per step."""

    steps = STEPS  # in order; a flow with other steps subclasses Visit (kiosk.business.visit)

    def __init__(self, draft: Draft):
        self.draft = draft
        self.data = json.loads(vault().decrypt(draft.data)) if draft.data else {}

    @property
    def registration(self):
        return self.draft.registration

    @property
    def correcting(self) -> int | None:
        """The id of the needs-fix application this visit is correcting, if any."""
        return self.section("correcting").get("id")

    @property
    def fix_sections(self) -> tuple:
        """The sections a correction may change (what the officer asked to fix; all of them for a correction
        opened before the desk said)."""
        return tuple(self.section("correcting").get("sections") or STEPS[1:])

    def section(self, step: str) -> dict:
        return self.data.get(step) or {}

    def save(self, step: str, values: dict) -> None:
        """Store one step's answers (the whole section is replaced)."""
        self.save_all({step: values})

    def save_all(self, sections: dict) -> None:
        """Replace several sections at once."""
        self.data.update(sections)
        self.draft.data = vault().encrypt(json.dumps(self.data, default=_json_default))
        self.draft.updated_at = utcnow()
        self.draft.save()

    def touch(self) -> None:
        Draft.update(updated_at=utcnow()).where(Draft.id == self.draft.id).execute()

    def first_missing_step(self) -> str | None:
        """Return the earliest step not yet answered, or None when everything is in."""
        for step in self.steps:
            if not self.data.get(step):
                return step
        return None


def current(kind: type[Visit] = Visit) -> Visit | None:
    """Return this browser's visit as a `kind`, or None (also when it sat idle past DRAFT_MAX_IDLE_SECONDS)."""
    draft_id = session.get("visit")
    if not draft_id:
        return None
    draft = Draft.get_or_none(Draft.id == draft_id)
    if draft is None:
        session.pop("visit", None)
        return None
    idle_limit = dt.timedelta(seconds=current_app.config["DRAFT_MAX_IDLE_SECONDS"])
    if utcnow() - draft.updated_at > idle_limit:
        wipe()
        return None
    return kind(draft)


def start(kiosk=None, kind: type[Visit] = Visit) -> Visit:
    """Begin a fresh visit, discarding any earlier one in this browser."""
    wipe()
    draft = Draft.create(id=secrets.token_urlsafe(32), kiosk=kiosk)
    session["visit"] = draft.id
    return kind(draft)


def wipe() -> None:
    """Forget the visit: delete its draft and reset the browser session (language included).

    The CSRF token survives: it says nothing about the person, and the forms outside #screen that an
    htmx step does not re-render (idle wipe, language switch) still carry it.
    """
    draft_id = session.get("visit")
    if draft_id:
        Draft.delete().where(Draft.id == draft_id).execute()
    csrf_token = session.get("csrf_token")
    session.clear()
    if csrf_token:
        session["csrf_token"] = csrf_token
