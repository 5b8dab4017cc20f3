"""Benchmark the staff export (CSV and XLSX) on a generated SQLite database.

    .venv/bin/python bench/export_bench.py --rows 100000
    .venv/bin/python bench/export_bench.py --rows 1000000

Fills a temporary database with N realistic registrations (valid NIKs from real Jawa Timur
districts and birth dates, personal fields encrypted with the real DataVault), then times
GET /staff/ekspor.csv and /staff/ekspor.xlsx through the Flask test client, consuming the
streamed body without keeping it. Each measurement runs in a fresh child process so its peak
RSS (ru_maxrss) belongs to that export alone; a second, separate pass under tracemalloc gives
the peak of Python allocations during the export call (tracemalloc slows Python down, so that
pass is not the one timed). A bare Flask hello-world endpoint is timed in the same run as the
yardstick. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.procfs import rss_now_kib  # noqa: E402

PASSWORD = "bench-sandi-12345"
FIRST = ("Agus", "Budi", "Siti", "Dewi", "Eko", "Sri", "Moh.", "Ahmad", "Nur", "Rina", "Wahyu", "Yuli",
         "Bambang", "Endang", "Slamet", "Sutrisno", "Lilik", "Didik", "Heru", "Tri", "Dwi", "Anik", "Rudi", "Lestari")
LAST = ("Santoso", "Wibowo", "Rahayu", "Lestari", "Susanto", "Hidayat", "Syafi'i", "Purnomo", "Wati",
        "Setiawan", "Kurniawan", "Handayani", "Prasetyo", "Saputra", "Aminah", "Fauzi", "Rohman", "")
STREETS = ("Kebraon Indah", "Raya Darmo", "Ngagel Jaya", "Kenjeran", "Pasar Turi", "Sidosermo", "Wonokromo",
           "Rungkut Madya", "Ketintang Baru", "Jemursari", "Mojopahit", "Diponegoro", "Ahmad Yani")
OPERATORS = ("811", "812", "813", "821", "822", "852", "853", "855", "856", "857", "858", "877", "878",
             "881", "895", "896")
STATUSES = (("submitted", 60), ("verified", 20), ("active", 10), ("needs_fix", 7), ("rejected", 3))
INCOMES = (1_000_000, 1_200_000, 1_500_000, 1_800_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000)


def make_app(workdir: Path, keys: dict):
    os.environ["KIOSK_INSTANCE_PATH"] = str(workdir / "instance")
    from kiosk import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "TESTING": True,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, **keys})


def signed_in_client(app):
    """A test client signed in as the bench supervisor through Flask-Login's session, not the login
    form: argon2 allocates 64 MiB per password check, which would be the process's peak RSS."""
    from kiosk import accounts
    from kiosk.models import StaffUser

    with app.app_context():
        user = StaffUser.get(StaffUser.username == "bench-supervisor")
        session_id = accounts.start_session(user, lifetime=dt.timedelta(hours=app.config["STAFF_SESSION_MAX_HOURS"]))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id  # a server-side session (kiosk.accounts)
        session["_fresh"] = True
    response = client.get("/staff/antrian?status=rejected")
    assert response.status_code == 200, (response.status_code, response.location)
    return client


# --- fill ------------------------------------------------------------------------------------------

