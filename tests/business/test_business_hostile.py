"""Hostile input on every business-flow field and in uploaded cells: never a 5xx, never markup, always a
message, nothing saved by a refused request (the hostile suite's Probe and corpus)."""

import io

import pytest
from argon2 import PasswordHasher

from kiosk import accounts
from tests.conftest import TEST_KEYS
from tests.flows import BUSINESS, OWNER, PU_PROGRAM, WORKERS, fill_business, start_business
from tests.hostile.corpus import BY_ID, CORE_IDS
from tests.hostile.probe import Probe

HTMX = {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://localhost/"}
PAYLOADS = [BY_ID[i] for i in CORE_IDS]
NO_LIMIT = "1000000 per minute"

# form name -> (url, the stage the visit must be at, valid fields, statuses after which the draft may change)
FORMS = {
    "business": ("/usaha/data", "business", BUSINESS, (303,)),
    "owner": ("/usaha/pemilik", "owner", OWNER, (303,)),
    "nik_check": ("/usaha/nik", "workers", {"nik": WORKERS[0]["nik"], "for": "worker"}, ()),
    "add_worker": ("/usaha/pekerja/tambah", "workers", WORKERS[0], (303,)),
    "program": ("/usaha/program", "program", PU_PROGRAM, (303,)),
    "quote": ("/usaha/program/hitung", "program", PU_PROGRAM, ()),
    "remove": ("/usaha/pekerja/hapus", "program", {"remove": "1"}, (303,)),
}


@pytest.fixture
def probe(app, monkeypatch):
    app.config.update(STATUS_LIMIT=NO_LIMIT, SUBMIT_LIMIT=NO_LIMIT)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    return Probe(app, secrets=list(TEST_KEYS.values()))


def at_stage(app, stage: str):
    client = app.test_client()
    if stage == "business":
        start_business(client)
    elif stage == "owner":
        start_business(client)
        assert client.post("/usaha/data", data=BUSINESS).status_code == 303
    elif stage == "workers":
        fill_business(client, workers=[])
    else:
        fill_business(client)
    return client


def test_every_business_field(app, probe):
    clients = {stage: at_stage(app, stage) for stage in ("business", "owner", "workers", "program")}
    probe.refresh()
    for name, (url, stage, fields, mutating) in FORMS.items():
        for field in fields:
            for n, payload in enumerate(PAYLOADS):
                probe.send(clients[stage], "POST", url, payloads=[payload],
                           form=list({**fields, field: payload.value}.items()),
                           headers=HTMX if n % 2 else None, label=f"{name}.{field}", mutating=mutating)
        probe.check_page(clients[stage], url.rsplit("/", 1)[0] if name in ("nik_check", "quote") else url)
    probe.check_page(clients["program"], "/usaha/periksa")
    probe.assert_clean()


def test_fixing_a_row_and_get_parameters(app, probe):
    client = at_stage(app, "program")
    probe.refresh()
    for field in ("nik", "full_name", "wage", "job", "row"):
        for n, payload in enumerate(PAYLOADS):
            form = {**WORKERS[1], "row": "2", field: payload.value}
            probe.send(client, "POST", "/usaha/pekerja/ubah", payloads=[payload], form=list(form.items()),
                       headers=HTMX if n % 2 else None, label=f"fix.{field}")
    for payload in PAYLOADS:
        probe.send(client, "GET", "/usaha/pekerja", query=[("ubah", payload.value)], payloads=[payload],
                   label="ubah")
        probe.send(client, "GET", "/usaha/data", query=[("kembali", payload.value)], payloads=[payload],
                   label="kembali")
    probe.check_page(client, "/usaha/pekerja")
    probe.assert_clean()


def test_hostile_cells_in_an_uploaded_list_are_shown_back_escaped(app, probe):
    client = at_stage(app, "workers")
    probe.refresh()
    for payload in PAYLOADS:
        if isinstance(payload.value, bytes):
            continue
        cell = '"' + payload.value.replace('"', '""') + '"'
        for column in range(4):
            cells = [WORKERS[0]["nik"], "Budi Santoso", "2500000", "Kasir"]
            cells[column] = cell
            body = ("NIK,Nama lengkap,Upah per bulan (Rp),Pekerjaan / jabatan\n" + ",".join(cells) + "\n")
            boundary = "kjboundary"
            data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
                    f"Content-Type: text/csv\r\n\r\n").encode() + body.encode("utf-8", "surrogatepass") + \
                f"\r\n--{boundary}--\r\n".encode()
            # An upload keeps its rows (with their problems) in the draft to be fixed: it may change it.
            probe.send(client, "POST", "/usaha/pekerja/unggah", payloads=[payload], body=data,
                       content_type=f"multipart/form-data; boundary={boundary}", label=f"upload.{column}",
                       mutating=(303, 422))
            probe.check_page(client, "/usaha/pekerja", payloads=[payload])
            client.post("/usaha/pekerja/hapus", data={"remove": "all"})
            probe.refresh()
    probe.assert_clean()


def test_a_file_part_named_like_a_field_cannot_pose_as_text(app, probe):
    client = at_stage(app, "workers")
    response = client.post("/usaha/pekerja/unggah", content_type="multipart/form-data",
                           data={"csrf_token": (io.BytesIO(b"x"), "x.txt"),
                                 "file": (io.BytesIO(b"NIK\n"), "x.csv")})
    assert response.status_code < 500
