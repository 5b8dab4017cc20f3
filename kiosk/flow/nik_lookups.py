"""Whether a NIK already has an application in progress or active, for both kiosk flows.

Every such answer also tells a stranger whether that person is registered, and a status page's masked NIK
plus a birth month left few enough digits to try them all. So the register is asked only when a step is
submitted (the NIK typed is read and explained as it is typed, never looked up), and the answers are
rationed:

- per kiosk/IP (NIK_LOOKUP_LIMIT, both flows together, keyed as the app's other limits): every NIK this
  visit has not asked about yet costs one, a worker list one per new worker; past it, nothing is asked;
- per visit: once TAKEN_NIKS_PER_VISIT different NIKs were found registered, the visit is over (wiped).

What a visit was told stays in its (encrypted) draft as truncated blind indexes, so a worker list can
keep showing its registered rows without asking again.
"""

from flask import current_app
from limits import parse_many

from kiosk.registrations import nik_index
from kiosk.web.extensions import _rate_key, limiter

SECTION = "nik_lookups"


class LookupRefused(Exception):
    """The register was not asked: this kiosk/IP spent its lookups (`visit_ended` False), or this visit
    found too many registered NIKs and has to start over (`visit_ended` True)."""

    def __init__(self, *, visit_ended: bool):
        super().__init__("visit ended" if visit_ended else "lookup limit reached")
        self.visit_ended = visit_ended


def _tag(nik: str) -> str:
    return nik_index(nik)[:24]


def _charge(cost: int) -> bool:
    """Take cost lookups from this kiosk/IP's NIK_LOOKUP_LIMIT; False (nothing taken) when they do not fit."""
    if not limiter.enabled:
        return True
    # The limiter's own key (kiosk.web.extensions), so these lookups count per kiosk/IP like every other limit.
    keys = (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), _rate_key(), "nik-lookup")
    items = parse_many(current_app.config["NIK_LOOKUP_LIMIT"])
    if not all(limiter.limiter.test(item, *keys, cost=cost) for item in items):
        return False
    for item in items:
        limiter.limiter.hit(item, *keys, cost=cost)
    return True


def taken(current, niks, find, *, may_end_visit=True) -> set[str]:
    """The NIKs among niks that find(niks) reports registered, rationed as the module says.

    find always runs (an application may have come in since); only NIKs new to this visit are charged.
    may_end_visit=False (a worker list: several of a koperasi's members may well be enrolled already, and
    each is flagged on its row) never ends the visit. Raises LookupRefused.
    """
    niks = list(dict.fromkeys(niks))
    if not niks:
        return set()
    memory = current.section(SECTION)
    asked, found = set(memory.get("asked", ())), set(memory.get("taken", ()))
    tags = {nik: _tag(nik) for nik in niks}
    new = {tag for tag in tags.values() if tag not in asked}
    if new and not _charge(len(new)):
        raise LookupRefused(visit_ended=False)
    registered = set(find(niks))
    newly_found = {tags[nik] for nik in registered} - found
    if new or newly_found:  # a step sent again with the same NIK writes nothing
        asked |= new
        found |= newly_found
        current.save(SECTION, {"asked": sorted(asked), "taken": sorted(found)})
    if may_end_visit and len(found) >= int(current_app.config["TAKEN_NIKS_PER_VISIT"]):
        raise LookupRefused(visit_ended=True)
    return registered


def asking(current, find):
    """taken() as a function of the NIKs alone (for a worker list's check, which flags rows instead of
    ending the visit)."""
    return lambda niks: taken(current, niks, find, may_end_visit=False)


def known(current):
    """The NIKs among those given that this visit was already told are registered (nothing is asked)."""
    tags = set(current.section(SECTION).get("taken", ()))
    return lambda niks: {nik for nik in niks if _tag(nik) in tags}
