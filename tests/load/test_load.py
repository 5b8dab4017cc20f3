"""50 kiosks registering at once against gunicorn: every registration once, no 5xx, no duplicates.

`make test` and a bare `pytest` run 50 x 80 = 4,000 walk-ins per engine; `make bench` runs the full
50 x 200 = 10,000 (KIOSK_LOAD_PER_KIOSK=200).
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
    server_cpu, client_cpu, before = server.cpu_seconds(), _own_cpu(), server.worker_cpu_seconds()
    seconds, errors = run_kiosks(server.base, load_db, kiosks=KIOSKS, per_kiosk=PER_KIOSK, stats=stats)
    server_cpu, client_cpu = server.cpu_seconds() - server_cpu, _own_cpu() - client_cpu
    after = server.worker_cpu_seconds()
    per_worker = sorted((after[pid] - before.get(pid, 0.0) for pid in after), reverse=True)
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
    print("load: CPU seconds per gunicorn worker: " + ", ".join(f"{cpu:.1f}" for cpu in per_worker)
          + f" (busiest {per_worker[0] / sum(per_worker):.0%} of the workers' CPU)")
    assert not errors, errors[:5]
    # Kiosks keep their connections alive: every worker must get its share of them, not one worker all.
    if len(per_worker) > 1:
        assert per_worker[0] / sum(per_worker) < 2 / 3, per_worker
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
