"""The NIK-is-registered oracle (pentest finding 4): the NIK typed is only read and explained as it is
typed; "already registered" is said once a step is submitted, rationed per kiosk/IP and per visit; public
pages show the last 4 digits only."""

import re
import secrets

import pytest

from kiosk.models import Draft
from tests.factories import make_business, worker_nik
from tests.flows import IDENTITY, WORKERS, fill_business, start_business, start_visit

# Six open applications (workers of a business), each with an unregistered twin: same region, birth date
# and sex, another serial, so everything the NIK itself says is the same.
REGISTERED = [worker_nik(101 + i, female=i % 2 == 0) for i in range(6)]
TWINS = [worker_nik(901 + i, female=i % 2 == 0) for i in range(6)]


@pytest.fixture
def registered(app):
    make_business(app, workers=[(f"Pekerja {chr(65 + i)}", 2_500_000, "Kasir", i % 2 == 0) for i in range(6)])
    return REGISTERED


def stranger(app):
    """A client with a made-up kiosk cookie, as an attacker would send."""
    client = app.test_client()
    client.set_cookie("kiosk", secrets.token_urlsafe(24))
    return client


def body(response) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.data.decode())


# --- as it is typed: never a lookup ---------------------------------------------------------------------

@pytest.mark.parametrize("url, extra, start", [
    ("/daftar/identitas/nik", {}, start_visit),
    ("/usaha/nik", {"for": "worker"}, lambda client: client.post("/usaha")),  # right after POST /usaha
    ("/usaha/nik", {"for": "owner"}, start_business),
])
def test_thirty_as_you_type_checks_answer_alike_for_registered_and_unregistered_niks(app, registered, url,
                                                                                     extra, start):
    client = app.test_client()
    start(client)
    answers = {}
    for n in range(30):
        nik = (REGISTERED if n % 2 else TWINS)[n // 2 % 6]
        response = client.post(url, data={"nik": nik, **extra})
        answers.setdefault(n // 2 % 6, set()).add((response.status_code, body(response)))
        assert "sudah terdaftar" not in response.data.decode() and "/cek" not in response.data.decode()
    # A registered NIK and its twin get the very same answer, every time.
    assert all(len(pair) == 1 for pair in answers.values()), answers


# --- on submit: said, and rationed per visit ------------------------------------------------------------

def post_identity(client, nik):
    return client.post("/daftar/identitas", data={**IDENTITY, "nik": nik})


def test_the_identity_step_says_registered_on_submit(app, registered):
    client = app.test_client()
    start_visit(client)
    taken = post_identity(client, REGISTERED[1])
    assert taken.status_code == 422 and "sudah terdaftar" in taken.data.decode() and "/cek" in taken.data.decode()
    for _ in range(5):  # the same NIK again is nothing new
        assert post_identity(client, REGISTERED[1]).status_code == 422
    assert post_identity(client, TWINS[1]).status_code == 303


def test_a_step_with_other_errors_asks_nothing(app, registered):
    app.config["NIK_LOOKUP_LIMIT"] = "1 per hour"
    client = app.test_client()
    start_visit(client)
    wrong = client.post("/daftar/identitas", data={**IDENTITY, "nik": REGISTERED[0], "full_name": "-Budi"})
    assert wrong.status_code == 422 and "sudah terdaftar" not in wrong.data.decode()
    assert post_identity(client, TWINS[0]).status_code == 303  # the one lookup was still there


def test_a_walk_in_visit_ends_at_the_third_registered_nik(app, registered):
    client = app.test_client()
    start_visit(client)
    assert [post_identity(client, nik).status_code for nik in REGISTERED[:2]] == [422, 422]
    ended = post_identity(client, REGISTERED[2])
    html = ended.data.decode()
    assert ended.status_code == 429 and "Mulai lagi dari awal" in html and "sudah terdaftar" in html
    assert Draft.select().count() == 0  # the visit and its answers are gone
    assert client.get("/daftar/identitas").location.endswith("/")
    assert post_identity(client, REGISTERED[3]).status_code == 303  # no visit: to Welcome, nothing asked


def test_the_visit_limit_is_a_setting_and_speaks_english(app, registered, htmx_headers):
    app.config["TAKEN_NIKS_PER_VISIT"] = 1
    client = app.test_client()
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    start_visit(client)
    ended = client.post("/daftar/identitas", data={**IDENTITY, "nik": REGISTERED[0]}, headers=htmx_headers)
    assert ended.status_code == 200 and "Start again" in ended.data.decode()  # swapped into #screen


def test_a_worker_list_flags_registered_workers_and_keeps_the_visit(app, registered):
    """A koperasi's members may well be enrolled already: each is flagged on its row, the visit goes on
    (the lookups still cost one per new worker from the kiosk/IP's budget)."""
    client = app.test_client()
    fill_business(client, workers=[])
    for nik in REGISTERED[:3]:
        assert client.post("/usaha/pekerja/tambah", data={**WORKERS[0], "nik": nik}).status_code == 303
    drafts = Draft.select().count()
    flagged = client.post("/usaha/pekerja", data={})
    assert flagged.status_code == 422 and "Mulai lagi dari awal" not in flagged.data.decode()
    assert Draft.select().count() == drafts


# --- per kiosk/IP ---------------------------------------------------------------------------------------

def test_lookups_are_limited_per_client_whatever_the_cookie(app, registered):
    app.config["NIK_LOOKUP_LIMIT"] = "5 per hour"
    answers = []
    for nik in [*TWINS[:5], REGISTERED[0]]:  # a new visit and a made-up cookie for every try
        client = stranger(app)
        start_visit(client)
        answers.append(post_identity(client, nik))
    assert [a.status_code for a in answers] == [303] * 5 + [429]
    refused = answers[-1].data.decode()
    assert "Terlalu banyak NIK diperiksa" in refused and "sudah terdaftar" not in refused  # nothing was asked


def test_a_worker_list_costs_one_lookup_per_new_worker(app, registered):
    app.config["NIK_LOOKUP_LIMIT"] = "4 per hour"
    client = app.test_client()
    fill_business(client, workers=[])
    for serial in range(3):
        client.post("/usaha/pekerja/tambah", data={**WORKERS[0], "nik": worker_nik(2001 + serial)})
    assert client.post("/usaha/pekerja", data={}).status_code == 303  # 3 of 4 spent
    client.get("/usaha/pekerja")
    for serial in range(3, 5):
        client.post("/usaha/pekerja/tambah", data={**WORKERS[0], "nik": worker_nik(2001 + serial)})
    refused = client.post("/usaha/pekerja", data={})  # 2 new ones do not fit in the 1 left: nothing asked
    assert refused.status_code == 429 and "Terlalu banyak NIK diperiksa" in refused.data.decode()
    client.post("/usaha/pekerja/hapus", data={"remove": str(5)})
    # the known three cost nothing, the new one the last
    assert client.post("/usaha/pekerja", data={}).status_code == 303
