"""Storing a business action (kiosk.services.business_workflow): the business row and the workers it
moves change in one transaction, each row conditional on the version that was planned from, and each
row that changes gets its own audit entry (the business id in every one)."""

from kiosk import audit
from kiosk.db import db, retry_locked
from kiosk.models import Business, Registration, utcnow
from kiosk.services import business_workflow as bw
from kiosk.services.workflow import REJECTED


def worker_states(business: Business) -> list[bw.WorkerState]:
    """The business's workers as the status machine sees them."""
    rows = (Registration.select(Registration.id, Registration.status, Registration.version)
            .where(Registration.business == business.id)
            .order_by(Registration.id)
            .tuples())
    return [bw.WorkerState(key, status, version) for key, status, version in rows]


def apply(business: Business, action: str, *, actor, expected_version: int, seen_workers: str | None,
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
