"""The benchmark suite behind `make bench`: measures, prints, and writes docs/benchmarks.md.

    .venv/bin/python bench/suite.py                               # everything, sizes 10k,100k,1M
    .venv/bin/python bench/suite.py --sizes 10000,100000          # quicker
    .venv/bin/python bench/suite.py --engines sqlite --only http  # one part

Parts (each engine: SQLite in a temp directory, PostgreSQL in a fresh database that is dropped after,
when a server answers on KIOSK_BENCH_PG_ADMIN_URL / KIOSK_TEST_PG_ADMIN_URL / 127.0.0.1:5432):

- http:   throughput and p50/p99 latency on gunicorn (gunicorn.conf.py, the same workers and threads for
          every target, in the same run) of a bare Flask hello-world app (the ceiling), the status page,
          a registration submit (POST /daftar/kirim + GET /tanda-terima: validation, encryption, the
          write, the receipt with its QR) and the staff NIK search; with the Python load generator for
          all four and wrk for the single-URL ones. Database: the first size.
- scale:  the database filled to each size; status lookup, NIK search, name searches, queue pages
          (Flask test client, in-process: the database's share, without HTTP) and a CSV export of
          everything (its own process: time and peak RSS).
- qr:     one receipt QR as SVG with qrcode (what the kiosk used) and with segno, decode-checked with
          zxing-cpp (rendered by Chromium when Playwright can start it, else from the module matrix).
- weight: the page weights printed by tests/browser/test_page_weight.py, when the browser tests run.
- business: a business's 500-worker list uploaded (CSV, XLSX) and checked, saved, its receipt printed
          (bench/business_upload.py, each engine).

Timings are medians of what was measured in this run on this machine; nothing here is asserted.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.procfs import rss_now_kib  # noqa: E402

PASSWORD = "bench-sandi-12345"
NAME_QUERIES = (  # (label, query): what a desk types; the benchmark data draws names from bench/datagen.py
    ("common given name", "siti"),
    ("given + family", "budi santoso"),
    ("family name (word start)", "wibowo"),
    ("inside a word", "ntoso"),
    ("rare given name", "zulaikha"),
    ("two letters", "an"),
    ("no match", "qwertyuiop"),
)
SCALE_REPEAT = {"status": 300, "nik": 300, "name": 15, "queue": 20}


# --- helpers --------------------------------------------------------------------------------------------

def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / 2**20:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    import sqlite3

    return {"cpus": os.cpu_count(), "model": model, "python": platform.python_version(), "memory": mem,
            "sqlite": sqlite3.sqlite_version, "os": platform.platform(terse=True),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def caption(info: dict, extra: str = "") -> str:
    text = (f"*{info['cpus']} CPUs ({info['model'] or 'unknown CPU'}), {info['memory']}, Python {info['python']}, "
            f"SQLite {info['sqlite']}")
    if info.get("postgres"):
        text += f", PostgreSQL {info['postgres']}"
    return text + (f"; {extra}" if extra else "") + "*"


def pg_admin_url() -> str | None:
    url = (os.environ.get("KIOSK_BENCH_PG_ADMIN_URL") or os.environ.get("KIOSK_TEST_PG_ADMIN_URL")
           or "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg2

        psycopg2.connect(url, connect_timeout=3).close()
        return url
    except Exception:  # noqa: BLE001
        return None


class EngineDb:
    def __init__(self, kind: str, workdir: Path, admin_url: str | None = None):
        self.kind, self.workdir, self.admin_url = kind, workdir, admin_url
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'bench.db'}"
            self.name = None
        else:
            import psycopg2

            self.name = "kiosk_bench_" + secrets.token_hex(5)
            conn = psycopg2.connect(admin_url)
            conn.autocommit = True
            conn.cursor().execute(f'CREATE DATABASE "{self.name}"')
            conn.close()
            parts = urlsplit(admin_url)
            self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, parts.fragment))

    def size_bytes(self) -> int:
        if self.kind == "sqlite":
            return sum(p.stat().st_size for p in self.workdir.glob("bench.db*"))
        import psycopg2

        conn = psycopg2.connect(self.admin_url)
        cur = conn.cursor()
        cur.execute("SELECT pg_database_size(%s)", (self.name,))
        size = cur.fetchone()[0]
        conn.close()
        return size

    def drop(self):
        if self.kind == "postgresql":
            import psycopg2

            conn = psycopg2.connect(self.admin_url)
            conn.autocommit = True
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.close()


def child(args, phase: str, **extra) -> dict:
    """Run one phase in a fresh process (its own peak RSS); its result is the last stdout line (JSON)."""
    command = [sys.executable, __file__, "--phase", phase, "--workdir", str(args.workdir), "--url", args.url]
    for key, value in extra.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"phase {phase} failed ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def keys_of(workdir: Path) -> dict:
    return json.loads((workdir / "keys.json").read_text())


def bench_app(workdir: Path, url: str, **config):
    os.environ["KIOSK_INSTANCE_PATH"] = str(workdir / "instance")
    from kiosk import create_app

    return create_app({"DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False, **keys_of(workdir), **config})


def signed_in_client(app):
    """A test client signed in as the bench supervisor through Flask-Login's session (no argon2)."""
    from kiosk import accounts
    from kiosk.models import StaffUser

    with app.app_context():
        from kiosk.db import db

        db.connect(reuse_if_open=True)
        user = StaffUser.get(StaffUser.username == "bench-supervisor")
        session_id = accounts.start_session(user, lifetime=dt.timedelta(hours=app.config["STAFF_SESSION_MAX_HOURS"]))
        db.close()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id  # a server-side session (kiosk.accounts)
        session["_fresh"] = True
    return client