def fill(workdir: Path, keys: dict, rows: int, batch: int) -> dict:
    from kiosk import accounts, regions
    from kiosk.cli import migrate_database
    from kiosk.crypto import vault
    from kiosk.db import db
    from kiosk.models import Event, Kiosk, Region, Registration
    from kiosk.occupations import OCCUPATIONS
    from kiosk.registrations import seal_personal
    from kiosk.services.contributions import quote_bpu
    from kiosk.services.nik import mask_nik
    from kiosk.services.rules import load_rules

    app = make_app(workdir, keys)
    started = time.perf_counter()
    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        accounts.create_user("bench-supervisor", "Bench Supervisor", "supervisor", PASSWORD)
        villages = [code for (code,) in Region.select(Region.code).where(
            Region.level == Region.VILLAGE, Region.code.startswith("35.")).tuples()]
        regencies = [code for (code,) in Region.select(Region.code).where(
            Region.level == Region.REGENCY, Region.code.startswith("35.")).tuples()]
        kiosks = [Kiosk.create(name=f"Kios {name}", place=name, regency_code=random.choice(regencies)).id
                  for name in ("Dinas Koperasi", "Pasar Turi", "Pasar Wonokromo", "Terminal Bungurasih",
                               "Balai Kota Malang", "Pasar Besar Madiun", "Alun-alun Jember", "Pasar Legi Blitar")]
        events = [Event.create(name=f"Sosialisasi Jamsos {i + 1}", place="Balai desa",
                               starts_on=dt.date(2026, 1 + i, 1), ends_on=dt.date(2026, 1 + i, 3)).id for i in range(6)]
        rules, quotes = load_rules(), {}
        vlt = vault()
        seen: set[int] = set()
        now = dt.datetime(2026, 11, 1, 3, 0)
        span = dt.timedelta(days=365) / max(rows, 1)
        status_pool = [s for s, weight in STATUSES for _ in range(weight)]
        mother_hash = vlt.blind_index("mother", "sitiaminah")
        done = 0
        while done < rows:
            chunk = []
            for i in range(done, min(done + batch, rows)):
                village = random.choice(villages)
                district, regency, province = village[:8], village[:5], village[:2]
                born = dt.date(1950, 1, 1) + dt.timedelta(days=random.randrange(21000))
                female = random.random() < 0.5
                while True:
                    nik = (district.replace(".", "") + f"{born.day + (40 if female else 0):02d}{born.month:02d}"
                           f"{born.year % 100:02d}{random.randrange(1, 10000):04d}")
                    if int(nik) not in seen:
                        seen.add(int(nik))
                        break
                phone = "+62" + random.choice(OPERATORS) + f"{random.randrange(10**7, 10**8)}"
                occupation = random.choice(OCCUPATIONS)
                income, jht, period = random.choice(INCOMES), random.random() < 0.5, random.choice((1, 3, 6, 12))
                key = (income, jht, period, occupation.transport)
                if key not in quotes:
                    quote = quote_bpu(income, jht=jht, period_months=period, start=dt.date(2026, 11, 1),
                                      transport=occupation.transport, rules=rules)
                    quotes[key] = (quote.monthly.total, quote.period_total, quote.rules_valid_from)
                monthly, total, valid_from = quotes[key]
                status = random.choice(status_pool)
                created = now - dt.timedelta(days=365) + span * i
                name = f"{random.choice(FIRST)} {random.choice(LAST)}".strip()
                chunk.append({
                    "token": secrets.token_urlsafe(16), "receipt_code": f"KJ-{i // 10000:04d}-{i % 10000:04d}",
                    "submission_key": secrets.token_hex(16),
                    "nik_enc": vlt.encrypt(nik), "nik_hash": vlt.blind_index("nik", nik), "nik_masked": mask_nik(nik),
                    "nik_district_known": True, "full_name": name,
                    "personal_enc": seal_personal(
                        birth_place=random.choice(("Surabaya", "Malang", "Kediri", "Jember", "Madiun")),
                        birth_date=born, nik_birth_date=born,
                        email=f"{name.split()[0].lower().rstrip('.')}{i}@contoh.id" if random.random() < 0.3 else None,
                        address=(f"Jl. {random.choice(STREETS)} {random.randrange(1, 200)}, "
                                 f"RT {random.randrange(1, 15):02d}/RW {random.randrange(1, 10):02d}")),
                    "sex": "P" if female else "L", "mother_name_hash": mother_hash,
                    "phone_enc": vlt.encrypt(phone), "phone_hash": vlt.blind_index("phone", phone),
                    "village_code": village, "district_code": district, "regency_code": regency,
                    "province_code": province,
                    "occupation": occupation.code, "occupation_transport": occupation.transport,
                    "work_regency_code": regency if random.random() < 0.8 else random.choice(regencies),
                    "monthly_income": income, "jht": jht, "period_months": period,
                    "monthly_contribution": monthly, "period_contribution": total, "rules_valid_from": valid_from,
                    "consent_version": "2026-11-01", "consent_at": created, "status": status,
                    "kpj": f"{26000000000 + i}" if status == "active" else None,
                    "kiosk": random.choice(kiosks) if random.random() < 0.8 else None,
                    "event": random.choice(events) if random.random() < 0.2 else None,
                    "channel": "kiosk", "locale": "id", "created_at": created, "updated_at": created, "version": 1,
                })
            with db.atomic():
                # SQLite allows 32766 parameters per statement: ~45 columns -> 500 rows per INSERT.
                for start in range(0, len(chunk), 500):
                    Registration.insert_many(chunk[start:start + 500]).execute()
            done += len(chunk)
            print(f"\r  filled {done:,}/{rows:,}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        db.execute_sql("ANALYZE")
        db.close()
    return {"fill_seconds": time.perf_counter() - started,
            "db_bytes": (workdir / "bench.db").stat().st_size}


# --- measure ---------------------------------------------------------------------------------------

def measure(workdir: Path, keys: dict, fmt: str, url: str, trace: bool) -> dict:
    app = make_app(workdir, keys)
    client = signed_in_client(app)
    rss_before = rss_now_kib()

    def run():
        nbytes = lines = 0
        tail = b""
        first = None
        t0 = time.perf_counter()
        response = client.get(url, buffered=False)
        assert response.status_code == 200, response.status_code
        for chunk in response.response:
            if not chunk:
                continue
            if first is None:
                first = time.perf_counter() - t0
            nbytes += len(chunk)
            lines += chunk.count(b"\r\n")
            tail = (tail + chunk)[-64:]
        response.close()
        return time.perf_counter() - t0, first or 0.0, nbytes, lines, tail

    seconds, ttfb, nbytes, lines, tail = run()
    result = {"format": fmt, "seconds": seconds, "ttfb": ttfb, "bytes": nbytes,
              "rss_before_kib": rss_before, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    if fmt == "csv":
        result["data_rows"] = lines - 1
    else:
        result["complete_zip"] = b"PK\x05\x06" in tail
    if trace:
        tracemalloc.start()
        traced_seconds, *_ = run()
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        result["traced_seconds"] = traced_seconds
        tracemalloc.stop()
    return result


def baseline(workdir: Path, keys: dict, rows: int) -> dict:
    """A bare Flask hello-world request, plus the desk's own queue and search pages at this size."""
    from flask import Flask

    bare = Flask("bare")
    bare.add_url_rule("/", "hello", lambda: "Hello, World!")
    bare_client = bare.test_client()
    for _ in range(200):
        bare_client.get("/")
    n = 3000
    t0 = time.perf_counter()
    for _ in range(n):
        bare_client.get("/")
    hello = (time.perf_counter() - t0) / n

    app = make_app(workdir, keys)
    client = signed_in_client(app)
    pages = {}
    for label, url in (("queue page 1", "/staff/antrian"),
                       ("queue, status=verified", "/staff/antrian?status=verified"),
                       ("queue htmx fragment, page 100", "/staff/antrian?page=100"),
                       ("search NIK (exact)", "/staff/cari?q=3578011708850003"),
                       ("search name (contains)", "/staff/cari?q=santo")):
        headers = {"HX-Request": "true", "HX-Target": "queue-results"} if "htmx" in label else {}
        client.get(url, headers=headers)  # warm
        t0 = time.perf_counter()
        for _ in range(3):
            assert client.get(url, headers=headers).status_code == 200
        pages[label] = (time.perf_counter() - t0) / 3
    return {"hello_seconds": hello, "pages": pages}


# --- driver ----------------------------------------------------------------------------------------

def child(args, phase: str, **extra) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--workdir", str(args.workdir),
               "--rows", str(args.rows), "--batch", str(args.batch)]
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    if args.no_trace:
        command.append("--no-trace")
    command += ["--trace-xlsx-max", str(args.trace_xlsx_max)]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000, help="rows per fill transaction")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--trace-xlsx-max", type=int, default=100_000,
                        help="skip the (slow) tracemalloc pass of the XLSX export above this many rows")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--phase", choices=("fill", "csv", "xlsx", "baseline"), default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # child process: one job, JSON on the last stdout line
        keys = json.loads((args.workdir / "keys.json").read_text())
        if args.phase == "fill":
            result = fill(args.workdir, keys, args.rows, args.batch)
        elif args.phase == "baseline":
            result = baseline(args.workdir, keys, args.rows)
        else:
            trace = not args.no_trace and (args.phase == "csv" or args.rows <= args.trace_xlsx_max)
            result = measure(args.workdir, keys, args.phase, f"/staff/ekspor.{args.phase}", trace=trace)
        print(json.dumps(result))
        return

    from cryptography.fernet import Fernet

    args.workdir = Path(tempfile.mkdtemp(prefix="kios-bench-"))
    (args.workdir / "keys.json").write_text(json.dumps({
        "SECRET_KEY": secrets.token_hex(16), "DATA_KEYS": Fernet.generate_key().decode(),
        "INDEX_KEY": secrets.token_hex(16)}))
    try:
        print(f"Filling {args.rows:,} registrations into {args.workdir / 'bench.db'} ...", file=sys.stderr)
        filled = child(args, "fill")
        print(f"  {filled['fill_seconds']:.1f} s, database {filled['db_bytes'] / 2**20:,.0f} MiB", file=sys.stderr)
        base = child(args, "baseline")
        results = [child(args, "csv"), child(args, "xlsx")]
    finally:
        if not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)

    hello = base["hello_seconds"]
    print()
    print(f"rows: {args.rows:,}   fill: {filled['fill_seconds']:.1f} s   "
          f"database: {filled['db_bytes'] / 2**20:,.0f} MiB")
    print(f"baseline: bare Flask hello-world request {hello * 1e6:,.0f} µs (test client, same run)")
    print()
    header = (f"{'format':<6} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'1st byte':>9} {'size':>9} "
              f"{'RSS before':>11} {'peak RSS':>9} {'tracemalloc':>12} {'row / hello':>11}")
    print(header)
    print("-" * len(header))
    for r in results:
        rows_out = r.get("data_rows", args.rows)
        peak = f"{r['tracemalloc_peak_bytes'] / 2**20:,.1f} MiB" if "tracemalloc_peak_bytes" in r else "-"
        print(f"{r['format']:<6} {rows_out:>10,} {r['seconds']:>8.1f} {args.rows / r['seconds']:>9,.0f} "
              f"{r['ttfb']:>8.1f}s {r['bytes'] / 2**20:>5,.0f} MiB {mib(r['rss_before_kib']):>11} "
              f"{mib(r['maxrss_kib']):>9} {peak:>12} {r['seconds'] / args.rows / hello:>10.2f}x")
    print()
    for r in results:
        bare_requests = r["seconds"] / hello
        print(f"{r['format']}: the whole export costs as much as {bare_requests:,.0f} bare Flask requests; "
              f"one row {r['seconds'] / args.rows / hello:.2f} of one."
              + (f" CSV rows counted in the body: {r['data_rows']:,}." if "data_rows" in r else "")
              + (f" Complete zip: {r['complete_zip']}." if "complete_zip" in r else "")
              + (f" (tracemalloc pass {r['traced_seconds']:.1f} s)" if "traced_seconds" in r else ""))
    print()
    print("desk pages at this size (mean of 3, after one warm-up):")
    for label, seconds in base["pages"].items():
        print(f"  {label:<32} {seconds * 1000:8.1f} ms  ({seconds / hello:,.0f}x hello)")


if __name__ == "__main__":
    main()
