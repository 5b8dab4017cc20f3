"""How long a business's 500-worker list takes: upload + validate (CSV, XLSX) and the one-transaction save.

    .venv/bin/python bench/business_upload.py                    # SQLite in a temp directory, 500 workers
    .venv/bin/python bench/business_upload.py --workers 1000 --repeat 5
    .venv/bin/python bench/business_upload.py --pg postgresql://postgres@127.0.0.1:5432/postgres

Each figure is one whole request through the Flask test client, as the kiosk sends it (the owner's
visit already has its business and owner steps answered):

- upload CSV / upload XLSX: POST /usaha/pekerja/unggah with the file: read in memory, every row checked
  (NIK, name, wage, job, formulas, duplicates, open applications through the blind index), the checked
  list encrypted into the draft, then the redirect. The list is emptied between the two.
- workers page: GET /usaha/pekerja rendering the 500 rows.
- save: POST /usaha/kirim: the list checked again, contributions quoted, the business and 500 worker
  registrations (NIK encrypted, blind indexes) written in one transaction.
- receipt: GET /usaha/tanda-terima: the business receipt and 500 slips, each with its QR.

Medians of --repeat runs (each run a fresh visit and, for save, fresh NIKs). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUSINESS = {"kind": "umkm", "nib": "9120001122334", "name": "Konveksi Sumber Rejeki", "scale": "kecil",
            "sector": "kerajinan", "address": "Jl. Kebraon Indah 5", "province": "35", "regency": "35.78",
            "district": "35.78.01", "village": "35.78.01.1001"}
OWNER = {"nik": "3578265708850001", "full_name": "Siti Rahayu", "phone": "0813 1111 2222", "email": ""}
GIVEN = ("Agus", "Budi", "Siti", "Dewi", "Eko", "Sri", "Ahmad", "Nur", "Rina", "Wahyu", "Yuli", "Joko")
FAMILY = ("Santoso", "Wibowo", "Rahayu", "Lestari", "Susanto", "Hidayat", "Purnomo", "Setiawan")
JOBS = ("Penjahit", "Kasir", "Sopir", "Gudang", "Admin", "Juru masak")


def worker_rows(count: int, run: int) -> list[tuple[str, str, int, str]]:
    """count valid, distinct workers; each run uses other NIKs (born on another day) so saves never collide."""
    rows = []
    for i in range(count):
        day = 1 + (run % 28)
        female = i % 2 == 1
        nik = f"357801{day + 40 if female else day:02d}0790{1 + i:04d}"
        name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]}"
        rows.append((nik, name, 2_000_000 + 50_000 * (i % 40), JOBS[i % len(JOBS)]))
    return rows


def as_csv(rows) -> bytes:
    from kiosk.services.worker_list import COLUMNS

    lines = [",".join(COLUMNS)] + [f"{nik},{name},{wage},{job}" for nik, name, wage, job in rows]
    return "\n".join(lines).encode("utf-8")


def as_xlsx(rows) -> bytes:
    from openpyxl import load_workbook

    from kiosk.services.worker_list import template_xlsx

    workbook = load_workbook(io.BytesIO(template_xlsx()))  # the template the kiosk hands out (NIK as text)
    sheet = workbook["Pekerja"]
    for nik, name, wage, job in rows:
        sheet.append([nik, name, wage, job])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def make_app(database_url: str, instance: Path):
    from cryptography.fernet import Fernet

    from kiosk import create_app

    os.environ["KIOSK_INSTANCE_PATH"] = str(instance)
    keys = {"SECRET_KEY": secrets.token_hex(16), "DATA_KEYS": Fernet.generate_key().decode(),
            "INDEX_KEY": secrets.token_hex(16)}
    return create_app({"DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "DRAFT_MAX_IDLE_SECONDS": 3600, "TESTING": True, **keys})


def prepare(app) -> None:
    from kiosk import regions
    from kiosk.cli import migrate_database
    from kiosk.db import db

    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        db.close()


def business_visit(client) -> None:
    client.post("/usaha")
    client.post("/usaha/persetujuan", data={"agree": "yes"})
    for url, data in (("/usaha/data", BUSINESS), ("/usaha/pemilik", OWNER)):
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.status_code)


def upload(client, body: bytes, name: str):
    response = client.post("/usaha/pekerja/unggah", data={"file": (io.BytesIO(body), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.data.decode()[:2000]


def one_run(app, workers: int, run: int) -> dict:
    rows = worker_rows(workers, run)
    csv_body, xlsx_body = as_csv(rows), as_xlsx(rows)
    client = app.test_client()
    business_visit(client)
    figures = {"csv_bytes": len(csv_body), "xlsx_bytes": len(xlsx_body)}
    figures["upload_csv"], _ = timed(lambda: upload(client, csv_body, "pekerja.csv"))
    client.post("/usaha/pekerja/hapus", data={"remove": "all"})
    figures["upload_xlsx"], _ = timed(lambda: upload(client, xlsx_body, "pekerja.xlsx"))
    figures["workers_page"], page = timed(lambda: client.get("/usaha/pekerja"))
    assert f"{workers} pekerja siap didaftarkan" in page.data.decode()
    assert client.post("/usaha/pekerja", data={}).status_code == 303
    assert client.post("/usaha/program", data={"scale": "kecil", "risk_group": "2"}).status_code == 303
    figures["save"], saved = timed(lambda: client.post("/usaha/kirim"))
    assert saved.status_code == 303 and saved.location.endswith("/usaha/tanda-terima"), saved.data[:2000]
    figures["receipt"], receipt = timed(lambda: client.get("/usaha/tanda-terima"))
    figures["receipt_bytes"] = len(receipt.data)
    client.post("/selesai")
    return figures


def postgres_database(admin_url: str):
    import psycopg2

    name = "kiosk_bench_business_" + secrets.token_hex(4)
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    conn.close()
    parts = urlsplit(admin_url)

    def drop():
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment)), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", metavar="ADMIN_URL", help="run on a fresh PostgreSQL database made with this URL")
    parser.add_argument("--json", type=Path, help="also write the medians here (bench/suite.py reads them)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-business-") as tmp:
        drop = None
        if args.pg:
            url, drop = postgres_database(args.pg)
            engine = "PostgreSQL"
        else:
            url, engine = f"sqlite:///{Path(tmp) / 'kiosk.db'}", "SQLite"
        try:
            app = make_app(url, Path(tmp) / "instance")
            prepare(app)
            one_run(app, min(args.workers, 20), run=27)  # warm-up: imports, templates, caches
            runs = [one_run(app, args.workers, run) for run in range(args.repeat)]
        finally:
            from kiosk.db import db

            if db.obj is not None and not db.is_closed():
                db.close()
            if drop:
                drop()

    def median(key):
        return statistics.median(run[key] for run in runs)

    print(f"Business worker list, {args.workers} workers, {engine}, median of {args.repeat} runs "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"  upload + validate CSV   {median('upload_csv'):6.2f} s   ({runs[0]['csv_bytes'] / 1000:.0f} kB)")
    print(f"  upload + validate XLSX  {median('upload_xlsx'):6.2f} s   ({runs[0]['xlsx_bytes'] / 1000:.0f} kB)")
    print(f"  workers page            {median('workers_page'):6.2f} s")
    print(f"  save (one transaction)  {median('save'):6.2f} s")
    print(f"  receipt + {args.workers} QR slips  {median('receipt'):6.2f} s   "
          f"({runs[0]['receipt_bytes'] / 1000:.0f} kB)")
    if args.json:
        keys = ("upload_csv", "upload_xlsx", "workers_page", "save", "receipt")
        args.json.write_text(json.dumps({
            "engine": engine, "workers": args.workers, "repeat": args.repeat,
            **{key: median(key) for key in keys},
            **{key: runs[0][key] for key in ("csv_bytes", "xlsx_bytes", "receipt_bytes")}}))


if __name__ == "__main__":
    main()
