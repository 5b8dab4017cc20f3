"""Load and fault tests: the real app under gunicorn (gthread, several workers) on a fresh database,
driven over real HTTP by simulated kiosks.

Engine as for the rest of the suite: a fresh PostgreSQL database (created, then dropped) when
KIOSK_TEST_PG_ADMIN_URL is set, else a SQLite file in a temp directory. Rate limits live in Redis when
one answers on KIOSK_TEST_REDIS_URL (default redis://127.0.0.1:6379/0, its own key prefix per run),
else in the database (kiosk.ratestore), as on a server without Redis.

Sizes (environment): KIOSK_LOAD_KIOSKS (50), KIOSK_LOAD_PER_KIOSK (80, as in `make test`; `make bench` sets 200:
the full 10,000 walk-ins), KIOSK_LOAD_WORKERS (4), KIOSK_LOAD_THREADS (4). Nothing here asserts a timing;
figures are printed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from bench.procfs import children, cpu_seconds, process_tree_cpu_seconds
from tests.conftest import postgres_database

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

KIOSKS = int(os.environ.get("KIOSK_LOAD_KIOSKS", "50"))
PER_KIOSK = int(os.environ.get("KIOSK_LOAD_PER_KIOSK", "80"))  # make bench: 200, the full 10,000
WORKERS = int(os.environ.get("KIOSK_LOAD_WORKERS", "4"))
THREADS = int(os.environ.get("KIOSK_LOAD_THREADS", "4"))


def pytest_configure(config):
    config.addinivalue_line("markers", "load: starts gunicorn and drives it over HTTP (minutes)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/load/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.load)


# --- database -------------------------------------------------------------------------------------------

@dataclass
class LoadDatabase:
    url: str
    keys: dict
    workdir: Path
    kiosk_codes: list = field(default_factory=list)
    villages: dict = field(default_factory=dict)  # district code -> [village codes]
    admin_url: str | None = None

    @property
    def engine(self) -> str:
        return "postgresql" if self.url.startswith("postgres") else "sqlite"

    @property
    def pg_name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")

    def app(self):
        """An app bound to this database in this process (for checks), CSRF and limits as in production."""
        from kiosk import create_app

        os.environ["KIOSK_INSTANCE_PATH"] = str(self.workdir / "checker-instance")
        try:
            return create_app({"DATABASE_URL": self.url, "TESTING": True, **self.keys})
        finally:
            del os.environ["KIOSK_INSTANCE_PATH"]


def _keys() -> dict:
    from cryptography.fernet import Fernet

    return {"SECRET_KEY": "load-secret-" + secrets.token_hex(8), "DATA_KEYS": Fernet.generate_key().decode(),
            "INDEX_KEY": "load-index-" + secrets.token_hex(8)}


@pytest.fixture
def load_db(tmp_path):
    """A fresh, migrated database with the Jawa Timur region data and KIOSKS kiosks with enrolment codes."""
    from kiosk import regions
    from kiosk.cli import migrate_database
    from kiosk.db import db
    from kiosk.kiosks import issue_enrol_code
    from kiosk.models import Kiosk, Region

    admin_url = os.environ.get("KIOSK_TEST_PG_ADMIN_URL")
    drop = None
    if admin_url:
        url, drop = postgres_database(admin_url, prefix="kiosk_load_")
    else:
        url = f"sqlite:///{tmp_path / 'load.db'}"
    database = LoadDatabase(url=url, keys=_keys(), workdir=tmp_path, admin_url=admin_url)
    app = database.app()
    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        for i in range(KIOSKS):
            kiosk = Kiosk.create(name=f"Kios uji {i + 1:02d}", place="Pasar uji", regency_code="35.78", kind="market")
            database.kiosk_codes.append(issue_enrol_code(kiosk))
        for code, parent in (Region.select(Region.code, Region.parent)
                             .where(Region.level == Region.VILLAGE, Region.code.startswith("35.78."))
                             .tuples()):
            database.villages.setdefault(parent, []).append(code)
        db.close()
    yield database
    if db.obj is not None:
        with contextlib.suppress(Exception):
            db.obj.close_all() if hasattr(db.obj, "close_all") else db.close()
    if drop:
        drop()


# --- gunicorn -------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str | None:
    url = os.environ.get("KIOSK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis  # noqa: F401  (limits needs the client library)
    except ImportError:
        return None
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return url if sock.recv(16).startswith(b"+PONG") else None
    except OSError:
        return None


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py wsgi:app` in its own process group, logs in the work directory."""

    def __init__(self, database: LoadDatabase, *, workers=WORKERS, threads=THREADS, **settings):
        self.database = database
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.starts = 0
        limiter_uri = redis_url()
        self.limiter = limiter_uri or "kiosk-db://"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
            "DATABASE_URL": database.url,
            "KIOSK_INSTANCE_PATH": str(database.workdir / "instance"),
            "KIOSK_BIND": f"127.0.0.1:{self.port}",
            "KIOSK_WORKERS": str(workers),
            "KIOSK_THREADS": str(threads),
            "KIOSK_SECRET_KEY": database.keys["SECRET_KEY"],
            "KIOSK_DATA_KEYS": database.keys["DATA_KEYS"],
            "KIOSK_INDEX_KEY": database.keys["INDEX_KEY"],
            # 50 kiosks behind one loopback address, hundreds of registrations each
            "KIOSK_SUBMIT_LIMIT": "100000 per hour",
            "KIOSK_STATUS_LIMIT": "100000 per minute",
            "KIOSK_VISIT_START_LIMIT": "100000 per minute",
            "KIOSK_NIK_LOOKUP_LIMIT": "100000 per minute",
            "KIOSK_RATELIMIT_STORAGE_URI": self.limiter,
            "KIOSK_RATELIMIT_KEY_PREFIX": "kiosk-load-" + secrets.token_hex(4),
            "KIOSK_PUBLIC_BASE_URL": "https://kios.example.go.id",
            "KIOSK_ALLOWED_HOSTS": "127.0.0.1",  # the kiosks reach it on loopback
            **{f"KIOSK_{k}": str(v) for k, v in settings.items()},
        }

    def start(self, timeout=60):
        self.starts += 1
        log = open(self.database.workdir / f"gunicorn-{self.starts}.log", "wb")
        self.process = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "--no-control-socket", "wsgi:app"],
                                        cwd=ROOT,
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/static/css/kiosk.css")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log_tail()}")

    def kill(self):
        """SIGKILL the master and every worker at once (a power cut, an OOM kill)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its live workers so far (Linux /proc)."""
        return process_tree_cpu_seconds(self.process.pid)

    def worker_cpu_seconds(self) -> dict[int, float]:
        """CPU so far of each live worker, by pid."""
        return {pid: cpu_seconds(pid) for pid in children(self.process.pid)}

    def log_tail(self, lines=40) -> str:
        path = self.database.workdir / f"gunicorn-{self.starts}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def log_text(self) -> str:
        return "\n".join((self.database.workdir / f"gunicorn-{n}.log").read_text(errors="replace")
                         for n in range(1, self.starts + 1))


