"""A business visit: the walk-in visit machinery (encrypted Draft, wiped at the end) with its own steps."""

from kiosk.flow import visit
from kiosk.models import Business

# The owner's answers, one section per step; "workers" holds the checked worker list.
STEPS = ("consent", "business", "owner", "workers", "program")
FLOW = "business"


class BusinessVisit(visit.Visit):
    steps = STEPS

    @property
    def business(self) -> Business | None:
        """The business this visit submitted, if it did (a submit is keyed by the draft's id)."""
        if not hasattr(self, "_business"):
            self._business = Business.get_or_none(Business.submission_key == self.draft.id)
        return self._business

    def forget_business(self) -> None:
        self.__dict__.pop("_business", None)


def current() -> BusinessVisit | None:
    """Return this browser's business visit, or None (none, expired, or a walk-in's visit)."""
    found = visit.current(BusinessVisit)
    if found is None or found.data.get("flow") != FLOW:
        return None
    return found


def start(kiosk=None) -> BusinessVisit:
    """Begin a fresh business visit, discarding any earlier visit in this browser."""
    started = visit.start(kiosk=kiosk, kind=BusinessVisit)
    started.save("flow", FLOW)
    return started
