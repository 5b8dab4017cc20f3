"""Fixtures of the hostile-input suite: the test app with abuse limits raised (so hundreds of
rejected requests keep reaching the validators instead of the rate limiter) and cheap password
hashing (argon2 at its minimum cost: sign-in attempts are the bulk of the staff-login probes)."""

import pytest
from argon2 import PasswordHasher

from kiosk import accounts
from tests.conftest import TEST_KEYS
from tests.hostile.probe import STATS, Probe

NO_LIMIT = "1000000 per minute"


@pytest.fixture
def hostile_app(app, monkeypatch):
    app.config.update(REPRINT_FAILURE_LIMIT=NO_LIMIT, LOGIN_FAILURE_LIMIT=NO_LIMIT, STATUS_LIMIT=NO_LIMIT,
                      SUBMIT_LIMIT=NO_LIMIT, VISIT_START_LIMIT=NO_LIMIT, NIK_LOOKUP_LIMIT=NO_LIMIT,
                      REPRINT_NIK_FAILURE_LIMIT=NO_LIMIT, REPRINT_FAILURE_CEILING=NO_LIMIT,
                      STAFF_LOCK_AFTER_FAILURES=1_000_000)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    return app


@pytest.fixture
def probe(hostile_app):
    return Probe(hostile_app, secrets=list(TEST_KEYS.values()))


@pytest.fixture
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def pytest_terminal_summary(terminalreporter):
    if STATS["requests"] or STATS["fuzz_requests"]:
        terminalreporter.write_line(
            f"hostile inputs: {STATS['requests']} checked requests, {len(STATS['payloads'])} distinct corpus "
            f"entries sent; {STATS['fuzz_requests']} hypothesis-generated form posts")