# --- child phases ---------------------------------------------------------------------------------------

def phase_setup(args) -> dict:
    from bench import datagen
    from kiosk import accounts, regions
    from kiosk.cli import migrate_database
    from kiosk.db import db

    app = bench_app(args.workdir, args.url)
    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        accounts.create_user("bench-supervisor", "Bench Supervisor", "supervisor", PASSWORD)
        datagen.setup_generator()
        db.close()
    return {}


def phase_fill(args) -> dict:
    from bench import datagen
    from kiosk.db import db

    app = bench_app(args.workdir, args.url)
    started = time.perf_counter()
    with app.app_context():
        db.connect(reuse_if_open=True)
        generator = datagen.setup_generator()
        done = datagen.insert(db.obj, generator.rows(args.start, args.count, args.span))
        db.execute_sql("ANALYZE")
        db.close()
    return {"rows": done, "seconds": time.perf_counter() - started}


def _samples(n: int):
    """n random (token, NIK) pairs of existing registrations (NIKs decrypted here, before any timing)."""
    import random

    from kiosk.crypto import vault
    from kiosk.models import Registration

    top = Registration.select(Registration.id).order_by(Registration.id.desc()).scalar()
    rng = random.Random(7)
    ids = [rng.randint(1, top) for _ in range(n * 2)]
    rows = list(Registration.select(Registration.token, Registration.nik_enc).where(Registration.id.in_(ids)))
    rng.shuffle(rows)
    return [(r.token, vault().decrypt(r.nik_enc)) for r in rows[:n]]


def _time(client, url, repeat, headers=None, expect=200):
    client.get(url, headers=headers)  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - t0)
        assert response.status_code == expect, (url, response.status_code)
    return times


def _traced_peak(client, url, headers=None) -> int:
    import tracemalloc

    tracemalloc.start()
    client.get(url, headers=headers)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _summary(times) -> dict:
    ordered = sorted(times)
    return {"p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
            "n": len(ordered)}


def _name_search_before_003(needle: str, columns) -> list:
    """kiosk.staff.queue's name search as it was before migration 003 (for the comparison)."""
    from peewee import Case, fn

    from kiosk.models import Registration

    lowered = fn.LOWER(Registration.full_name)
    rank = Case(None, [(lowered.startswith(needle), 0), (lowered.contains(" " + needle), 1)], 2)
    return list(Registration.select(*columns).where(lowered.contains(needle))
                .order_by(rank, Registration.full_name, Registration.created_at.desc(), Registration.id.desc())
                .limit(20))


