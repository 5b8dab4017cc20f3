"""50 kiosks registering at once against gunicorn: every registration once, no 5xx, no duplicates.

`make test` runs 50 x 200 = 10,000 walk-ins per engine (KIOSK_LOAD_PER_KIOSK=200, about ten minutes on 2 CPUs);
a bare `pytest` runs 50 x 80 (about four minutes).
Each walk-in is the whole visit over HTTP with CSRF tokens from the pages (about 17 requests), some with a
replayed step, a double tap on Kirim (two connections at once) or Kirim again after the receipt.
"""

import resource

import pytest

from tests.load.conftest import KIOSKS, PER_KIOSK, Stats, check_registrations, engine_line, run_kiosks

pytestmark = pytest.mark.load


def test_many_kiosks_register_at_once(load_db, gunicorn_factory):
    server = gunicorn_factory(load_db).start()
    stats = Stats()
    server_cpu, client_cpu = server.cpu_seconds(), _own_cpu()
    seconds, errors = run_kiosks(server.base, load_db, kiosks=KIOSKS, per_kiosk=PER_KIOSK, stats=stats)
    server_cpu, client_cpu = server.cpu_seconds() - server_cpu, _own_cpu() - client_cpu
    expected = KIOSKS * PER_KIOSK
    result = check_registrations(load_db, stats.receipts)
    print(f"\nload: {engine_line(load_db, server)}")
    print(f"load: {KIOSKS} kiosks x {PER_KIOSK} = {expected:,} walk-ins in {seconds:.1f} s: "
          f"{result['count']:,} registrations ({result['distinct_nik']:,} distinct NIKs), "
          f"{stats.requests:,} requests ({stats.requests / seconds:,.0f}/s, "
          f"{expected / seconds:,.1f} registrations/s), statuses {dict(sorted(stats.by_status.items()))}, "
          f"{len(stats.server_errors)} 5xx, {stats.double_submits} double submits, "
          f"{stats.step_replays} replayed steps")
    print(f"load: CPU seconds: gunicorn {server_cpu:.1f}, load generator {client_cpu:.1f} "
          f"({server_cpu / expected * 1000:.1f} / {client_cpu / expected * 1000:.1f} ms per walk-in)")
    assert not errors, errors[:5]
    assert not stats.server_errors, stats.server_errors[:10]
    assert not stats.unexpected, stats.unexpected[:5]
    assert len(stats.receipts) == expected
    assert result["count"] == expected
    assert result["distinct_nik"] == expected
    assert len({code for code, _t, _n in stats.receipts}) == expected
    assert not result["missing_receipts"], result["missing_receipts"][:10]
    assert not result["problems"], result["problems"][:10]


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
