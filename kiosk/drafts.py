"""Abandoned visits. A draft left untouched past DRAFT_MAX_IDLE_SECONDS can never be resumed (the visit
wipes it when its browser comes back), so it is deleted: by `privacy purge-drafts` from a timer, and now
and then by the app itself when a visit starts, so that a server nobody runs the timer on still forgets."""

import datetime as dt
import threading
import time

from flask import current_app

from kiosk import ratestore
from kiosk.db import UNAVAILABLE, describe_error
from kiosk.models import Draft, utcnow

_lock = threading.Lock()


def abandoned_after(config) -> dt.timedelta:
    """How long a draft may sit untouched: the visit's idle limit, or the retention period if shorter."""
    return min(dt.timedelta(seconds=int(config["DRAFT_MAX_IDLE_SECONDS"])),
               dt.timedelta(hours=float(config["DRAFT_RETENTION_HOURS"])))


def purge_abandoned(now: dt.datetime | None = None) -> int:
    """Delete every draft untouched for longer than abandoned_after(); return how many went."""
    cutoff = (now or utcnow()) - abandoned_after(current_app.config)
    # One DELETE, as `privacy purge` does: a visit saving its draft meanwhile either commits first (its
    # new updated_at keeps the row) or finds it gone, as after the idle wipe.
    return Draft.delete().where(Draft.updated_at < cutoff).execute()


def purge_now_and_then() -> None:
    """purge_abandoned(), at most once per DRAFT_PURGE_EVERY_SECONDS in this process; never fails the request."""
    every = float(current_app.config.get("DRAFT_PURGE_EVERY_SECONDS") or 0)
    if every <= 0:
        return
    state = current_app.extensions.setdefault("kiosk_draft_purge", {"at": None})
    with _lock:
        now = time.monotonic()
        if state["at"] is not None and now - state["at"] < every:
            return
        state["at"] = now
    try:
        deleted = purge_abandoned()
        ratestore.purge_expired()
    except UNAVAILABLE as exc:  # the visit still starts; the next turn purges
        current_app.logger.warning("draft purge skipped: %s", describe_error(exc))
        return
    if deleted:
        current_app.logger.info("purged %s abandoned drafts", deleted)
