"""Rate-limit counters in the app's own database: a `limits` storage (scheme `kiosk-db://`) that every
gunicorn worker and every app server on the same database shares, for servers without Redis.

Fixed windows only (Flask-Limiter's default strategy): one row per key with its count and the moment its
window ends. An increment is one upsert, so two workers counting at once never lose a hit.
"""

import time

import peewee
from limits.storage import Storage
from peewee import CharField, DoubleField, IntegerField, fn

from kiosk.db import db
from kiosk.models import BaseModel


class RateCounter(BaseModel):
    key = CharField(max_length=255, primary_key=True)
    count = IntegerField()
    # Unix time: the window's end. Double precision: PostgreSQL's REAL (peewee's FloatField) rounds today's
    # Unix time to 128 s, which ended windows before they began.
    expires_at = DoubleField(index=True)

    class Meta:
        table_name = "rate_counter"


class _Connection:
    """Use the request's connection, or open one for the call (a CLI command, a test's reset)."""

    def __enter__(self):
        self.opened = db.connect(reuse_if_open=True)

    def __exit__(self, *exc):
        if self.opened:
            db.close()


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["kiosk-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return peewee.DatabaseError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        expired = RateCounter.expires_at <= now
        with _Connection():
            query = (RateCounter
                     .insert(key=key, count=amount, expires_at=now + expiry)
                     .on_conflict(conflict_target=[RateCounter.key],
                                  update={RateCounter.count: peewee.Case(None, ((expired, amount),),
                                                                         RateCounter.count + amount),
                                          RateCounter.expires_at: peewee.Case(None, ((expired, now + expiry),),
                                                                              RateCounter.expires_at)})
                     .returning(RateCounter.count)
                     .tuples())
            return next(iter(query.execute()))[0]

    def get(self, key: str) -> int:
        with _Connection():
            row = RateCounter.get_or_none((RateCounter.key == key) & (RateCounter.expires_at > time.time()))
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        with _Connection():
            row = RateCounter.get_or_none(RateCounter.key == key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with _Connection():
                RateCounter.select(fn.COUNT(RateCounter.key)).scalar()
            return True
        except peewee.DatabaseError:
            return False

    def reset(self) -> int | None:
        with _Connection():
            return RateCounter.delete().execute()

    def clear(self, key: str) -> None:
        with _Connection():
            RateCounter.delete().where(RateCounter.key == key).execute()


def purge_expired() -> int:
    """Delete the counters whose window has ended (they name client addresses); return how many went."""
    with _Connection():
        return RateCounter.delete().where(RateCounter.expires_at <= time.time()).execute()