def phase_scale(args) -> dict:
    from kiosk.db import db
    from kiosk.models import Registration

    app = bench_app(args.workdir, args.url)
    with app.app_context():
        db.connect(reuse_if_open=True)
        samples = _samples(SCALE_REPEAT["status"])
        db.close()
    client = signed_in_client(app)
    anonymous = app.test_client()
    out: dict = {"rss_before_kib": rss_now_kib()}

    status_times = []
    for token, _nik in samples:
        t0 = time.perf_counter()
        assert anonymous.get(f"/s/{token}").status_code == 200
        status_times.append(time.perf_counter() - t0)
    out["status"] = {**_summary(status_times[5:]), "peak_bytes": _traced_peak(anonymous, f"/s/{samples[0][0]}")}

    nik_times = []
    for _token, nik in samples:
        t0 = time.perf_counter()
        response = client.get(f"/staff/cari?q={nik}")
        nik_times.append(time.perf_counter() - t0)
        assert response.status_code == 200 and nik[:4] in response.get_data(as_text=True)
    out["nik"] = {**_summary(nik_times[5:]), "peak_bytes": _traced_peak(client, f"/staff/cari?q={samples[0][1]}")}

    out["name"] = {}
    for label, query in NAME_QUERIES:
        url = "/staff/cari?" + urlencode({"q": query})
        times = _time(client, url, SCALE_REPEAT["name"])
        hits = client.get(url).get_data(as_text=True).count('<tr class="status-')
        out["name"][label] = {**_summary(times), "query": query, "peak_bytes": _traced_peak(client, url),
                              "hits_shown": hits}

    # The name query itself, before migration 003 (one "contains" scan ranked in SQL) and now.
    from kiosk.staff import queue as staff_queue

    with app.app_context():
        from kiosk.db import db as _db

        _db.connect(reuse_if_open=True)
        columns = (Registration.token, Registration.receipt_code, Registration.nik_masked,
                   Registration.full_name, Registration.status, Registration.created_at)
        for label, query in NAME_QUERIES:
            for key, run in (("before_ms", lambda q=query: _name_search_before_003(q.lower(), columns)),
                             ("query_ms", lambda q=query: staff_queue._by_name(q.lower(), columns))):
                run()
                times = []
                for _ in range(3 if key == "before_ms" else 10):
                    t0 = time.perf_counter()
                    run()
                    times.append(time.perf_counter() - t0)
                out["name"][label][key] = statistics.median(times) * 1000
        _db.close()

    out["queue"] = {}
    htmx = {"HX-Request": "true", "HX-Target": "queue-results", "HX-Current-URL": "http://localhost/staff/antrian"}
    for label, url, headers in (("queue page 1", "/staff/antrian", None),
                                ("status=verified", "/staff/antrian?status=verified", None),
                                ("page 100 (htmx)", "/staff/antrian?page=100", htmx)):
        out["queue"][label] = {**_summary(_time(client, url, SCALE_REPEAT["queue"], headers=headers)),
                               "peak_bytes": _traced_peak(client, url, headers)}
    out["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out


def phase_export(args) -> dict:
    app = bench_app(args.workdir, args.url)
    client = signed_in_client(app)
    rss_before = rss_now_kib()
    t0 = time.perf_counter()
    response = client.get("/staff/ekspor.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    nbytes = lines = 0
    for chunk in response.response:
        nbytes += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "bytes": nbytes, "rows": lines - 1, "rss_before_kib": rss_before,
            "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def phase_http_prep(args) -> dict:
    """Drafts of complete walk-ins waiting on the review screen, with their session cookies and CSRF
    tokens (as the kiosk's browser would hold them), and a status token and a NIK to look up."""
    import json as _json

    from flask_wtf.csrf import generate_csrf

    from bench import datagen
    from kiosk.crypto import vault
    from kiosk.db import db
    from kiosk.models import Draft, Registration, utcnow

    app = bench_app(args.workdir, args.url, WTF_CSRF_ENABLED=True)
    serializer = app.session_interface.get_signing_serializer(app)
    jobs = []
    with app.app_context():
        db.connect(reuse_if_open=True)
        generator = datagen.setup_generator()
        token, nik = _samples(1)[0]
        now = utcnow()
        rows = []
        for k in range(args.count):
            draft_id = secrets.token_urlsafe(32)
            answers = generator.answers(args.start + k)
            rows.append({"id": draft_id, "data": vault().encrypt(_json.dumps(answers)),
                         "kiosk": generator.kiosks[k % len(generator.kiosks)], "created_at": now, "updated_at": now})
            with app.test_request_context():
                from flask import g, session

                g.pop("csrf_token", None)  # generate_csrf caches per app context: one token per visit here
                session["visit"] = draft_id
                csrf = generate_csrf()
                cookie = "session=" + serializer.dumps(dict(session))
            jobs.append((cookie, csrf))
        with db.atomic():
            for i in range(0, len(rows), 500):
                Draft.insert_many(rows[i:i + 500]).execute()
        assert Registration.select().count() >= 1
        db.close()
    (args.workdir / "submit-jobs.json").write_text(json.dumps(jobs))
    return {"status_token": token, "nik": nik, "jobs": len(jobs)}


def phase_qr(args) -> dict:
    """qrcode (SVG path) against segno (SVG), same data, same error correction; decode-check both."""
    import qrcode
    import qrcode.image.svg
    from qrcode.constants import ERROR_CORRECT_M

    url = "https://kios.dinkop.jatimprov.go.id/s/" + "Ab3_x-Yz" * 2 + "Qr5tUv"
    results = {"url_length": len(url)}

    def with_qrcode(data):
        return qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, error_correction=ERROR_CORRECT_M,
                           border=4).to_string(encoding="unicode")

    makers = {"qrcode": with_qrcode}
    try:
        import segno

        def with_segno(data):
            return segno.make(data, error="m", micro=False, boost_error=False).svg_inline(
                scale=1, border=4, omitsize=True)

        makers["segno"] = with_segno
        results["segno_version"] = segno.__version__
    except ImportError:
        pass
    import importlib.metadata

    results["qrcode_version"] = importlib.metadata.version("qrcode")
    from kiosk.services.qr import qr_svg

    makers["kiosk qr_svg (in use)"] = lambda data: qr_svg(data, title="QR status pendaftaran")
    for name, make in makers.items():
        for i in range(20):
            make(url[:-2] + f"{i:02d}")
        times = []
        for i in range(200):
            t0 = time.perf_counter()
            make(url[:-3] + f"{i:03d}")
            times.append(time.perf_counter() - t0)
        svg = make(url)
        results[name] = {"median_ms": statistics.median(times) * 1000, "p99_ms": sorted(times)[197] * 1000,
                         "svg_bytes": len(svg.encode())}
        (args.workdir / f"qr-{name.split()[0]}-{len(name)}.svg").write_text(svg)
    results["decoded"] = _decode_svgs(args.workdir, list(makers), url)
    return results


def _decode_svgs(workdir: Path, names, url) -> dict:
    """Render each SVG in Chromium (as the receipt is printed) and read it back with zxing-cpp."""
    try:
        import zxingcpp
        from PIL import Image
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {name: f"not checked ({exc.name} missing)" for name in names}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium) if chromium else p.chromium.launch()
            page = browser.new_page(viewport={"width": 400, "height": 400})
            for name in names:
                svg = (workdir / f"qr-{name.split()[0]}-{len(name)}.svg").read_text()
                page.set_content(f'<body style="margin:0;background:#fff"><div style="width:300px;height:300px">'
                                 f'{svg.replace("<svg ", "<svg width=300 height=300 ", 1)}</div></body>')
                shot = workdir / f"qr-{name.split()[0]}-{len(name)}.png"
                page.screenshot(path=str(shot))
                found = zxingcpp.read_barcodes(Image.open(shot))
                out[name] = "decoded, identical" if any(r.text == url for r in found) else \
                    f"NOT decoded ({[r.text for r in found]})"
            browser.close()
    except Exception as exc:  # noqa: BLE001 - no browser here: say so
        return {name: f"not checked (Chromium: {type(exc).__name__})" for name in names}
    return out


