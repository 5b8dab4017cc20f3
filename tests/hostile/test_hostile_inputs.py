"""Hostile input against every form field, query parameter and path parameter of the kiosk.

What is sent
    The corpus (tests/hostile/corpus.py, 500+ entries: XSS in many shapes, template and SQL
    injection, 100 KB and 1 MB fields, NUL and other controls, bidi overrides and zero-width
    characters, emoji and combining marks, malformed UTF-8 as raw bytes, huge/negative/exponent
    numbers, path traversal, unicode digits, CR/LF header injection, JSON/XML, long words) goes to:

    * every field of every POST form, at the stage of a visit where the form is live (consent,
      identity, live NIK check, contact, work, program, quote, /cek, /bahasa, /selesai, /daftar,
      /daftar/kirim, /perbaiki), the staff sign-in and scan, the status change and data reveal as a
      signed-in supervisor, and every admin form as a signed-in admin, with the other fields valid;
    * every query parameter of the GET routes (region cascades, queue and export filters, search,
      audit filters, ?kembali=, ?next=) and every path parameter (/s/<token>, /admin/.../<id>,
      /kiosk/pasang/<code>, /static/<path>);
    * unknown field names, repeated fields, JSON / multipart / text/plain / malformed bodies, too
      many fields, on every POST route the app has (the business flow's and the desk's business
      routes too: tests/hostile/business.py puts a client at the stage each needs), missing, foreign,
      tampered and hostile CSRF tokens (csrf_app), forged kiosk and session cookies.

    The business routes' fields, uploads, query and path parameters get the corpus in
    test_hostile_business.py.

    Values that pass validation are stored; the pages that show them (review, receipt, public
    status page, staff panel and data reveal, queue, search, admin lists and forms) are then read
    and checked against every payload sent so far.

What is checked, per request (tests/hostile/probe.py)
    * no status >= 500, no traceback, no secret key in the answer;
    * every HTML answer parsed with html.parser: no element or attribute a payload would inject
      (its own tags/attributes/text, also URL- and entity-decoded and as pasted raw into a quoted or
      unquoted attribute), no inline or foreign <script>, no on*/hx-on* attribute, no javascript:
      URL, no <iframe>/<img>/<object>/<base>/<meta http-equiv>/...; template payloads unevaluated;
    * no CR/LF or injected header/cookie, every redirect stays on the site (as a browser reads it);
    * every 4xx carries a readable message: a non-empty .field-error or .error-summary, or the error
      page's h1 and lead text;
    * the database (row count + checksum of business, registration, draft, staff_user, kiosk, event,
      kiosk_event, audit_entry - failed/throttled sign-in audit rows excepted) is unchanged by every
      request that did not succeed, and no NUL character is ever stored (PostgreSQL refuses it).

Budget
    Every field and parameter (a "target": 119 of them, listed in TARGETS) receives the 20 CORE
    entries (one strong entry per kind: <script>, attribute break-outs, {{1234*5678}}, ' OR 1=1, 100 KB,
    NUL, RTL override, raw 0xFF, a UTF-8 surrogate, Arabic-Indic and full-width NIKs, ../, CRLF, 1e309,
    -1, a ZWJ emoji, a long word) plus its share of the other 546: each is dealt to two different
    targets, so every corpus entry is sent at least twice and every target gets 28-30 payloads
    (test_plan_* proves it). On top come the stored-value reads, every traversal string against
    /static/ and /s/, the body/content-type, CSRF and cookie variants: about 5,700 checked requests
    in all, 30-50 s on 2 cores with SQLite (limits raised and argon2 at minimum cost in conftest.py,
    so the validators, not the rate limiter or the password hash, are what gets exercised).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from urllib.parse import quote

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeSerializer

from kiosk.db import db
from kiosk.models import Draft, Event, Kiosk, Registration, StaffUser
from tests.conftest import TEST_KEYS
from tests.factories import PASSWORD, make_staff
from tests.flows import CONTACT, FEMALE_NIK, IDENTITY, PROGRAM, VALID_NIK, WORK, register, sign_in
from tests.hostile.business import business_post_endpoints
from tests.hostile.corpus import BY_ID, CORE, CORPUS, Payload
from tests.hostile.probe import Probe

HTMX = {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://localhost/"}

# --- the plan: which payloads go to which target ------------------------------------------------------

IDENTITY_FULL = {**IDENTITY, "birth_day": "17", "birth_month": "8", "birth_year": "1985", "sex": "L", "back_to": ""}
CONTACT_FULL = {**CONTACT, "back_to": ""}
WORK_FULL = {**WORK, "occupation_other": "", "back_to": ""}
PROGRAM_FULL = {**PROGRAM, "back_to": ""}

# walk-in forms: name -> (url, stage the visit must be at, valid answers)
WALKIN_FORMS = {
    "consent": ("/daftar/persetujuan", "consent", {"agree": "yes", "back_to": ""}),
    "identity": ("/daftar/identitas", "identity", IDENTITY_FULL),
    "nik_check": ("/daftar/identitas/nik", "identity", {"nik": VALID_NIK}),
    "contact": ("/daftar/kontak", "contact", {**CONTACT_FULL, "refresh": None}),
    "work": ("/daftar/pekerjaan", "work", {**WORK_FULL, "refresh": None}),
    "income_echo": ("/daftar/pekerjaan/penghasilan", "work", {"income": "1500000"}),
    "program": ("/daftar/program", "program", {**PROGRAM_FULL, "refresh": None}),
    "quote": ("/daftar/program/hitung", "program", dict(PROGRAM)),
}
READONLY_FORMS = {"nik_check", "quote", "income_echo"}
SESSION_POSTS = {  # name -> (url, fields)
    "reprint": ("/cek", {"nik": VALID_NIK, "mother_name": "Siti Aminah"}),
    "language": ("/bahasa", {"lang": "en", "next": "/daftar/identitas"}),
    "finish": ("/selesai", {"junk": ""}),
    "start": ("/daftar", {"junk": ""}),
    "submit": ("/daftar/kirim", {"junk": ""}),
    "correction": ("/perbaiki", {"junk": ""}),
}
STATUS_FORM = {"target": "needs_fix", "version": None, "reason": "Foto KTP buram.", "kpj": "", "fix": "contact"}
ADMIN_FORMS = {  # name -> (fields)
    "kiosk_new": {"name": "Kios Pasar", "place": "Pasar Wonokromo", "regency": "35.78", "kind": "market"},
    "kiosk_edit": {"name": "Kios Pasar", "place": "Pasar Wonokromo", "regency": "35.78", "kind": "market"},
    "event_new": {"name": "Sosialisasi", "place": "Balai Desa", "regency": "35.78", "starts_on": "2026-11-17",
                  "ends_on": "2026-11-18", "kiosks": None},
    "event_edit": {"name": "Sosialisasi", "place": "Balai Desa", "regency": "35.78", "starts_on": "17/11/2026",
                   "ends_on": "18/11/2026", "kiosks": None},
    "account_new": {"username": None, "full_name": "Petugas Baru", "role": "petugas",
                    "password": "sandi-baru-123", "password_confirm": "sandi-baru-123"},
    "account_role": {"role": "supervisor"},
    "account_password": {"password": "sandi-baru-123", "password_confirm": "sandi-baru-123"},
    "admin_actions": {"junk": ""},
}
GET_PARAMS = {  # name -> (url, params)
    "contact_regions": ("/daftar/kontak/wilayah", ["province", "regency", "district", "village"]),
    "work_regions": ("/daftar/pekerjaan/wilayah", ["work_province", "work_regency"]),
    "step_pages": (None, ["kembali"]),
    "public_pages": (None, ["junk"]),
    "queue": ("/staff/antrian", ["status", "kiosk", "event", "regency", "from", "to", "page"]),
    "search": ("/staff/cari", ["q"]),
    "audit": ("/staff/audit", ["action", "actor", "receipt", "from", "to", "page"]),
    "export": ("/staff/ekspor.csv", ["status", "kiosk", "event", "regency", "from", "to"]),  # sent as POST
    "login_page": ("/staff/masuk", ["next"]),
}
PATHS = ["status_token", "reveal_token", "change_token", "admin_kiosk_id", "admin_event_id", "admin_account_id",
         "admin_post_id", "enrol_code", "static_path"]

TARGETS: list[str] = (
    [f"walkin:{name}:{field}" for name, (_, _, fields) in WALKIN_FORMS.items() for field in fields]
    + [f"session:{name}:{field}" for name, (_, fields) in SESSION_POSTS.items() for field in fields]
    + ["staff:login:username", "staff:login:password", "staff:login:next", "staff:scan:code", "staff:logout:junk"]
    + [f"status:change:{field}" for field in STATUS_FORM] + ["status:reveal:junk"]
    + [f"admin:{name}:{field}" for name, fields in ADMIN_FORMS.items() for field in fields]
    + [f"get:{name}:{param}" for name, (_, params) in GET_PARAMS.items() for param in params]
    + [f"path:{name}" for name in PATHS]
)
REDUNDANCY = 2


def _deal(count: int, entries: int, steps: list[int]) -> list[list[int]]:
    """For each entry, the indexes of the targets it goes to (one per step)."""
    dealt = []
    for i in range(entries):
        chosen: list[int] = []
        for round_, step in enumerate(steps):
            index = (i * step + round_ * 3) % count
            while index in chosen:
                index = (index + 1) % count
            chosen.append(index)
        dealt.append(chosen)
    return dealt


def build_plan(targets: list[str], redundancy: int = REDUNDANCY) -> dict[str, list[Payload]]:
    """CORE to every target; every other entry dealt to `redundancy` different targets, spread so that
    each target gets a mix of kinds (the corpus is grouped by kind). The strides are the ones that leave the
    least-served target with the most entries (adding a target must not starve another one)."""
    core_ids = {p.id for p in CORE}
    rest = [p for p in CORPUS if p.id not in core_ids]
    plan = {target: list(CORE) for target in targets}
    count = len(targets)

    def least_served(steps):
        served = [0] * count
        for chosen in _deal(count, len(rest), steps):
            for index in chosen:
                served[index] += 1
        return min(served)

    steps = [1]
    for _ in range(redundancy - 1):
        candidates = [s for s in range(7, count) if math.gcd(s, count) == 1 and s not in steps]
        steps.append(max(candidates, key=lambda s: (least_served([*steps, s]), -s)))
    for payload, chosen in zip(rest, _deal(count, len(rest), steps)):
        for index in chosen:
            plan[targets[index]].append(payload)
    return plan


PLAN = build_plan(TARGETS)


def payloads_for(target: str) -> list[Payload]:
    return PLAN[target]


def test_plan_sends_every_corpus_entry_and_a_real_sample_to_every_target():
    assert len(CORPUS) >= 300
    assert len({p.wire for p in CORPUS}) == len(CORPUS), "corpus entries must be distinct"
    assert len(TARGETS) == len(set(TARGETS))
    sent = {p.id for payloads in PLAN.values() for p in payloads}
    assert sent == {p.id for p in CORPUS}
    for target, payloads in PLAN.items():
        assert len({p.id for p in payloads}) >= len(CORE) + 8, target
        assert {p.kind for p in payloads} >= {"xss", "sql", "size", "control", "bytes", "digits"}, target
    # the payload signatures actually see the XSS vectors
    assert all(BY_ID[i].injected for i in ("xss-001", "xss-012", "xss-023", "xss-004", "control-006"))
    assert sum(1 for p in CORPUS if p.kind == "xss" and p.injected) >= 150


# --- helpers ------------------------------------------------------------------------------------------

def pairs(fields: dict, **override) -> list:
    """(name, value) pairs of a form; None values are left out, list values repeat the name."""
    merged = {**fields, **override}
    out = []
    for name, value in merged.items():
        if value is None:
            continue
        if isinstance(value, list):
            out.extend((name, v) for v in value)
        else:
            out.append((name, value))
    return out


def at_stage(app, stage: str):
    """A client whose visit is at stage (consent, identity, contact, work, program or review)."""
    client = app.test_client()
    client.post("/daftar")
    if stage == "consent":
        return client
    assert client.post("/daftar/persetujuan", data={"agree": "yes"}).status_code == 303
    for step, url, data in (("identity", "/daftar/identitas", IDENTITY), ("contact", "/daftar/kontak", CONTACT),
                            ("work", "/daftar/pekerjaan", WORK), ("program", "/daftar/program", PROGRAM)):
        if stage == step:
            return client
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.data[:300])
    return client


def signed_in(app, probe, role: str, username: str | None = None):
    client = app.test_client()
    sign_in(client, role, username)
    probe.refresh()
    return client


def path_forms(payload: Payload) -> list[str]:
    """The payload as a path segment: fully percent-encoded and, for traversal, as typed."""
    forms = [quote(payload.wire, safe="")]
    if payload.kind == "traversal" and isinstance(payload.value, str) and payload.value.isascii():
        forms.append(quote(payload.value, safe="/%.\\"))
    return forms


# --- walk-in steps --------------------------------------------------------------------------------------

def test_walkin_step_fields(hostile_app, probe):
    """Every field of every step, sent from a visit at that step and from one with every step answered;
    htmx and plain posts alternate. Whatever a step accepts is then read back: on the step's own
    page, and on the review page that shows every answer."""
    clients = {stage: at_stage(hostile_app, stage)
               for stage in ("consent", "identity", "contact", "work", "program")}
    review = at_stage(hostile_app, "review")
    probe.refresh()
    for name, (url, stage, fields) in WALKIN_FORMS.items():
        for field in fields:
            base = dict(fields)
            if name == "work" and field == "occupation_other":
                base["occupation"] = "lainnya"
            for n, payload in enumerate(payloads_for(f"walkin:{name}:{field}")):
                client = review if n % 2 else clients[stage]
                response = probe.send(client, "POST", url, payloads=[payload],
                                      form=pairs(base, **{field: payload.value}),
                                      headers=HTMX if n // 2 % 2 else None, label=f"{name}.{field}",
                                      mutating=() if name in READONLY_FORMS else (303,))
                if response is not None and response.status_code == 303 and name not in READONLY_FORMS:
                    probe.check_page(client, "/daftar/periksa" if client is review else url, payloads=[payload])
    probe.check_page(review, "/daftar/periksa")
    probe.assert_clean()


def test_walkin_get_parameters(hostile_app, probe):
    """Region cascades and ?kembali= on every step page."""
    client = at_stage(hostile_app, "review")
    probe.refresh()
    for name in ("contact_regions", "work_regions"):
        url, params = GET_PARAMS[name]
        for param in params:
            for payload in payloads_for(f"get:{name}:{param}"):
                others = {"province": "35", "regency": "35.78", "district": "35.78.01",
                          "work_province": "35", "work_regency": "35.78"}
                query = pairs({k: v for k, v in others.items() if k in params}, **{param: payload.value})
                probe.send(client, "GET", url, payloads=[payload], query=query, label=name,
                           expect_status=(200,))
    steps = ["/daftar/persetujuan", "/daftar/identitas", "/daftar/kontak", "/daftar/pekerjaan", "/daftar/program"]
    for n, payload in enumerate(payloads_for("get:step_pages:kembali")):
        probe.send(client, "GET", steps[n % len(steps)], payloads=[payload], query=[("kembali", payload.value)],
                   headers=HTMX if n % 3 == 0 else None, label="kembali")
    public = ["/", "/cek", "/tanda-terima", "/daftar/periksa", "/staff/masuk", "/s/AAAAAAAAAAAAAAAAAAAAAA"]
    for n, payload in enumerate(payloads_for("get:public_pages:junk")):
        url = public[n % len(public)]
        probe.send(client, "GET", url, payloads=[payload], query=[(payload.value, payload.value), ("x", payload.value)],
                   label="junk-query")
    probe.assert_clean()


def test_walkin_session_endpoints(hostile_app, probe):
    """/cek, /bahasa, /selesai, /daftar, /daftar/kirim and /perbaiki with hostile fields."""
    for name, (url, fields) in SESSION_POSTS.items():
        for field in fields:
            for payload in payloads_for(f"session:{name}:{field}"):
                stage = {"submit": "review", "finish": "identity"}.get(name)
                client = at_stage(hostile_app, stage) if stage and payload.kind in ("xss", "size") else None
                if client is None:
                    client = hostile_app.test_client()
                    client.post("/daftar")
                probe.refresh()
                probe.send(client, "POST", url, payloads=[payload], form=pairs(fields, **{field: payload.value}),
                           label=f"{name}.{field}",
                           mutating=() if name in ("reprint", "language", "correction") else (303,))
                if name == "submit":  # one registration per NIK: clear it for the next round
                    with hostile_app.app_context():
                        db.connect(reuse_if_open=True)
                        Draft.update(registration=None).execute()
                        Registration.delete().execute()
                        db.close()
                    probe.refresh()
    probe.assert_clean()


def test_stored_values_are_shown_escaped_everywhere(hostile_app, probe):
    """Answers that pass validation but carry markup: review, receipt, status page, staff views."""
    by_value = {p.value: p for p in CORPUS}
    stored = [BY_ID["xss-001"], BY_ID["xss-012"], BY_ID["xss-023"], BY_ID["xss-004"],
              by_value["<p id=\"kj-xss-71\" class=\"kj-injected\">kj-paragraph</p>"],
              by_value["{{1234*5678}}"], by_value["{% print 'kjtpl' ~ 'printed' %}"],
              by_value["\" autofocus onfocus=\"alert('kj-xss-52')\" x=\""]]
    address = "".join(p.text for p in stored[:3])[:200]
    address2 = "".join(p.text for p in stored[3:])[:200]
    applicant = hostile_app.test_client()
    _, token = register(applicant, contact={"address": address, "email": "kj+test@example.com"},
                        work={"occupation": "lainnya", "occupation_other": "Penjual O'Brien"})
    applicant.post("/selesai")
    other = hostile_app.test_client()
    _, token2 = register(other, identity={"nik": FEMALE_NIK, "sex": "P", "full_name": "Zalgo\u0351\u036b Nyai"},
                         contact={"address": address2, "phone": "0813 1111 2222"})
    probe.refresh()
    probe.check_page(other, "/tanda-terima", payloads=stored)
    public = hostile_app.test_client()
    for t in (token, token2):
        probe.check_page(public, f"/s/{t}", payloads=stored)
    staff = signed_in(hostile_app, probe, "supervisor")
    for t in (token, token2):
        probe.check_page(staff, f"/s/{t}", payloads=stored)
        probe.send(staff, "POST", f"/s/{t}/data", payloads=stored, mutating=(200,))
        probe.send(staff, "POST", f"/s/{t}/data", payloads=stored, headers={"HX-Request": "true"}, mutating=(200,))
    for url in ("/staff/antrian", "/staff/cari?q=Siti", "/staff/cari?q=Zalgo", "/staff/audit"):
        probe.check_page(staff, url, payloads=stored)
    # CSV: the addresses go out as text, spreadsheet formulas neutralised
    response = probe.send(staff, "POST", "/staff/ekspor.csv", mutating=(200,))
    assert response is not None and response.status_code == 200 and b"kj-xss-1" in response.data
    probe.assert_clean()


# --- staff desk -------------------------------------------------------------------------------------------

def test_staff_login_scan_and_logout(hostile_app, probe):
    make_staff("petugas")
    probe.refresh()
    anonymous = hostile_app.test_client()
    for field in ("username", "password"):
        for payload in payloads_for(f"staff:login:{field}"):
            form = {"username": "petugas-test", "password": "salah-sandi-1", field: payload.value}
            probe.send(anonymous, "POST", "/staff/masuk", payloads=[payload], form=pairs(form),
                       label=f"login.{field}", expect_status=(422, 413, 400))
    for payload in payloads_for("staff:login:next"):
        client = hostile_app.test_client()
        probe.send(client, "POST", "/staff/masuk", payloads=[payload], query=[("next", payload.value)],
                   form=pairs({"username": "petugas-test", "password": PASSWORD}), label="login.next",
                   expect_status=(303,))
    for payload in payloads_for("get:login_page:next"):
        probe.send(anonymous, "GET", "/staff/masuk", payloads=[payload], query=[("next", payload.value)],
                   label="login-page.next", expect_status=(200,))
    staff = signed_in(hostile_app, probe, "petugas")
    for payload in payloads_for("staff:scan:code"):
        probe.send(staff, "POST", "/staff/pindai", payloads=[payload], form=[("code", payload.value)],
                   label="scan.code", mutating=(), expect_status=(404, 413))
    supervisor = signed_in(hostile_app, probe, "supervisor")  # failed sign-ins are in the audit log
    probe.check_page(supervisor, "/staff/audit")
    probe.check_page(supervisor, "/staff/audit?action=login_failed")
    for payload in payloads_for("staff:logout:junk"):
        client = signed_in(hostile_app, probe, "petugas")
        probe.send(client, "POST", "/staff/keluar", payloads=[payload], form=[("junk", payload.value)],
                   label="logout")
    probe.assert_clean()


def test_staff_desk_query_strings(hostile_app, probe):
    _, token = register(hostile_app.test_client())
    supervisor = signed_in(hostile_app, probe, "supervisor")
    valid = {"status": "submitted", "kiosk": "", "event": "", "regency": "35.78", "from": "2026-01-01",
             "to": "2099-12-31", "page": "1", "action": "login", "actor": "supervisor-test",
             "receipt": "KJ-ABCD-1234", "q": "Moh"}
    for name in ("queue", "search", "audit", "export"):
        url, params = GET_PARAMS[name]
        for param in params:
            for n, payload in enumerate(payloads_for(f"get:{name}:{param}")):
                query = pairs({p: valid[p] for p in params if valid[p]}, **{param: payload.value})
                headers = {"HX-Request": "true", "HX-Target": "queue-results" if name == "queue" else "search-results"}
                probe.send(supervisor, "POST" if name == "export" else "GET", url, payloads=[payload], query=query,
                           label=f"{name}.{param}", headers=headers if n % 2 else None,
                           mutating=(200,) if name == "export" else ())
    probe.check_page(supervisor, f"/s/{token}")
    probe.assert_clean()


def _reset(app, token: str, **values) -> None:
    with app.app_context():
        db.connect(reuse_if_open=True)
        Registration.update(**values).where(Registration.token == token).execute()
        db.close()


def _version(app, token: str) -> int:
    with app.app_context():
        db.connect(reuse_if_open=True)
        version = Registration.get(Registration.token == token).version
        db.close()
        return version


def test_status_change_and_reveal(hostile_app, probe):
    """Every field of the status change as a supervisor; accepted reasons shown on the public page."""
    _, token = register(hostile_app.test_client())
    supervisor = signed_in(hostile_app, probe, "supervisor")
    public = hostile_app.test_client()
    for field in STATUS_FORM:
        for payload in payloads_for(f"status:change:{field}"):
            status = "verified" if field == "kpj" else "submitted"
            _reset(hostile_app, token, status=status, status_reason=None, kpj=None)
            probe.refresh()
            form = {"target": "active" if field == "kpj" else ("verified" if field == "version" else "needs_fix"),
                    "version": str(_version(hostile_app, token)), "reason": "Foto KTP buram.", "kpj": "",
                    "fix": "work"}
            form[field] = payload.value
            response = probe.send(supervisor, "POST", f"/s/{token}/status", payloads=[payload], form=pairs(form),
                                  label=f"change.{field}")
            if response is not None and response.status_code == 303:  # accepted: the public page and the desk show it
                probe.check_page(public, f"/s/{token}", payloads=[payload])
                probe.check_page(supervisor, f"/s/{token}", payloads=[payload])
    for payload in payloads_for("status:reveal:junk"):
        probe.send(supervisor, "POST", f"/s/{token}/data", payloads=[payload], form=[("junk", payload.value)],
                   headers={"HX-Request": "true"} if payload.kind == "xss" else None, label="reveal",
                   mutating=(200,))
    probe.check_page(supervisor, f"/s/{token}")
    probe.check_page(public, f"/s/{token}")
    probe.assert_clean()


# --- admin --------------------------------------------------------------------------------------------------

def _admin_fixtures(app, probe):
    admin = signed_in(app, probe, "admin")
    with app.app_context():
        db.connect(reuse_if_open=True)
        kiosk = Kiosk.create(name="Kios Dinas", place="Kantor Dinas", regency_code="35.78", kind="office")
        event = Event.create(name="Pameran", place="Balai Kota", regency_code="35.78",
                             starts_on=dt.date(2026, 11, 17), ends_on=dt.date(2026, 11, 18))
        db.close()
    other = make_staff("petugas", "petugas-lain")
    probe.refresh()
    return admin, kiosk, event, other


def test_admin_forms(hostile_app, probe):
    admin, kiosk, event, other = _admin_fixtures(hostile_app, probe)
    urls = {"kiosk_new": "/admin/kios/baru", "kiosk_edit": f"/admin/kios/{kiosk.id}",
            "event_new": "/admin/acara/baru", "event_edit": f"/admin/acara/{event.id}",
            "account_new": "/admin/akun/baru", "account_role": f"/admin/akun/{other.id}/peran",
            "account_password": f"/admin/akun/{other.id}/kata-sandi"}
    actions = [f"/admin/kios/{kiosk.id}/kode-pendaftaran", f"/admin/kios/{kiosk.id}/nonaktifkan",
               f"/admin/kios/{kiosk.id}/aktifkan", f"/admin/akun/{other.id}/nonaktifkan",
               f"/admin/akun/{other.id}/aktifkan", f"/admin/akun/{other.id}/buka-kunci"]
    for name, fields in ADMIN_FORMS.items():
        for field in fields:
            for n, payload in enumerate(payloads_for(f"admin:{name}:{field}")):
                form = dict(fields)
                if name == "account_new":
                    form["username"] = f"baru-{n}-{field}".replace("_", "-")
                if "kiosks" in form:
                    form["kiosks"] = [str(kiosk.id)]
                if name == "admin_actions":
                    url = actions[n % len(actions)]
                    probe.send(admin, "POST", url, payloads=[payload], form=[("junk", payload.value)],
                               label="admin-action", mutating=(200, 303))
                    continue
                if field == "kiosks":
                    form["kiosks"] = [str(kiosk.id), payload.value] if n % 2 else [payload.value]
                elif field == "password" and name != "account_new" or field == "password" and n % 2:
                    form["password"] = form["password_confirm"] = payload.value
                else:
                    form[field] = payload.value
                probe.send(admin, "POST", urls[name], payloads=[payload], form=pairs(form),
                           label=f"{name}.{field}")
    # everything that was accepted is listed and shown in the forms: no payload markup anywhere
    with hostile_app.app_context():
        db.connect(reuse_if_open=True)
        kiosk_ids = [k.id for k in Kiosk.select(Kiosk.id).order_by(Kiosk.id.desc()).limit(3)]
        event_ids = [e.id for e in Event.select(Event.id).order_by(Event.id.desc()).limit(3)]
        user_ids = [u.id for u in StaffUser.select(StaffUser.id).order_by(StaffUser.id.desc()).limit(3)]
        db.close()
    pages = ["/admin/kios", "/admin/acara", "/admin/acara/baru", "/admin/akun", "/admin/kios/baru",
             *(f"/admin/kios/{i}" for i in kiosk_ids), *(f"/admin/acara/{i}" for i in event_ids),
             *(f"/admin/akun/{i}" for i in user_ids)]
    for url in pages:
        probe.check_page(admin, url)
    supervisor = signed_in(hostile_app, probe, "supervisor")
    probe.check_page(supervisor, "/staff/antrian")
    probe.check_page(supervisor, "/staff/audit")
    probe.assert_clean()


# --- path parameters ------------------------------------------------------------------------------------------

def test_path_parameters(hostile_app, probe):
    _, token = register(hostile_app.test_client())
    admin, kiosk, event, other = _admin_fixtures(hostile_app, probe)
    supervisor = signed_in(hostile_app, probe, "supervisor")
    public = hostile_app.test_client()
    routes = {
        "status_token": (public, "GET", "/s/{}"),
        "reveal_token": (supervisor, "POST", "/s/{}/data"),
        "change_token": (supervisor, "POST", "/s/{}/status"),
        "admin_kiosk_id": (admin, "GET", "/admin/kios/{}"),
        "admin_event_id": (admin, "GET", "/admin/acara/{}"),
        "admin_account_id": (admin, "GET", "/admin/akun/{}"),
        "admin_post_id": (admin, "POST", None),
        "enrol_code": (public, "GET", "/kiosk/pasang/{}"),
        "static_path": (public, "GET", "/static/{}"),
    }
    admin_posts = ["/admin/kios/{}/kode-pendaftaran", "/admin/kios/{}/nonaktifkan", "/admin/akun/{}/peran",
                   "/admin/akun/{}/kata-sandi", "/admin/akun/{}/nonaktifkan", "/admin/kios/{}"]
    for name, (client, method, pattern) in routes.items():
        for n, payload in enumerate(payloads_for(f"path:{name}")):
            for segment in path_forms(payload):
                url = (pattern or admin_posts[n % len(admin_posts)]).format(segment)
                form = [("target", "verified"), ("version", "1"), ("role", "admin")] if method == "POST" else None
                response = probe.send(client, method, url, payloads=[payload], form=form, label=name,
                                      expect_status=(404, 405, 400, 308, 301))
                if name == "static_path" and response is not None:
                    for leak in (b"root:x:0:0", b"def create_app", b"SECRET_KEY", b"[extensions]"):
                        assert leak not in response.data, (url, leak)
    # every traversal string, encoded and as typed, against the two routes that take a path
    for payload in (p for p in CORPUS if p.kind == "traversal"):
        for segment in path_forms(payload):
            for client, url in ((public, f"/static/{segment}"), (public, f"/s/{segment}"),
                                (public, f"/static/css/{segment}"), (supervisor, f"/s/{segment}/data")):
                response = probe.send(client, "POST" if url.endswith("/data") else "GET", url, payloads=[payload],
                                      label="traversal", expect_status=(404, 405, 400, 308))
                if response is not None:
                    for leak in (b"root:x:0:0", b"def create_app", b"SECRET_KEY", b"[extensions]"):
                        assert leak not in response.data, (url, leak)
    # numbers that are ids in the wrong shape
    # (Werkzeug's int converter reads unicode digits: /admin/kios/١ is kiosk 1, an alias, not an error.)
    for number in ("0", "-1", "2147483648", "9" * 30, "٩" * 30, "1e3", "0x10", "1.0", " 1", "1%00", "+1", "1_0"):
        for pattern in ("/admin/kios/{}", "/admin/acara/{}", "/admin/akun/{}"):
            probe.send(admin, "GET", pattern.format(quote(number, safe="%")), label="id-shape",
                       expect_status=(404,))
        probe.send(admin, "POST", f"/admin/akun/{quote(number, safe='%')}/nonaktifkan", label="id-shape",
                   expect_status=(404,))
    probe.check_page(public, f"/s/{token}")
    probe.assert_clean()


# --- unknown fields, wrong bodies, content types ----------------------------------------------------------------

def _post_endpoints(app, probe):
    """(client, url, valid fields) for every POST endpoint, each client at the stage its form needs
    (the business flow's and the desk's business endpoints from tests/hostile/business.py)."""
    _, token = register(app.test_client(), identity={"nik": FEMALE_NIK, "sex": "P"})
    admin, kiosk, event, other = _admin_fixtures(app, probe)
    supervisor = signed_in(app, probe, "supervisor")
    stage = {s: at_stage(app, s) for s in ("consent", "identity", "contact", "work", "program")}
    probe.refresh()
    anon = app.test_client()
    endpoints = [(stage[s], url, dict(fields)) for url, s, fields in WALKIN_FORMS.values()]
    endpoints += [(anon, url, fields) for url, fields in SESSION_POSTS.values()]
    endpoints += [(anon, "/staff/masuk", {"username": "supervisor-test", "password": "salah-sandi-1"}),
                  (supervisor, "/staff/pindai", {"code": "KJ-ABCD-1234"}),
                  (supervisor, f"/s/{token}/status", dict(STATUS_FORM, version="1")),
                  (supervisor, f"/s/{token}/data", {}),
                  (supervisor, "/staff/ekspor.csv", {}),
                  (supervisor, "/staff/ekspor.xlsx", {}),
                  (admin, "/admin/kios/baru", ADMIN_FORMS["kiosk_new"]),
                  (admin, f"/admin/kios/{kiosk.id}", ADMIN_FORMS["kiosk_edit"]),
                  (admin, f"/admin/kios/{kiosk.id}/kode-pendaftaran", {}),
                  (admin, f"/admin/kios/{kiosk.id}/nonaktifkan", {}),
                  (admin, f"/admin/kios/{kiosk.id}/aktifkan", {}),
                  (admin, "/admin/acara/baru", dict(ADMIN_FORMS["event_new"], kiosks=str(kiosk.id))),
                  (admin, f"/admin/acara/{event.id}", dict(ADMIN_FORMS["event_edit"], kiosks=str(kiosk.id))),
                  (admin, "/admin/akun/baru", dict(ADMIN_FORMS["account_new"], username="dari-json")),
                  (admin, f"/admin/akun/{other.id}/peran", ADMIN_FORMS["account_role"]),
                  (admin, f"/admin/akun/{other.id}/kata-sandi", ADMIN_FORMS["account_password"]),
                  (admin, f"/admin/akun/{other.id}/nonaktifkan", {}),
                  (admin, f"/admin/akun/{other.id}/aktifkan", {}),
                  (admin, f"/admin/akun/{other.id}/buka-kunci", {})]
    endpoints += business_post_endpoints(app, supervisor)
    endpoints.append((supervisor, "/staff/keluar", {}))  # last: it signs the supervisor out
    probe.refresh()
    return endpoints


def assert_every_post_route_is_covered(app, urls) -> None:
    """Walk app.url_map: every route that takes a POST must be among the urls probed."""
    adapter = app.url_map.bind("localhost")
    probed = {adapter.match(url, method="POST")[0] for url in urls}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert routes <= probed, f"POST routes nobody probes: {sorted(routes - probed)}"


SUCCESS = (200, 303)  # what a POST may answer when its (ignored) body still counts as a success
BOUNDARY = "kj-boundary-7d1f"


def multipart(parts) -> bytes:
    """A multipart/form-data body; values go as raw bytes."""
    out = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        out += (b"Content-Type: text/html\r\n" if filename else b"") + b"\r\n" + value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def test_wrong_bodies_and_content_types(hostile_app, probe):
    endpoints = _post_endpoints(hostile_app, probe)
    assert_every_post_route_is_covered(hostile_app, [url for _, url, _ in endpoints])
    sample = [BY_ID[i] for i in ("xss-001", "xss-012", "bytes-001", "bytes-014", "control-001", "size-001",
                                 "jsonxml-015", "digits-001", "header-001")]
    for n, (client, url, fields) in enumerate(endpoints):
        payload = sample[n % len(sample)]
        names = [k for k in fields if fields[k] is not None] or ["junk"]
        text_values = {k: payload.text for k in names}
        bodies = [
            ("json", json.dumps(text_values), "application/json"),
            ("json-nested", json.dumps({k: {"$gt": [payload.text]} for k in names}), "application/json"),
            ("json-broken", '{"' + names[0] + '": ', "application/json"),
            ("json-list", json.dumps([1, [names[0], payload.text], None]), "application/json"),
            ("json-numbers", json.dumps({k: 10 ** 30 for k in names}), "application/vnd.api+json"),
            ("text", payload.wire, "text/plain"),
            ("xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
             "application/xml"),
            ("urlencoded-malformed", b"%ZZ=%&&&==&" + names[0].encode() + b"=%E0%A4%A&%00=%00", None),
            ("urlencoded-bytes", names[0].encode() + b"=" + payload.wire.replace(b"&", b"%26"), None),
            ("charset", f"{names[0]}=%FF%FE", "application/x-www-form-urlencoded; charset=utf-16"),
            ("multipart-broken", b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb",
             "multipart/form-data; boundary=xyz"),
            ("multipart-noboundary", b"garbage", "multipart/form-data"),
            ("too-many-fields", "&".join(f"f{i}=1" for i in range(5000)), None),
            ("repeated", "&".join(f"{names[0]}=x" for _ in range(300)), None),
        ]
        for kind, body, content_type in bodies:
            probe.send(client, "POST", url, payloads=[payload], body=body,
                       content_type=content_type or "application/x-www-form-urlencoded", label=f"body-{kind}",
                       mutating=SUCCESS)
        # multipart: the fields as parts (raw bytes, no percent-encoding) plus a file nobody asked for
        parts = [(k, payload.wire, "kj\"<x>.html" if i == 0 else None) for i, k in enumerate(names)]
        parts.append(("upload", b"<script>alert('kj-file')</script>", "../../kj.html"))
        probe.send(client, "POST", url, payloads=[payload], body=multipart(parts),
                   content_type=f"multipart/form-data; boundary={BOUNDARY}", label="multipart", mutating=SUCCESS)
        # unknown field names, hostile names, every field repeated with conflicting values
        for m, p in enumerate(payloads_for("walkin:consent:back_to")[:6]):
            form = pairs(fields) + [(p.text if m % 2 else p.wire, p.value), ("junk", p.value)]
            form += [(k, p.value) for k in names]
            probe.send(client, "POST", url, payloads=[p], form=form, label="names", mutating=SUCCESS)
    probe.assert_clean()


# --- CSRF ---------------------------------------------------------------------------------------------------

def _csrf_token(client, url="/") -> str:
    html = client.get(url).data.decode()
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def test_csrf_missing_foreign_tampered_and_hostile_tokens(csrf_app, cheap_hashing):
    probe = Probe(csrf_app, secrets=list(TEST_KEYS.values()))
    make_staff("admin")
    make_staff("supervisor")
    staff = csrf_app.test_client()
    token = _csrf_token(staff, "/staff/masuk")
    assert staff.post("/staff/masuk", data={"username": "admin-test", "password": PASSWORD,
                                            "csrf_token": token}).status_code == 303
    walkin = csrf_app.test_client()
    walk_token = _csrf_token(walkin)
    assert walkin.post("/daftar", data={"csrf_token": walk_token}).status_code == 303
    stranger = csrf_app.test_client()
    foreign = _csrf_token(stranger)
    tampered = walk_token[:-3] + ("AAA" if not walk_token.endswith("AAA") else "BBB")
    tokens = [("missing", None), ("foreign", foreign), ("tampered", tampered), ("truncated", walk_token[:20]),
              ("empty", ""), ("swapped-parts", ".".join(reversed(walk_token.split(".")))),
              ("unsigned", "kj-not-a-token")]
    tokens += [(p.id, p.value) for p in CORE]
    posts = [(walkin, url) for url in ("/daftar", "/daftar/persetujuan", "/daftar/identitas", "/daftar/identitas/nik",
                                       "/daftar/kontak", "/daftar/pekerjaan", "/daftar/program",
                                       "/daftar/program/hitung", "/daftar/kirim", "/cek", "/bahasa", "/selesai",
                                       "/perbaiki", "/staff/masuk", "/usaha", "/usaha/persetujuan", "/usaha/data",
                                       "/usaha/pemilik", "/usaha/nik", "/usaha/pekerja", "/usaha/pekerja/tambah",
                                       "/usaha/pekerja/ubah", "/usaha/pekerja/hapus", "/usaha/pekerja/unggah",
                                       "/usaha/program", "/usaha/program/hitung", "/usaha/kirim")]
    posts += [(staff, url) for url in ("/staff/pindai", "/staff/keluar", "/admin/kios/baru", "/admin/acara/baru",
                                       "/admin/akun/baru", "/admin/akun/1/peran", "/admin/akun/1/kata-sandi",
                                       "/admin/akun/1/nonaktifkan", "/admin/akun/1/buka-kunci",
                                       "/s/AAAAAAAAAAAAAAAAAAAAAA/status",
                                       "/staff/usaha/AAAAAAAAAAAAAAAAAAAAAA/status",
                                       "/staff/usaha/AAAAAAAAAAAAAAAAAAAAAA/data")]
    for n, (client, url) in enumerate(posts):
        for m, (kind, value) in enumerate(tokens):
            payloads = [BY_ID[kind]] if kind in BY_ID else []
            form = [("agree", "yes"), ("nik", VALID_NIK), ("username", "kj-csrf"), ("password", "sandi-rahasia-123"),
                    ("password_confirm", "sandi-rahasia-123"), ("role", "admin"), ("name", "Kios CSRF"),
                    ("lang", "en"), ("next", "/")]
            if value is not None:
                form.append(("csrf_token", value))
            headers = {"X-CSRFToken": foreign} if m % 4 == 1 else None
            probe.send(client, "POST", url, payloads=payloads, form=form, headers=headers, label=f"csrf-{kind}",
                       expect_status=(400, 413))
    # a token replayed after its session is gone (the cookie cleared, e.g. a new browser profile)
    replay = csrf_app.test_client()
    old = _csrf_token(replay)
    replay.delete_cookie("session")
    for url in ("/daftar", "/cek", "/bahasa", "/staff/masuk"):
        probe.send(replay, "POST", url, form=[("csrf_token", old), ("nik", VALID_NIK), ("lang", "en")],
                   label="csrf-replayed", expect_status=(400,))
    # and the real token still works (so the 400s above were the CSRF check, not something else)
    token = _csrf_token(staff, "/admin/kios/baru")
    probe.refresh()
    probe.send(staff, "POST", "/admin/kios/baru", form=[("csrf_token", token), ("name", "Kios Asli"),
                                                       ("place", "Pasar"), ("regency", "35.78"), ("kind", "market")],
               label="csrf-valid", expect_status=(303,))
    probe.assert_clean()


# --- cookies ------------------------------------------------------------------------------------------------

def test_forged_kiosk_and_session_cookies(hostile_app, probe):
    with hostile_app.app_context():
        db.connect(reuse_if_open=True)
        kiosk = Kiosk.create(name="Kios Asli", place="Pasar", regency_code="35.78", kind="market",
                             device_key="kj-device-key")
        db.close()
    probe.refresh()
    wrong = URLSafeSerializer("not-the-secret-key", salt="kiosk-device")
    right = URLSafeSerializer(hostile_app.config["SECRET_KEY"], salt="kiosk-device")
    kiosk_cookies = [
        "", "x", "A" * 199, "A" * 5000, "kj.kj.kj", "null", "[]", "{}", "W10", ".eJyLjgUAARUAuQ.kj",
        wrong.dumps([kiosk.id, "kj-device-key"]), wrong.dumps([kiosk.id, "kj-device-key"])[:-1] + "A",
        right.dumps([kiosk.id, "wrong-device-key"]), right.dumps("just-a-string"), right.dumps([kiosk.id]),
        right.dumps({"a": 1, "b": 2}), right.dumps([str(kiosk.id), "kj-device-key"]), right.dumps([1.0, "k"]),
        right.dumps([kiosk.id, None]), right.dumps([None, None]), right.dumps([[1], {"k": 1}]),
        right.dumps([kiosk.id, "kj-device-key"]).replace(".", "..", 1),
    ] + [quote(p.wire, safe="") for p in CORE]
    session_iface = SecureCookieSessionInterface()

    class FakeApp:
        secret_key = "not-the-secret-key"
        config = hostile_app.config

    bad_session = session_iface.get_signing_serializer(FakeApp())
    session_cookies = [
        "garbage", "A" * 4000, bad_session.dumps({"visit": "x", "_user_id": "1:1", "_fresh": True}),
        bad_session.dumps({"lang": "<script>alert('kj')</script>"}), ".eJyrVsrJT0xRslIqSk1RqgUAMhQFhg.kj.kj",
        "eyJ2aXNpdCI6ICJ4In0", "\u00e9\u00e9",
    ]
    for n, value in enumerate(kiosk_cookies):
        client = hostile_app.test_client(use_cookies=False)
        headers = {"Cookie": f"kiosk={value}"}
        probe.send(client, "GET", "/", headers=headers, label="kiosk-cookie", expect_status=(200,))
        probe.send(client, "POST", "/daftar", headers=headers, label="kiosk-cookie")
        probe.send(client, "POST", "/cek", headers=headers, form=[("nik", VALID_NIK), ("mother_name", "x")],
                   label="kiosk-cookie", mutating=(303,))
        with hostile_app.app_context():
            db.connect(reuse_if_open=True)
            assert not Draft.select().where(Draft.kiosk.is_null(False)).exists(), value
            db.close()
    for value in session_cookies:
        client = hostile_app.test_client(use_cookies=False)
        headers = {"Cookie": f"session={value}"}
        for method, url in (("GET", "/daftar/identitas"), ("POST", "/daftar/identitas"), ("GET", "/staff/antrian"),
                            ("GET", "/admin/akun"), ("POST", "/s/AAAAAAAAAAAAAAAAAAAAAA/data"),
                            ("GET", "/tanda-terima")):
            response = probe.send(client, method, url, headers=headers, label="session-cookie", mutating=())
            assert response is None or response.status_code in (302, 303), (value[:40], url, response.status_code)
    probe.assert_clean()


def test_rate_limited_rejections_still_explain_and_change_nothing(app, cheap_hashing):
    """With the real limits: throttled answers are readable error pages and change nothing (besides
    the expected audit rows of failed and throttled sign-ins)."""
    probe = Probe(app, secrets=list(TEST_KEYS.values()))
    make_staff("petugas")
    probe.refresh()
    client = app.test_client()
    for payload in CORE[:8]:
        probe.send(client, "POST", "/cek", payloads=[payload], form=[("nik", payload.value), ("mother_name", "x")],
                   label="reprint-limit", mutating=())
        probe.send(client, "POST", "/staff/masuk", payloads=[payload],
                   form=[("username", payload.value), ("password", "x")], label="login-limit")
    statuses = {client.post("/cek", data={"nik": VALID_NIK, "mother_name": "x"}).status_code}
    assert statuses == {429}
    probe.assert_clean()


# --- the checks themselves --------------------------------------------------------------------------------

def test_the_probe_catches_what_it_is_meant_to(app):
    """A deliberately broken little app: every kind of problem must be reported (no vacuous checks)."""
    from flask import Flask, redirect, request

    assert app.config["SECRET_KEY"] == TEST_KEYS["SECRET_KEY"]  # the secret-leak check looks for the real keys

    broken = Flask("broken")
    broken.config["TESTING"] = False

    @broken.get("/raw")
    def raw():
        return f"<p>{request.args['q']}</p>"

    @broken.get("/attr")
    def attr():
        return f'<input value="{request.args["q"]}">'

    @broken.get("/boom")
    def boom():
        raise RuntimeError("kj")

    @broken.get("/away")
    def away():
        return redirect(request.args["q"], code=303)

    @broken.get("/silent")
    def silent():
        return "<p>no</p>", 422

    @broken.get("/fine")
    def fine():
        from markupsafe import escape
        return f"<p>{escape(request.args['q'])}</p>"

    client = broken.test_client()
    cases = [("/raw", "xss-001", "injected"), ("/raw", "xss-011", "dangerous element <img>"),
             ("/attr", "xss-012", "injected"), ("/raw", "template-002", None),
             ("/away", "redirect-001", "redirect off the site"), ("/boom", "sql-001", "server error"),
             ("/silent", "sql-001", "readable message")]
    by_value = {p.value: p for p in CORPUS}
    cases.append(("/attr", by_value["\" autofocus onfocus=\"alert('kj-xss-52')\" x=\""].id, "event handler"))
    cases.append(("/raw", by_value["<p id=\"kj-xss-71\" class=\"kj-injected\">kj-paragraph</p>"].id, "injected"))
    for url, payload_id, expected in cases:
        probe = Probe(app)
        probe.send(client, "GET", url, payloads=[BY_ID[payload_id]], query=[("q", BY_ID[payload_id].value)])
        if expected is None:
            assert not probe.failures, probe.failures
        else:
            assert any(expected in f for f in probe.failures), (url, payload_id, probe.failures)
    probe = Probe(app)
    for payload in CORE:
        probe.send(client, "GET", "/fine", payloads=[payload], query=[("q", payload.value)])
    assert not probe.failures, probe.failures
    # a change to the database by a rejected request is noticed
    probe = Probe(app)
    probe.send(client, "GET", "/fine", query=[("q", "x")])
    make_staff("petugas")  # (behind the probe's back)
    probe.send(client, "GET", "/silent")
    assert any("database changed" in f for f in probe.failures), probe.failures
