"""Queue, search and export of applications for the staff desk."""

import re
import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from peewee import PostgresqlDatabase, fn

from kiosk import registrations
from kiosk.auth import role_required, staff_user
from kiosk.db import db
from kiosk.labels import STATUS_LABELS
from kiosk.models import Business, Event, Kiosk, Region, Registration
from kiosk.services import receipt_codes
from kiosk.services.nik import NIK_LENGTH, normalise_nik
from kiosk.services.person import mask_name
from kiosk.services.phone import InvalidPhone, normalise_mobile
from kiosk.services.receipt_codes import parse_code
from kiosk.services.workflow import PETUGAS, STATUSES, SUPERVISOR
from kiosk.staff import bp, export as exports
from kiosk.staff.filters import QueueFilter
from kiosk.web.htmx import wants_fragment
from kiosk.web.paging import page_of

PAGE_SIZE = 50
RESULTS_TARGET = "queue-results"
SEARCH_TARGET = "search-results"

MAX_QUERY = 100
MIN_NAME = 2
MAX_RESULTS = 20
NUMBERISH = re.compile(r"^[0-9+()\-.\s]+$")


# --- queue ---------------------------------------------------------------------------------------

@bp.get("/antrian")
@role_required(PETUGAS)
def queue():
    """List applications newest first, 50 a page, filtered; counts per status for the filter."""
    query_filter = QueueFilter.from_args(request.args)
    counts = query_filter.status_counts()
    total = counts[query_filter.status] if query_filter.status else sum(counts.values())
    page, pages = page_of(total, PAGE_SIZE)
    query = (query_filter.apply(Registration.select(
                Registration.id, Registration.token, Registration.receipt_code, Registration.full_name,
                Registration.status, Registration.kiosk, Registration.event, Registration.regency_code,
                Registration.created_at, Registration.kind, Registration.business))
             .order_by(Registration.created_at.desc(), Registration.id.desc())
             .paginate(page, PAGE_SIZE))
    page_rows = list(query)
    names = _names_for(page_rows)
    context = dict(
        rows=[_queue_row(r, names) for r in page_rows],
        filter=query_filter, counts=counts, total=total, page=page, pages=pages,
        labels=STATUS_LABELS, statuses=STATUSES,
    )
    if wants_fragment(RESULTS_TARGET):
        return render_template("staff/_queue_results.html", fragment=True, **context)
    return render_template("staff/queue.html", title=_l("Antrian"), mode="queue",
                           kiosks=list(Kiosk.select(Kiosk.id, Kiosk.name).order_by(Kiosk.name, Kiosk.id)),
                           events=list(Event.select(Event.id, Event.name, Event.starts_on)
                                       .order_by(Event.starts_on.desc(), Event.name)),
                           regencies=Region.regency_groups(), query="", **context)


def _names_for(rows) -> dict:
    """Kiosk, event, regency and business names for one page of rows (four small queries)."""
    kiosk_ids = {r.kiosk_id for r in rows if r.kiosk_id}
    event_ids = {r.event_id for r in rows if r.event_id}
    codes = {r.regency_code for r in rows if r.regency_code}
    business_ids = {r.business_id for r in rows if r.business_id}
    return {
        "business": {pk: (token, name) for pk, token, name in (
            Business.select(Business.id, Business.token, Business.name)
            .where(Business.id.in_(business_ids)).tuples())} if business_ids else {},
        "kiosk": dict(Kiosk.select(Kiosk.id, Kiosk.name).where(Kiosk.id.in_(kiosk_ids)).tuples()) if kiosk_ids else {},
        "event": dict(Event.select(Event.id, Event.name).where(Event.id.in_(event_ids)).tuples()) if event_ids else {},
        "regency": (dict(Region.select(Region.code, Region.name).where(Region.code.in_(codes)).tuples())
                    if codes else {}),
    }


def _queue_row(registration, names) -> dict:
    return {
        "token": registration.token,
        "receipt_code": registration.receipt_code,
        "masked_name": mask_name(registration.full_name),
        "status": registration.status,
        "kiosk": names["kiosk"].get(registration.kiosk_id, ""),
        "event": names["event"].get(registration.event_id, ""),
        "regency": names["regency"].get(registration.regency_code, registration.regency_code),
        "created_at": registration.created_at,
        "kind": registration.kind,
        # (token, name) of the business a worker was registered by
        "business": names["business"].get(registration.business_id),
    }


# --- search --------------------------------------------------------------------------------------

def clean_query(raw) -> str:
    """Drop control and format characters (NUL would break PostgreSQL), collapse spaces, cap length."""
    text = raw if isinstance(raw, str) else ""
    text = "".join(ch for ch in text[:MAX_QUERY * 4] if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.split())[:MAX_QUERY]