PHASES = {"setup": phase_setup, "fill": phase_fill, "scale": phase_scale, "export": phase_export,
          "http-prep": phase_http_prep, "qr": phase_qr}


# --- the parts ------------------------------------------------------------------------------------------

def part_http(args, engine: EngineDb, info: dict, rows: int) -> dict:
    from bench import loadgen, transactions
    from bench.servers import Server

    keys = keys_of(args.workdir)
    prep = child(args, "http-prep", start=50_000_000, count=args.submit_jobs)
    jobs = [tuple(j) for j in json.loads((args.workdir / "submit-jobs.json").read_text())]
    env = {
        "KIOSK_WORKERS": str(args.workers), "KIOSK_THREADS": str(args.threads),
        "DATABASE_URL": engine.url, "KIOSK_INSTANCE_PATH": str(args.workdir / "instance"),
        "KIOSK_SECRET_KEY": keys["SECRET_KEY"], "KIOSK_DATA_KEYS": keys["DATA_KEYS"],
        "KIOSK_INDEX_KEY": keys["INDEX_KEY"], "KIOSK_STATUS_LIMIT": "10000000 per minute",
        "KIOSK_SUBMIT_LIMIT": "10000000 per hour", "KIOSK_DRAFT_MAX_IDLE_SECONDS": "86400",
        "KIOSK_PUBLIC_BASE_URL": "https://kios.dinkop.jatimprov.go.id", "KIOSK_ALLOWED_HOSTS": "127.0.0.1",
    }
    results: dict = {}
    load_before = os.getloadavg()[0]
    common = dict(connections=args.connections, processes=2, warmup=2.0, duration=args.duration)
    with Server("bench.bare_app:app", env, args.workdir / "gunicorn-bare.log") as bare:
        results["bare Flask hello world"] = {
            "python": loadgen.run(bare.base, "hello", server_cpu=bare.cpu_seconds, **common)}
        if loadgen.wrk_available():
            results["bare Flask hello world"]["wrk"] = loadgen.wrk(
                bare.base + "/", connections=args.connections, duration=args.duration, server_cpu=bare.cpu_seconds,
                headers={"Accept-Encoding": loadgen.BROWSER_ENCODING})
    with Server("wsgi:app", env, args.workdir / "gunicorn-kiosk.log", ready_path="/static/css/kiosk.css") as kiosk:
        staff_cookie = _sign_in(kiosk.base)
        transactions.CONFIG.update(status_token=prep["status_token"], staff_cookie=staff_cookie,
                                   search_path="/staff/cari?q=" + quote(prep["nik"]))
        for label, name, path, headers in (
                ("status page", "status", f"/s/{prep['status_token']}", {}),
                ("staff search (NIK)", "search", transactions.CONFIG["search_path"], {"Cookie": staff_cookie})):
            results[label] = {"python": loadgen.run(kiosk.base, name, server_cpu=kiosk.cpu_seconds, **common)}
            if loadgen.wrk_available():
                results[label]["wrk"] = loadgen.wrk(
                    kiosk.base + path, connections=args.connections, duration=args.duration,
                    server_cpu=kiosk.cpu_seconds, headers={"Accept-Encoding": loadgen.BROWSER_ENCODING, **headers})
        submit = loadgen.run(kiosk.base, "submit", jobs=jobs, server_cpu=kiosk.cpu_seconds, **common)
        submit["jobs_prepared"] = len(jobs)
        results["submit + receipt"] = {"python": submit}
    return {"rows": rows, "workers": args.workers, "threads": args.threads, "results": results,
            "load": f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}"}


