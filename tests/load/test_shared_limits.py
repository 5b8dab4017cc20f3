"""A limit holds across gunicorn's workers: failures are counted once for the whole server, whichever
worker answers, in the default store (the database) and in Redis."""

import pytest

from tests.flows import VALID_NIK
from tests.load.conftest import Kiosk, Stats, redis_url

pytestmark = pytest.mark.load


@pytest.mark.parametrize("store", ["kiosk-db://", "redis"])
def test_wrong_reprints_are_counted_once_for_all_workers(load_db, gunicorn_factory, store):
    if store == "redis":
        store = redis_url()
        if store is None:
            pytest.skip("!! no Redis on 127.0.0.1:6379: the Redis store is not checked here")
    server = gunicorn_factory(load_db, RATELIMIT_STORAGE_URI=store).start()
    stats, codes = Stats(), []
    for n in range(12):  # a new connection and a new visitor every time: the kernel spreads them over the workers
        kiosk = Kiosk(server.base, stats)
        kiosk.get("/cek")
        status, _location, _text = kiosk.request("POST", "/cek", data={
            "csrf_token": kiosk.csrf, "nik": VALID_NIK, "mother_name": f"Tebakan {n}"})
        codes.append(status)
        kiosk.close()
    workers = server.worker_cpu_seconds()
    print(f"\nshared limits ({store.split(':')[0]}, {len(workers)} workers): {codes}")
    assert codes == [422] * 5 + [429] * 7
