"""The database's rate-limit counters (kiosk-db://) keep a window as long as the limit says, on either engine:
a window that ended early would let a guesser start over (seen on PostgreSQL when the window's end was a REAL)."""

import time

from kiosk.ratestore import DatabaseStorage


def test_a_one_minute_window_ends_one_minute_after_its_first_hit(app):
    storage = DatabaseStorage()
    with app.app_context():
        before = time.time()
        storage.incr("test/window", expiry=60)
        after = time.time()
        assert before + 60 - 0.01 <= storage.get_expiry("test/window") <= after + 60 + 0.01


def test_hits_inside_a_window_add_up_and_a_new_window_starts_from_one(app):
    storage = DatabaseStorage()
    with app.app_context():
        assert [storage.incr("test/count", expiry=60) for _ in range(7)] == [1, 2, 3, 4, 5, 6, 7]
        assert storage.get("test/count") == 7
        assert storage.incr("test/short", expiry=1) == 1
        time.sleep(1.05)
        assert storage.get("test/short") == 0
        assert storage.incr("test/short", expiry=1) == 1