def _sign_in(base: str) -> str:
    """Sign the bench supervisor in through the real form; return the session cookie header value."""
    import http.client

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", "/staff/masuk")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": csrf, "username": "bench-supervisor", "password": PASSWORD})
    conn.request("POST", "/staff/masuk", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    assert response.status == 303, response.status
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    conn.close()
    return cookie


def part_scale(args, engine: EngineDb, sizes, filled: int) -> list:
    out = []
    for size in sizes:
        if size > filled:
            print(f"  [{engine.kind}] filling {filled:,} -> {size:,} ...", file=sys.stderr, flush=True)
            fill = child(args, "fill", start=filled, count=size - filled, span=max(sizes))
            filled = size
            print(f"  [{engine.kind}]   {fill['seconds']:.0f} s", file=sys.stderr, flush=True)
        print(f"  [{engine.kind}] measuring at {size:,} ...", file=sys.stderr, flush=True)
        scale = child(args, "scale")
        export = child(args, "export")
        out.append({"size": size, "db_bytes": engine.size_bytes(), "scale": scale, "export": export,
                    "load": f"{os.getloadavg()[0]:.1f}"})
    return out


def part_weight(args) -> dict:
    """Run the page-weight browser test and read the sizes it prints."""
    test = ROOT / "tests" / "browser" / "test_page_weight.py"
    if not test.exists():
        return {"skipped": "tests/browser/test_page_weight.py is not there"}
    proc = subprocess.run([sys.executable, "-m", "pytest", str(test), "-q", "-s", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    pages = re.findall(r"^  (.+?)\s+(\d+) B$", proc.stdout, re.M)
    if not pages:
        return {"skipped": f"the browser test did not run here (exit {proc.returncode}): "
                           + (proc.stdout.strip().splitlines() or ["no output"])[-1][:200]}
    text = proc.stdout
    first = text[text.index("first loads:"):text.index("htmx steps:")]
    steps = text[text.index("htmx steps:"):]
    return {"pages": re.findall(r"^  (.+?)\s+(\d+) B$", first, re.M),
            "steps": re.findall(r"^  (.+?)\s+(\d+) B$", steps, re.M),
            "passed": proc.returncode == 0}


# --- report ---------------------------------------------------------------------------------------------

def fmt_ms(value) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def mib(kib) -> str:
    return f"{kib / 1024:,.0f} MiB"


def report(info: dict, http: dict, scale: dict, qr: dict | None, weight: dict | None, args, took: float,
           business: dict | None = None) -> str:
    lines = ["# Benchmarks", "",
             f"Measured by `make bench` (`bench/suite.py`) on {info['date']}; the run took {took / 60:.0f} minutes "
             f"(sizes {', '.join(f'{s:,}' for s in args.sizes)}). Medians and 99th percentiles of this run on this "
             "machine, nothing more: re-run `make bench` on the server that matters. How each figure is taken: "
             "`bench/README.md`.", "",
             f"Machine: {info['cpus']} CPUs ({info['model']}), {info['memory']}, {info['os']}, "
             f"Python {info['python']}, "
             f"SQLite {info['sqlite']}" + (f", PostgreSQL {info['postgres']}" if info.get("postgres") else "")
             + f". Load average when the run started: {info['load']}.", ""]
    for engine, data in http.items():
        lines += [f"## Throughput on gunicorn ({engine})", "",
                  f"gunicorn.conf.py: gthread, {data['workers']} workers x {data['threads']} threads, loopback; "
                  f"{args.connections} keep-alive clients; {args.duration:.0f} s measured after 2 s of warm-up; "
                  f"database with {data['rows']:,} registrations; clients send Chromium's Accept-Encoding "
                  "(the app compresses its pages, the bare app does not). A submit is the htmx POST "
                  "/daftar/kirim of a complete walk-in plus the GET /tanda-terima that follows its 303 "
                  "(one transaction, two requests).", ""]
        bare = data["results"]["bare Flask hello world"]
        for generator in ("wrk", "python"):
            rows = [(label, r[generator]) for label, r in data["results"].items() if generator in r]
            if not rows:
                continue
            ceiling = bare.get(generator, {}).get("per_second")
            lines += ["**" + ("wrk (C)" if generator == "wrk"
                              else "Python load generator (processes x threads, http.client)") + "**", "",
                      "| target | per second | of bare | p50 ms | p99 ms | errors | server CPU | generator CPU |",
                      "|---|---:|---:|---:|---:|---:|---:|---:|"]
            for label, r in rows:
                share = f"{r['per_second'] / ceiling:.0%}" if ceiling else "-"
                lines.append(f"| {label} | {r['per_second']:,.0f} | {share} "
                             f"| {fmt_ms(r['p50_ms'])} | {fmt_ms(r['p99_ms'])} "
                             f"| {r['errors']} | {r['server_cpu_share']:.0%} | {r['client_cpu_share']:.0%} |")
            lines += ["", caption(info, f"{data['workers']}x{data['threads']} gthread, {engine}, "
                                        f"generator {rows[0][1]['generator']}, "
                                        f"load average {data.get('load', '?')} over the part"), ""]
        lines += ["CPU columns: share of all the machine's CPUs used by gunicorn (master + workers) and by the load "
                  "generator during the run; the database server's share (PostgreSQL) is the rest. The generator "
                  "shares the machine with the server, so every figure is a floor, and the bare app's ceiling is "
                  "lowered by the generator more than the heavier pages are.", ""]
    for engine, sizes in scale.items():
        lines += [f"## At scale ({engine})", "",
                  "Requests through the Flask test client in one process (no HTTP, no gunicorn): what the "
                  "database and the view cost. p50 / p99 in ms over "
                  f"{SCALE_REPEAT['status']} random registrations (status, NIK) or {SCALE_REPEAT['name']} repeats "
                  f"(names) / {SCALE_REPEAT['queue']} (queue); peak = tracemalloc peak of one request.", "",
                  "| rows | database | status p50 / p99 | NIK search p50 / p99 | queue page 1 | status=verified "
                  "| page 100 (htmx) | process peak RSS |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for entry in sizes:
            s = entry["scale"]
            q = s["queue"]
            lines.append(
                f"| {entry['size']:,} | {entry['db_bytes'] / 2**20:,.0f} MiB "
                f"| {fmt_ms(s['status']['p50_ms'])} / {fmt_ms(s['status']['p99_ms'])} "
                f"| {fmt_ms(s['nik']['p50_ms'])} / {fmt_ms(s['nik']['p99_ms'])} "
                f"| {fmt_ms(q['queue page 1']['p50_ms'])} / {fmt_ms(q['queue page 1']['p99_ms'])} "
                f"| {fmt_ms(q['status=verified']['p50_ms'])} / {fmt_ms(q['status=verified']['p99_ms'])} "
                f"| {fmt_ms(q['page 100 (htmx)']['p50_ms'])} / {fmt_ms(q['page 100 (htmx)']['p99_ms'])} "
                f"| {mib(s['maxrss_kib'])} |")
        first, last = sizes[0]["scale"], sizes[-1]["scale"]
        lines += ["", caption(info, f"{engine}, load average after each size: "
                                    + ", ".join(e.get("load", "?") for e in sizes)), "",
                  f"p99 at {sizes[-1]['size']:,} against {sizes[0]['size']:,}: status "
                  f"{last['status']['p99_ms'] / first['status']['p99_ms']:.2f}x, NIK search "
                  f"{last['nik']['p99_ms'] / first['nik']['p99_ms']:.2f}x (target: within 1.5x).", "",
                  "Name search: the whole request p50 / p99 ms (results shown, at most 20), then the "
                  "database query alone, median ms, as it was before migration 003 (one ranked \"contains\" "
                  "scan) → now (three index-ordered queries, trigram candidates for rare fragments):", "",
                  "| query | " + " | ".join(f"{e['size']:,}: request | {e['size']:,}: query before → now"
                                             for e in sizes) + " |",
                  "|---|" + "---:|---:|" * len(sizes)]
        for label, query in NAME_QUERIES:
            cells = []
            for e in sizes:
                n = e["scale"]["name"][label]
                cells.append(f"{fmt_ms(n['p50_ms'])} / {fmt_ms(n['p99_ms'])} ({n['hits_shown']})")
                cells.append(f"{fmt_ms(n['before_ms'])} → {fmt_ms(n['query_ms'])}" if "before_ms" in n else "-")
            lines.append(f"| {label} `{query}` | " + " | ".join(cells) + " |")
        lines += ["", caption(info, engine), "",
                  "Peak memory of one request (tracemalloc), largest size: "
                  f"status {last['status']['peak_bytes'] / 1024:,.0f} KiB, "
                  f"NIK search {last['nik']['peak_bytes'] / 1024:,.0f} KiB, "
                  f"name search {max(v['peak_bytes'] for v in last['name'].values()) / 1024:,.0f} KiB, "
                  f"queue {max(v['peak_bytes'] for v in last['queue'].values()) / 1024:,.0f} KiB.", "",
                  "Export of everything (CSV, streamed, one process each):", "",
                  "| rows | seconds | rows/s | size | RSS before | peak RSS |", "|---:|---:|---:|---:|---:|---:|"]
        for e in sizes:
            x = e["export"]
            lines.append(f"| {x['rows']:,} | {x['seconds']:,.1f} | {x['rows'] / x['seconds']:,.0f} | "
                         f"{x['bytes'] / 2**20:,.0f} MiB | {mib(x['rss_before_kib'])} | {mib(x['maxrss_kib'])} |")
        lines += ["", caption(info, engine), ""]
    if qr:
        lines += ["## Receipt QR: qrcode against segno", "",
                  f"One status URL ({qr['url_length']} characters), error correction M, border 4, as an inline SVG; "
                  "200 codes each after 20 warm-ups; decoded back with zxing-cpp from a Chromium rendering.", "",
                  "| library | median ms | p99 ms | SVG bytes | decode check |", "|---|---:|---:|---:|---|"]
        for name in ("qrcode", "segno", "kiosk qr_svg (in use)"):
            if name in qr:
                version = qr.get(f"{name}_version", "")
                lines.append(f"| {name} {version} | {qr[name]['median_ms']:.2f} | {qr[name]['p99_ms']:.2f} | "
                             f"{qr[name]['svg_bytes']:,} | {qr['decoded'].get(name, '-')} |")
        lines += ["", caption(info), ""]
    if weight is not None:
        lines += ["## Page weight", ""]
        if "skipped" in weight:
            lines += [f"Skipped: {weight['skipped']}.", ""]
        else:
            lines += ["Bytes Chromium received (compressed bodies and headers), as printed by "
                      "`tests/browser/test_page_weight.py` in this run"
                      + ("" if weight["passed"] else " (the test reported a failure)") + ".", "",
                      "| first load (empty cache) | bytes |", "|---|---:|"]
            lines += [f"| {n} | {int(b):,} |" for n, b in weight["pages"]]
            lines += ["", "| htmx step | bytes |", "|---|---:|"]
            lines += [f"| {n} | {int(b):,} |" for n, b in weight["steps"]]
            lines += ["", caption(info), ""]
    if business:
        any_run = next(iter(business.values()))
        lines += ["## A business's worker list (issue 7)", "",
                  f"`bench/business_upload.py`: one owner's list of {any_run['workers']} workers, each figure one "
                  "whole request through the Flask test client, median of "
                  f"{any_run['repeat']} runs: the upload read in memory and every row checked (NIK, name, wage, job, "
                  "formulas, duplicates, open applications by blind index) and kept encrypted in the draft; the "
                  "workers page listing them; the save (checked again, quoted, the business and every worker written "
                  "in one transaction); the receipt with one QR slip per worker.", "",
                  "| engine | upload + check CSV | upload + check XLSX | workers page | save | receipt + slips |",
                  "|---|---:|---:|---:|---:|---:|"]
        for engine, r in business.items():
            lines.append(f"| {engine} | {r['upload_csv']:.2f} s ({r['csv_bytes'] / 1000:.0f} kB) "
                         f"| {r['upload_xlsx']:.2f} s ({r['xlsx_bytes'] / 1000:.0f} kB) | {r['workers_page']:.2f} s "
                         f"| {r['save']:.2f} s | {r['receipt']:.2f} s ({r['receipt_bytes'] / 1000:,.0f} kB) |")
        lines += ["", caption(info), ""]
    return "\n".join(lines)


def part_business(engines: list[str], admin: str | None) -> dict:
    """Run bench/business_upload.py once per engine and read its medians."""
    out = {}
    for kind in engines:
        with tempfile.TemporaryDirectory(prefix="kios-bench-business-") as tmp:
            result = Path(tmp) / "business.json"
            command = [sys.executable, str(ROOT / "bench" / "business_upload.py"), "--json", str(result)]
            if kind == "postgresql":
                command += ["--pg", admin]
            print(f"  [{kind}] business worker list ...", file=sys.stderr, flush=True)
            proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0 or not result.exists():
                print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
                continue
            out[kind] = json.loads(result.read_text())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,100000,1000000"))
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--only", default="http,scale,qr,weight,business", help="comma-separated parts")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per HTTP target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("KIOSK_WORKERS", "4")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("KIOSK_THREADS", "4")))
    parser.add_argument("--submit-jobs", type=int, default=6000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--state", type=Path, default=Path(tempfile.gettempdir()) / "kios-bench-state.json",
                        help="finished parts are saved here after each step")
    parser.add_argument("--resume", action="store_true", help="skip the parts --state already holds")
    parser.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--span", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        print(json.dumps(PHASES[args.phase](args), default=str))
        return

    started = time.perf_counter()
    args.sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    parts = set(args.only.split(","))
    info = machine()
    info["date"] = dt.date.today().isoformat()
    admin = pg_admin_url()
    engines = [e for e in args.engines.split(",") if e == "sqlite" or (e == "postgresql" and admin)]
    if "postgresql" in args.engines and not admin:
        print("PostgreSQL: no server reachable, that engine is skipped", file=sys.stderr)
    if admin:
        import psycopg2

        conn = psycopg2.connect(admin)
        info["postgres"] = (conn.server_version // 10000
                            and f"{conn.server_version // 10000}.{conn.server_version % 100}")
        conn.close()
    print(f"machine: {info}", file=sys.stderr)
    from cryptography.fernet import Fernet

    state = {"http": {}, "scale": {}, "qr": None, "weight": None, "took": 0.0}
    if args.resume and args.state.exists():
        state = json.loads(args.state.read_text())
        info = {**state.get("info", {}), **{k: v for k, v in info.items() if k not in state.get("info", {})}}
        print(f"resuming: {', '.join(k for k in ('http', 'scale', 'qr', 'weight', 'business') if state.get(k))} done",
              file=sys.stderr)

    def save():
        args.state.write_text(json.dumps({**state, "took": state.get("took", 0.0) + time.perf_counter() - started,
                                          "info": info}, default=str))

    http, scale = state["http"], state["scale"]
    for kind in engines if parts & {"http", "scale"} else []:
        if ("http" not in parts or kind in http) and ("scale" not in parts or kind in scale):
            continue
        args.workdir = Path(tempfile.mkdtemp(prefix=f"kios-bench-{kind}-"))
        (args.workdir / "keys.json").write_text(json.dumps({
            "SECRET_KEY": secrets.token_hex(16), "DATA_KEYS": Fernet.generate_key().decode(),
            "INDEX_KEY": secrets.token_hex(16)}))
        engine = EngineDb(kind, args.workdir, admin)
        args.url = engine.url
        try:
            child(args, "setup")
            first = args.sizes[0]
            print(f"  [{kind}] filling {first:,} ...", file=sys.stderr, flush=True)
            child(args, "fill", start=0, count=first, span=max(args.sizes))
            if "http" in parts and kind not in http:
                print(f"  [{kind}] HTTP throughput ...", file=sys.stderr, flush=True)
                http[kind] = part_http(args, engine, info, first)
                save()
            if "scale" in parts and kind not in scale:
                scale[kind] = part_scale(args, engine, args.sizes, first)
                save()
        finally:
            engine.drop()
            if not args.keep:
                shutil.rmtree(args.workdir, ignore_errors=True)
    qr, weight = state.get("qr"), state.get("weight")
    if "qr" in parts and not qr:
        args.workdir = Path(tempfile.mkdtemp(prefix="kios-bench-qr-"))
        args.url = "sqlite:///:memory:"
        qr = state["qr"] = child(args, "qr")
        shutil.rmtree(args.workdir, ignore_errors=True)
        save()
    if "weight" in parts and not weight:
        weight = state["weight"] = part_weight(args)
        save()
    business = state.get("business")
    if "business" in parts and not business:
        business = state["business"] = part_business(engines, admin)
        save()
    took = state.get("took", 0.0) + time.perf_counter() - started
    text = report(info, http, scale, qr, weight, args, took, business)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "http": http, "scale": scale, "qr": qr, "weight": weight,
                                         "business": business},
                                        indent=1, default=str))
    if args.out:
        previous = args.out.read_text() if args.out.exists() else ""
        reading = previous.split("<!-- reading -->", 1)[1] if "<!-- reading -->" in previous else ""
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n<!-- reading -->" + (reading or "\n"))
        print(f"wrote {args.out}", file=sys.stderr)
    print(text)


if __name__ == "__main__":
    main()