@pytest.fixture
def gunicorn_factory():
    servers = []

    def make(database, **kwargs):
        server = Gunicorn(database, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


# --- a kiosk over HTTP ----------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECEIPT_CODE = re.compile(r'id="receipt-code">([A-Z0-9-]+)<')
STATUS_TOKEN = re.compile(r'class="receipt-url mono">[^<]*/s/([A-Za-z0-9_-]+)<')
HTMX = {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://kiosk/"}

FIRST = ("Agus", "Budi", "Siti", "Dewi", "Eko", "Sri", "Moh.", "Ahmad", "Nur", "Rina", "Wahyu", "Yuli", "Bambang",
         "Endang", "Slamet", "Sutrisno", "Lilik", "Didik", "Heru", "Tri", "Anik", "Rudi", "Lestari")
LAST = ("Santoso", "Wibowo", "Rahayu", "Susanto", "Hidayat", "Syafi'i", "Purnomo", "Setiawan", "Kurniawan",
        "Handayani", "Prasetyo", "Saputra", "Aminah", "Fauzi", "Rohman")
OCCUPATION_CODES = ("pedagang_pasar", "tukang_becak", "ojek_online", "petani", "nelayan", "buruh_harian")


class ServerGone(Exception):
    """The connection failed: the server is not there (killed, restarting)."""


class UnexpectedResponse(Exception):
    pass


def synthetic_nik(n: int) -> tuple[str, dt.date, str]:
    """A valid, unique NIK for submission number n: Surabaya (3578), district 01..31, a real birth date
    (day + 40 for women), serial from 0001. Returns (nik, birth date, sex)."""
    district = 1 + n % 31
    rest = n // 31
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rest % 20000)
    serial = 1 + rest // 20000
    sex = "P" if (n // 7) % 2 else "L"
    day = born.day + (40 if sex == "P" else 0)
    return f"3578{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}", born, sex


def person(n: int, villages: dict) -> dict:
    """Every answer of walk-in number n (deterministic)."""
    rng = random.Random(n)
    nik, born, sex = synthetic_nik(n)
    district = f"35.78.{nik[4:6]}"
    occupation = OCCUPATION_CODES[n % len(OCCUPATION_CODES)]
    return {
        "nik": nik,
        "identity": {"nik": nik, "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                     "birth_place": "Surabaya", "birth_day": str(born.day), "birth_month": str(born.month),
                     "birth_year": str(born.year), "sex": sex, "mother_name": "Siti Aminah"},
        "contact": {"phone": f"0812{n % 10**8:08d}", "email": "" if n % 3 else f"warga{n}@contoh.id",
                    "address": f"Jl. Kebraon Indah {n % 200 + 1}, RT 02/RW 03", "province": "35",
                    "regency": "35.78", "district": district, "village": rng.choice(villages[district])},
        "work": {"occupation": occupation, "occupation_other": "", "work_province": "35",
                 "work_regency": "35.78", "income": str(rng.choice((1_000_000, 1_500_000, 2_500_000, 4_000_000)))},
        "program": {"package": "jht" if n % 2 else "base", "period": str((1, 3, 6, 12)[n % 4])},
    }


@dataclass
class Stats:
    requests: int = 0
    by_status: dict = field(default_factory=dict)
    server_errors: list = field(default_factory=list)  # (method, path, status)
    unexpected: list = field(default_factory=list)
    receipts: list = field(default_factory=list)  # (receipt code, status token, nik)
    double_submits: int = 0
    step_replays: int = 0
    unavailable: int = 0  # 503 answers (fault tests)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def merge_status(self, method, path, status):
        with self.lock:
            self.requests += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status >= 500:
                self.server_errors.append((method, path, status))


UNAVAILABLE_MESSAGE = "Jawaban Anda tetap tersimpan. Tunggu sebentar lalu coba lagi"


class Kiosk:
    """One kiosk's browser: a keep-alive connection, cookies, CSRF tokens parsed from each page.

    patient: a 503 answer is a person reading "try again", waiting a moment and pressing the same button
    again (the page must say so and still hold what they typed); otherwise a 503 is a failure.
    """

    def __init__(self, base: str, stats: Stats, timeout=60, patient=False):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.stats = stats
        self.timeout = timeout
        self.patient = patient
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.last_used = 0.0
        self.csrf = None

    # plumbing
    def _connection(self):
        if self.conn is None or time.monotonic() - self.last_used > 1.0:  # gunicorn keep-alive is 2 s
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def request(self, method, path, data=None, headers=None, expect=None):
        body = urlencode(data) if data is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            raise ServerGone(f"{method} {path}: {exc!r}") from exc
        self.last_used = time.monotonic()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        self.stats.merge_status(method, path, response.status)
        text = payload.decode("utf-8", "replace")
        if expect is not None and response.status not in (expect if isinstance(expect, tuple) else (expect,)):
            with self.stats.lock:
                self.stats.unexpected.append((method, path, response.status, text[:300]))
            raise UnexpectedResponse(f"{method} {path}: {response.status}")
        token = CSRF.search(text)
        if token:
            self.csrf = unescape(token.group(1))
        return response.status, response.getheader("Location"), text

    def _unavailable(self, method, path, text, typed=None):
        """Check a 503 page (polite message, the typed answers still there), wait, and say: try again."""
        kept = all(unescape(str(v)) in unescape(text) for v in (typed or {}).values() if v and len(str(v)) > 2)
        with self.stats.lock:
            self.stats.unavailable += 1
            if UNAVAILABLE_MESSAGE not in text or not kept:
                self.stats.unexpected.append((method, path, 503, "503 page without the message or the answers"))
        time.sleep(0.25)

    def get(self, path, htmx=False, expect=200):
        while True:
            status, location, text = self.request("GET", path, headers=HTMX if htmx else None,
                                                  expect=(expect, 503) if self.patient else expect)
            if status != 503 or expect == 503:
                return status, location, text
            self._unavailable("GET", path, text)

    def post_and_follow(self, path, data, htmx=True, expect_location=None):
        """POST a form (with the page's CSRF token), expect 303, then GET where it points, as a browser."""
        while True:
            status, location, text = self.request("POST", path, data={"csrf_token": self.csrf, **data},
                                                  headers=HTMX if htmx else None,
                                                  expect=((303, 503, 200) if htmx else (303, 503))
                                                  if self.patient else 303)
            # htmx swaps no 5xx: a step answered for htmx gets its "try again" fragment with 200
            if status == 303:
                break
            if status == 200 and UNAVAILABLE_MESSAGE not in text:
                with self.stats.lock:
                    self.stats.unexpected.append(("POST", path, status, text[:300]))
                raise UnexpectedResponse(f"POST {path}: 200 without the message")
            self._unavailable("POST", path, text, typed=data)
        target = urlsplit(location).path
        if expect_location and target != expect_location:
            with self.stats.lock:
                self.stats.unexpected.append(("POST", path, status, f"went to {target}"))
            raise UnexpectedResponse(f"POST {path} went to {target}")
        return self.get(target, htmx=htmx)

    # the walk-in
    def enrol(self, code):
        self.request("GET", f"/kiosk/pasang/{code}", expect=303)
        self.get("/")

    def register(self, answers: dict, *, replay_step=False, double_tap=False, resubmit=False):
        """One person's whole visit; returns (receipt code, status token) as printed on the receipt."""
        self.post_and_follow("/daftar", {}, htmx=False, expect_location="/daftar/persetujuan")
        self.post_and_follow("/daftar/persetujuan", {"agree": "yes"}, expect_location="/daftar/identitas")
        self.post_and_follow("/daftar/identitas", answers["identity"], expect_location="/daftar/kontak")
        if replay_step:  # a double tap on Lanjut: the same answers again, the same next step
            self.post_and_follow("/daftar/identitas", answers["identity"], expect_location="/daftar/kontak")
            with self.stats.lock:
                self.stats.step_replays += 1
        self.post_and_follow("/daftar/kontak", answers["contact"], expect_location="/daftar/pekerjaan")
        self.post_and_follow("/daftar/pekerjaan", answers["work"], expect_location="/daftar/program")
        self.post_and_follow("/daftar/program", answers["program"], expect_location="/daftar/periksa")
        if double_tap:  # two taps on Kirim at the same moment, on two connections
            twin = Kiosk(f"http://{self.host}:{self.port}", self.stats, self.timeout)
            twin.cookies, twin.csrf = dict(self.cookies), self.csrf
            failures = []

            def tap():
                try:
                    twin.request("POST", "/daftar/kirim", data={"csrf_token": self.csrf}, headers=HTMX, expect=303)
                except Exception as exc:  # noqa: BLE001 - raised below, in the kiosk's own thread
                    failures.append(exc)

            other = threading.Thread(target=tap)
            other.start()
            try:
                self.request("POST", "/daftar/kirim", data={"csrf_token": self.csrf}, headers=HTMX, expect=303)
            finally:
                other.join()
                twin.close()
            if failures:
                raise failures[0]
            with self.stats.lock:
                self.stats.double_submits += 1
            _status, _location, receipt = self.get("/tanda-terima", htmx=True)
        else:
            _status, _location, receipt = self.post_and_follow("/daftar/kirim", {}, expect_location="/tanda-terima")
        code, token = RECEIPT_CODE.search(receipt), STATUS_TOKEN.search(receipt)
        if not (code and token):
            with self.stats.lock:
                self.stats.unexpected.append(("GET", "/tanda-terima", 200, "no receipt code on the receipt"))
            raise UnexpectedResponse("receipt without a code")
        with self.stats.lock:
            self.stats.receipts.append((code.group(1), token.group(1), answers["nik"]))
        if resubmit:  # Back, then Kirim again: the same receipt
            self.post_and_follow("/daftar/kirim", {}, expect_location="/tanda-terima")
            with self.stats.lock:
                self.stats.double_submits += 1
        self.post_and_follow("/selesai", {}, htmx=False, expect_location="/")
        return code.group(1), token.group(1)

    def close(self):
        if self.conn:
            self.conn.close()


def run_kiosks(base: str, database: LoadDatabase, *, kiosks: int, per_kiosk: int, stats: Stats,
               offset: int = 0, first_kiosk: int = 0, stop: threading.Event | None = None, on_gone=None,
               patient: bool = False, double_taps: bool = True):
    """Run kiosks concurrently, each registering per_kiosk people in turn. Returns wall seconds.

    Every 10th visit replays a step, every 8th taps Kirim twice at once, every 9th sends Kirim again
    after the receipt. on_gone(kiosk index) is called when the server went away (fault tests).
    """
    errors = []

    def one(index):
        kiosk = Kiosk(base, stats, patient=patient)
        try:
            kiosk.enrol(database.kiosk_codes[first_kiosk + index])
            for j in range(per_kiosk):
                if stop is not None and stop.is_set():
                    return
                n = offset + index * per_kiosk + j
                kiosk.register(person(n, database.villages), replay_step=double_taps and n % 10 == 3,
                               double_tap=double_taps and n % 8 == 5, resubmit=double_taps and n % 9 == 7)
        except ServerGone as exc:
            if on_gone is None:
                errors.append(exc)
            else:
                on_gone(index)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            kiosk.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,), name=f"kiosk-{i}") for i in range(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


# --- checks ---------------------------------------------------------------------------------------------

def check_registrations(database: LoadDatabase, receipts=None) -> dict:
    """Read every registration back: complete, decryptable, matching its blind index; and every receipt a
    client was shown is there with its NIK. Returns counts and the problems found."""
    from peewee import JOIN, fn

    from kiosk.crypto import vault
    from kiosk.db import db
    from kiosk.models import Draft, Registration
    from kiosk.registrations import nik_index

    app = database.app()
    problems = []
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            rows = list(Registration.select().order_by(Registration.id))
            required = [f.name for f in Registration._meta.sorted_fields if not f.null]
            by_code = {}
            for row in rows:
                missing = [name for name in required if row.__data__.get(name) in (None, "")]
                try:
                    nik = vault().decrypt(row.nik_enc)
                    phone = vault().decrypt(row.phone_enc)
                except Exception as exc:  # noqa: BLE001
                    problems.append(f"{row.receipt_code}: cannot decrypt ({type(exc).__name__})")
                    continue
                if missing:
                    problems.append(f"{row.receipt_code}: empty {missing}")
                if (nik_index(nik) != row.nik_hash or not (len(nik) == 16 and nik.isdigit())
                        or not phone.startswith("+62")):
                    problems.append(f"{row.receipt_code}: NIK/phone do not match their indexes")
                by_code[row.receipt_code] = (row.token, nik)
            distinct = Registration.select(fn.COUNT(fn.DISTINCT(Registration.nik_hash))).scalar()
            orphans = (Draft.select().where(Draft.registration.is_null(False))
                       .join(Registration, on=(Draft.registration == Registration.id), join_type=JOIN.LEFT_OUTER)
                       .where(Registration.id.is_null()).count())
            if orphans:
                problems.append(f"{orphans} drafts point at no registration")
            if database.engine == "sqlite":
                integrity = db.execute_sql("PRAGMA integrity_check").fetchone()[0]
                if integrity != "ok":
                    problems.append(f"sqlite integrity_check: {integrity}")
        finally:
            db.close()
    missing_receipts = []
    for code, token, nik in receipts or ():
        found = by_code.get(code)
        if found is None or found != (token, nik):
            missing_receipts.append(code)
    return {"count": len(rows), "distinct_nik": distinct, "problems": problems, "missing_receipts": missing_receipts}


def engine_line(database: LoadDatabase, server: Gunicorn) -> str:
    return (f"engine={database.engine} gunicorn gthread {server.env['KIOSK_WORKERS']} workers x "
            f"{server.env['KIOSK_THREADS']} threads, limiter={server.limiter.split('://')[0]}, "
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")


__all__ = ["Gunicorn", "Kiosk", "LoadDatabase", "ServerGone", "Stats", "check_registrations", "engine_line",
           "person", "run_kiosks", "synthetic_nik", "KIOSKS", "PER_KIOSK"]