def find(query: str) -> tuple[str, list]:
    """Return (kind, registrations) for one search box: NIK, receipt code, mobile number or name.

    kind is "empty", "nik", "receipt", "phone", "number" (digits that are none of these),
    "short" (a name under MIN_NAME characters) or "name".
    """
    if not query:
        return "empty", []
    columns = (Registration.token, Registration.receipt_code, Registration.nik_masked,
               Registration.full_name, Registration.status, Registration.created_at)
    newest = (Registration.created_at.desc(), Registration.id.desc())
    nik = normalise_nik(query)
    if len(nik) == NIK_LENGTH and nik.isascii() and nik.isdigit():
        where, kind = Registration.nik_hash == registrations.nik_index(nik), "nik"
    elif (receipt := parse_code(query)) and receipt[0] == receipt_codes.WALKIN:
        where, kind = Registration.receipt_code == receipt[1], "receipt"
    elif (e164 := _mobile(query)) is not None:
        where, kind = Registration.phone_hash == registrations.phone_index(e164), "phone"
    elif NUMBERISH.match(query):
        return "number", []
    elif len(query) < MIN_NAME:
        return "short", []
    else:
        return "name", _by_name(query.lower(), columns)
    return kind, list(Registration.select(*columns).where(where).order_by(*newest).limit(MAX_RESULTS))


# Name search: names that start with the text first, then names with a word that starts with it, then
# names that contain it elsewhere; within each, by name, then newest first. Each of the three is its own
# query in the order of the registration_name_order index (migration 003), so it stops after 20 rows;
# a fragment that is rare is first narrowed to its few candidate rows by a trigram index (PostgreSQL:
# pg_trgm, chosen by the planner; SQLite: the FTS5 table, asked here).
FTS_CANDIDATES = 2000  # fewer rows than this contain the fragment: look only at those


def _by_name(needle: str, columns) -> list:
    lowered = fn.LOWER(Registration.full_name)
    postgres = isinstance(db.obj, PostgresqlDatabase)
    ordered = lowered.collate('"C"') if postgres else lowered  # the index's byte order on both engines
    upper = needle[:-1] + chr(min(ord(needle[-1]) + 1, 0x10FFFF))  # just past every name that starts so
    starts = (ordered >= needle) & (ordered < upper)
    word = lowered.contains(" " + needle)
    ranks = ((starts, None), (word & ~starts, " " + needle), (lowered.contains(needle) & ~starts & ~word, needle))
    found: list = []
    for condition, fragment in ranks:
        query = Registration.select(*columns).where(condition)
        if fragment is not None and not postgres:
            candidates = _fts_candidates(fragment)
            if candidates is not None:
                if not candidates:
                    continue
                query = query.where(Registration.id.in_(candidates))
        found += list(query.order_by(ordered, Registration.created_at.desc(), Registration.id.desc())
                      .limit(MAX_RESULTS - len(found)))
        if len(found) >= MAX_RESULTS:
            break
    return found


def _fts_candidates(fragment: str) -> list | None:
    """Ids of the registrations whose name contains fragment, when there are few; None when there are
    many (a scan in name order then finds 20 soon) or SQLite has no trigram index to ask."""
    if len(fragment) < 3 or any(ch in fragment for ch in "%_\\") or not _has_fts():
        return None
    rows = db.execute_sql("SELECT rowid FROM registration_name_fts WHERE full_name LIKE ? LIMIT ?",
                          (f"%{fragment}%", FTS_CANDIDATES + 1)).fetchall()
    return None if len(rows) > FTS_CANDIDATES else [r[0] for r in rows]


def _has_fts() -> bool:
    return bool(db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'registration_name_fts'").fetchone())


def _mobile(query: str) -> str | None:
    try:
        return normalise_mobile(query)
    except InvalidPhone:
        return None


@bp.get("/cari")
@role_required(PETUGAS)
def search():
    """Find applications by NIK, receipt code, mobile number or (part of) the name."""
    query = clean_query(request.args.get("q", ""))
    kind, results = find(query)
    context = dict(query=query, kind=kind, results=results, labels=STATUS_LABELS, max_results=MAX_RESULTS)
    if wants_fragment(SEARCH_TARGET):
        return render_template("staff/_search_results.html", **context)
    return render_template("staff/queue.html", title=_l("Cari pendaftaran"), mode="search", **context)


# --- export --------------------------------------------------------------------------------------

@bp.post("/ekspor.<any(csv, xlsx):fmt>")
@role_required(SUPERVISOR)
def export(fmt):
    """Download the filtered applications as CSV or an Excel workbook for a collective upload (audited)."""
    query_filter = QueueFilter.from_args(request.args)
    snapshot = exports.Snapshot(query_filter)
    if fmt == "xlsx" and snapshot.count > exports.XLSX_MAX_ROWS:
        flash(_("Terlalu banyak baris untuk Excel (%(rows)s, paling banyak %(max)s). "
                "Unduh CSV atau persempit saringan.", rows=snapshot.count, max=exports.XLSX_MAX_ROWS), "error")
        return redirect(url_for("staff.queue", **query_filter.args()), code=303)
    return exports.stream(fmt, snapshot, actor=staff_user())
