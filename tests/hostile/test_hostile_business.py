"""Hostile input on the business routes: the kiosk's business flow and the desk's business pages.

What is sent
    tests/business/test_business_hostile.py already sends the CORE entries to every business step field, to a
    fixed row and to ?ubah= / ?kembali=, and hostile cells in an uploaded CSV. This file gives those
    same fields the rest of the corpus (each non-CORE entry dealt once over the business targets, so
    every corpus entry reaches a business route), and the full treatment (CORE plus its share) to what
    that file does not reach:

    * the start and consent posts, the worker list's own post, the submit (whose receipt is then read);
    * the upload: hostile file names on a good list, files that are not worker lists (programs, PDF,
      archives, a zip that is no workbook, a workbook with external entities or a zip bomb, UTF-16,
      NUL bytes, HTML named .csv), a file just over the limit and bodies over what the request may
      carry (a big file, a big field, thousands of parts), and hostile cells in an XLSX;
    * the desk's business action (action, version, workers fingerprint, reason, next) and reveal as a
      supervisor, every accepted reason read back on the public business page, a worker's status page
      and the desk page; the business queue's and export's query parameters; the business token in
      /u/<token> and /staff/usaha/<token>[/status|/data|/ekspor.csv].

    Wrong bodies and content types on every business POST route are in test_hostile_inputs.py
    (test_wrong_bodies_and_content_types, through tests/hostile/business.py), like every other route.

What is checked: the same as everywhere in the suite (tests/hostile/probe.py): no 5xx, no payload
markup, a readable message on every rejection, nothing stored by a request that did not succeed.
"""

from __future__ import annotations

import gzip
import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from kiosk.db import db
from kiosk.models import Business, Draft, Registration
from kiosk.services.worker_list import COLUMNS, MAX_UPLOAD_BYTES
from tests.flows import pu_worker_nik
from tests.hostile.business import (
    CHANGE_FORM,
    FIX_FORM,
    FLOW_FORMS,
    QUEUE_PARAMS,
    at_business_stage,
    change_form,
    desk_business,
    reset_business,
)
from tests.hostile.corpus import CORE_IDS, CORPUS, Payload
from tests.hostile.test_hostile_inputs import HTMX, build_plan, pairs, path_forms, signed_in

# --- the plan --------------------------------------------------------------------------------------------

# Fields tests/business/test_business_hostile.py sends CORE to: here they get the rest of the corpus only.
FLOW_TARGETS = ([f"flow:{name}:{field}" for name, (_, _, fields, _) in FLOW_FORMS.items() for field in fields]
                + [f"flow:fix:{field}" for field in FIX_FORM] + ["flow:get:ubah", "flow:get:kembali"])
OWN_TARGETS = (["flow:start:junk", "flow:consent:agree", "flow:consent:back_to", "flow:workers:back_to",
                "flow:submit:junk", "flow:upload:filename"]
               + [f"desk:change:{field}" for field in CHANGE_FORM] + ["desk:reveal:junk"]
               + [f"desk:queue:{param}" for param in QUEUE_PARAMS]
               + ["path:business_status", "path:desk_business", "path:desk_business_post", "path:desk_export"])
TARGETS = FLOW_TARGETS + OWN_TARGETS
PLAN = build_plan(TARGETS, redundancy=1)


def payloads_for(target: str) -> list[Payload]:
    if target in FLOW_TARGETS:
        return [p for p in PLAN[target] if p.id not in CORE_IDS]
    return PLAN[target]


def test_plan_sends_every_corpus_entry_to_a_business_route():
    assert len(TARGETS) == len(set(TARGETS))
    sent = {p.id for target in TARGETS for p in payloads_for(target)}
    assert sent | set(CORE_IDS) == {p.id for p in CORPUS}
    for target in OWN_TARGETS:
        assert set(CORE_IDS) <= {p.id for p in payloads_for(target)}, target
    for target in TARGETS:
        assert len([p for p in payloads_for(target) if p.id not in CORE_IDS]) >= 8, target


# --- helpers ---------------------------------------------------------------------------------------------

BOUNDARY = "kj-usaha-3b9e"
STEP_PAGES = {"business": "/usaha/data", "owner": "/usaha/pemilik", "add_worker": "/usaha/pekerja",
              "program": "/usaha/program", "remove": "/usaha/pekerja"}


def multipart(parts, *, file_type: bytes = b"text/csv") -> bytes:
    """A multipart/form-data body from (name, filename or None, bytes); names and file names go raw."""
    out = b""
    for name, filename, value in parts:
        name = name if isinstance(name, bytes) else name.encode()
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            filename = filename if isinstance(filename, bytes) else filename.encode("utf-8", "surrogatepass")
            disposition += b'; filename="' + filename + b'"'
        out += (f"--{BOUNDARY}\r\n".encode() + b"Content-Disposition: " + disposition + b"\r\n"
                + (b"Content-Type: " + file_type + b"\r\n" if filename is not None else b"")
                + b"\r\n" + value + b"\r\n")
    return out + f"--{BOUNDARY}--\r\n".encode()


def worker_csv(first_serial: int = 3001, rows: int = 2) -> bytes:
    lines = [",".join(COLUMNS)] + [f"{pu_worker_nik(first_serial + n)},Pekerja Uji {chr(65 + n)},2500000,Kasir"
                                   for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def upload(probe, client, body: bytes, *, payloads=(), label: str, headers=None, mutating=(303,)):
    return probe.send(client, "POST", "/usaha/pekerja/unggah", payloads=list(payloads), body=body,
                      content_type=f"multipart/form-data; boundary={BOUNDARY}", headers=headers, label=label,
                      mutating=mutating)


def clear_list(probe, client) -> None:
    client.post("/usaha/pekerja/hapus", data={"remove": "all"})
    probe.refresh()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, rewrite) -> bytes:
    """The workbook data with its first sheet's XML passed through rewrite (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = rewrite(content)
            target.writestr(item, content)
    return out.getvalue()


def _entity(content: bytes, doctype: bytes, reference: bytes) -> bytes:
    declaration_end = content.index(b"?>") + 2 if content.startswith(b"<?xml") else 0
    cell = b'<c r="A2" t="inlineStr"><is><t>' + reference + b"</t></is></c>"
    content = content[:declaration_end] + doctype + content[declaration_end:]
    return content.replace(b"</sheetData>", b'<row r="2">' + cell + b"</row></sheetData>", 1)


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- the business flow --------------------------------------------------------------------------------------

def test_business_step_fields_get_the_rest_of_the_corpus(hostile_app, probe):
    """Every field of every business step, at its stage, htmx and plain posts alternating; whatever a
    step accepts is read back on its page and on the review page."""
    clients = {stage: at_business_stage(hostile_app, stage) for stage in ("business", "owner", "workers", "program")}
    remover = at_business_stage(hostile_app, "program")  # removing rows must not starve the other steps
    probe.refresh()
    for name, (url, stage, fields, mutating) in FLOW_FORMS.items():
        client = remover if name == "remove" else clients[stage]
        for field in fields:
            for n, payload in enumerate(payloads_for(f"flow:{name}:{field}")):
                response = probe.send(client, "POST", url, payloads=[payload],
                                      form=pairs(fields, **{field: payload.value}),
                                      headers=HTMX if n % 2 else None, label=f"{name}.{field}", mutating=mutating)
                if response is not None and response.status_code == 303 and name in STEP_PAGES:
                    probe.check_page(client, STEP_PAGES[name], payloads=[payload])
    for field in FIX_FORM:
        for n, payload in enumerate(payloads_for(f"flow:fix:{field}")):
            probe.send(clients["program"], "POST", "/usaha/pekerja/ubah", payloads=[payload],
                       form=pairs(FIX_FORM, **{field: payload.value}), headers=HTMX if n % 2 else None,
                       label=f"fix.{field}")
    for n, payload in enumerate(payloads_for("flow:get:ubah")):
        probe.send(clients["program"], "GET", "/usaha/pekerja", payloads=[payload], query=[("ubah", payload.value)],
                   headers=HTMX if n % 2 else None, label="ubah", expect_status=(200,))
    steps = ["/usaha/persetujuan", "/usaha/data", "/usaha/pemilik", "/usaha/pekerja", "/usaha/program"]
    for n, payload in enumerate(payloads_for("flow:get:kembali")):
        probe.send(clients["program"], "GET", steps[n % len(steps)], payloads=[payload],
                   query=[("kembali", payload.value)], headers=HTMX if n % 3 == 0 else None, label="kembali")
    probe.check_page(clients["program"], "/usaha/pekerja")
    probe.check_page(clients["program"], "/usaha/periksa")
    probe.assert_clean()


def test_start_consent_list_and_submit(hostile_app, probe):
    """The posts the step suite does not reach; every accepted submit's receipt is read back."""
    for payload in payloads_for("flow:start:junk"):
        probe.send(hostile_app.test_client(), "POST", "/usaha", payloads=[payload], form=[("junk", payload.value)],
                   label="start")
    consent = at_business_stage(hostile_app, "consent")
    probe.refresh()
    for field in ("agree", "back_to"):
        for n, payload in enumerate(payloads_for(f"flow:consent:{field}")):
            response = probe.send(consent, "POST", "/usaha/persetujuan", payloads=[payload],
                                  form=pairs({"agree": "yes", "back_to": ""}, **{field: payload.value}),
                                  headers=HTMX if n % 2 else None, label=f"consent.{field}")
            if response is not None and response.status_code == 303:
                probe.check_page(consent, "/usaha/persetujuan", payloads=[payload])
    listed = at_business_stage(hostile_app, "program")
    probe.refresh()
    for n, payload in enumerate(payloads_for("flow:workers:back_to")):
        probe.send(listed, "POST", "/usaha/pekerja", payloads=[payload], form=[("back_to", payload.value)],
                   headers=HTMX if n % 2 else None, label="workers.back_to")
    review = at_business_stage(hostile_app, "review")
    probe.refresh()
    for n, payload in enumerate(payloads_for("flow:submit:junk")):
        response = probe.send(review, "POST", "/usaha/kirim", payloads=[payload],
                              form=[("junk", payload.value), ("back_to", payload.value)],
                              headers=HTMX if n % 2 else None, label="submit", expect_status=(303,))
        if response is not None and response.status_code == 303:
            probe.check_page(review, "/usaha/tanda-terima", payloads=[payload])
        _drop_submitted(hostile_app)  # the same visit submits again next round
        probe.refresh()
    probe.assert_clean()


def _drop_submitted(app) -> None:
    """Delete the businesses (and their workers) that kiosk visits submitted."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        with db.atomic():
            ids = [b.id for b in Business.select(Business.id)
                   .where(Business.submission_key.in_(Draft.select(Draft.id)))]
            if ids:
                Registration.delete().where(Registration.business.in_(ids)).execute()
                Business.delete().where(Business.id.in_(ids)).execute()
        db.close()


# --- the upload --------------------------------------------------------------------------------------------

WRONG_FILES = [  # (label, file name, content): none of them is a worker list
    ("html-as-csv", "daftar.csv", b"<html><body><script>alert('kj-file')</script></body></html>"),
    ("program", "daftar.csv", b"\x7fELF\x02\x01\x01" + bytes(200)),
    ("windows-program", "daftar.xlsx", b"MZ\x90\x00" + bytes(200)),
    ("pdf", "daftar.xlsx", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
    ("png", "daftar.csv", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("gzip-bomb", "daftar.csv", gzip.compress(b"0" * 5_000_000)),
    ("broken-zip", "daftar.xlsx", b"PK\x03\x04" + b"bukan zip " * 50),
    ("zip-not-workbook", "daftar.xlsx", zip_of({"daftar.csv": worker_csv(), "../../kj.txt": b"kj"})),
    ("zip-bomb-workbook", "daftar.xlsx", zip_of({"xl/workbook.xml": b"<workbook/>",
                                                 "xl/worksheets/sheet1.xml": b" " * 30_000_000})),
    ("old-office", "daftar.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
    ("only-header", "daftar.csv", (",".join(COLUMNS) + "\n").encode()),
    ("no-header", "daftar.csv", b"satu,dua,tiga\nempat,lima,enam\n"),
    ("nul-bytes", "daftar.csv", worker_csv().replace(b",", b"\x00,")),
    ("random-bytes", "daftar.csv", bytes(range(256)) * 20),
    ("empty", "daftar.csv", b""),
    ("blank-lines", "daftar.csv", b"\r\n \r\n\t\r\n"),
    ("no-file-name", "", worker_csv()),
]
# Files that are odd but may hold a readable list: they may be taken (the rows then stored in the visit).
ODD_FILES = [
    ("utf16", "daftar.csv", worker_csv().decode().encode("utf-16")),
    ("bom-semicolon", "daftar.csv", b"\xef\xbb\xbf" + worker_csv().replace(b",", b";")),
    ("cr-only", "daftar.csv", worker_csv().replace(b"\n", b"\r")),
    ("traversal-name", "../../../../etc/passwd", worker_csv()),
    ("many-columns", "daftar.csv", worker_csv().replace(b"\n", b"," + b"x," * 200 + b"\n")),
]


def test_upload_refuses_wrong_files_clearly_and_stores_nothing(hostile_app, probe):
    client = at_business_stage(hostile_app, "workers")
    probe.refresh()
    for n, (label, name, content) in enumerate(WRONG_FILES):
        htmx = n % 2 == 1
        response = upload(probe, client, multipart([("back_to", None, b""), ("file", name, content)]),
                          label=f"upload-{label}", headers=HTMX if htmx else None)
        # htmx swaps no 4xx: its answer is the step with the message, as 200
        assert response is None or response.status_code == (200 if htmx else 422), (label, response.status_code)
        assert response is None or 'class="field-error"' in response.data.decode(), label
    for n, (label, name, content) in enumerate(ODD_FILES):
        response = upload(probe, client, multipart([("file", name, content)]), label=f"upload-{label}",
                          headers=HTMX if n % 2 else None, mutating=(303, 422))
        if response is not None and response.status_code in (303, 422):
            probe.check_page(client, "/usaha/pekerja")
        clear_list(probe, client)
    # The file under another name, two files, a file name with a quote and CR/LF in it.
    for label, parts in (("file-elsewhere", [("nik", "daftar.csv", worker_csv())]),
                         ("no-parts", []),
                         ("two-files", [("file", "satu.csv", b"%PDF-1.4"), ("file", "dua.csv", worker_csv())]),
                         ("crlf-name", [("file", b'da"ftar\r\nContent-Type: text/html\r\n\r\n<x>.csv', b"%PDF")])):
        upload(probe, client, multipart(parts), label=f"upload-{label}", mutating=(303,))
        clear_list(probe, client)
    probe.assert_clean()


def test_upload_xml_entities_in_a_workbook_are_never_expanded(hostile_app, probe):
    client = at_business_stage(hostile_app, "workers")
    probe.refresh()
    base = xlsx([[pu_worker_nik(3001), "Pekerja Uji", 2500000, "Kasir"]])
    external = with_sheet_xml(base, lambda xml: _entity(
        xml, b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b"&e;"))
    laughs = with_sheet_xml(base, lambda xml: _entity(
        xml, b'<!DOCTYPE x [<!ENTITY a "kjkjkjkjkj"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
             b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        b"&d;"))
    for label, content in (("external-entity", external), ("entity-expansion", laughs)):
        response = upload(probe, client, multipart([("file", "daftar.xlsx", content)]), label=label)
        assert response is None or response.status_code == 422, label
        text = response.data.decode() if response is not None else ""
        assert "root:x:0" not in text and "kjkjkjkjkjkjkjkjkjkj" not in text
    probe.assert_clean()


def test_upload_over_the_limits_explains_the_limit(hostile_app, probe):
    """Just over the file limit (read and refused), and bodies over what the request may carry (refused
    before reading): a big file, a big field next to a small file, thousands of parts."""
    client = at_business_stage(hostile_app, "workers")
    limit = MAX_UPLOAD_BYTES + hostile_app.config["MAX_CONTENT_LENGTH"]
    probe.refresh()
    cases = [
        ("just-over", [("file", "besar.csv", worker_csv() + b"x" * (MAX_UPLOAD_BYTES + 10))]),
        ("over-request", [("file", "besar.csv", b"3578011708850003,Nama,1,Kasir\n" * (limit // 30 + 100))]),
        ("big-field", [("back_to", None, b"A" * 600_000), ("file", "daftar.csv", worker_csv())]),
        ("many-parts", [(f"f{n}", None, b"1") for n in range(3000)] + [("file", "daftar.csv", worker_csv())]),
        ("many-files", [("file", f"d{n}.csv", b"x") for n in range(1500)]),
    ]
    for label, parts in cases:
        for headers in (None, HTMX):
            response = upload(probe, client, multipart(parts), label=f"upload-{label}", headers=headers)
            if response is None:
                continue
            text = response.data.decode()
            assert response.status_code in ((200, 413, 422) if headers else (413, 422)), (label, response.status_code)
            if label in ("just-over", "over-request"):  # the file is what is too big: say the limit
                assert "File terlalu besar" in text and "1 MB" in text, (label, text[:300])
            else:  # an odd form, not a big file: no talk of file size
                assert "Kirim hanya satu file daftar pekerja" in text or "Isian terlalu panjang" in text, (
                    label, text[:300])
    probe.check_page(client, "/usaha/pekerja")
    probe.assert_clean()


def test_upload_file_names_and_xlsx_cells(hostile_app, probe):
    """Hostile file names on a good list (never trusted, never shown raw), and hostile text in every
    column of an uploaded workbook, read back on the workers step."""
    client = at_business_stage(hostile_app, "workers")
    probe.refresh()
    for n, payload in enumerate(payloads_for("flow:upload:filename")):
        response = upload(probe, client, multipart([("file", payload.wire, worker_csv())]), payloads=[payload],
                          label="upload-filename", headers=HTMX if n % 2 else None)
        if response is not None and response.status_code == 303:
            probe.check_page(client, "/usaha/pekerja", payloads=[payload])
        clear_list(probe, client)
    cells = [p for p in payloads_for("flow:upload:filename") + payloads_for("flow:consent:back_to")
             if isinstance(p.value, str) and len(p.value) < 30_000]
    for payload in cells:
        for column in range(4):
            row = [pu_worker_nik(3001), "Budi Santoso", 2500000, "Kasir"]
            row[column] = payload.value
            try:
                content = xlsx([row])
            except IllegalCharacterError:
                continue  # a spreadsheet cannot hold it (NUL and other controls): nothing to upload
            load_workbook(io.BytesIO(content))  # a workbook any spreadsheet would open
            upload(probe, client, multipart([("file", "daftar.xlsx", content)],
                                            file_type=b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                   payloads=[payload], label=f"xlsx-cell.{column}", mutating=(303, 422))
            probe.check_page(client, "/usaha/pekerja", payloads=[payload])
            clear_list(probe, client)
    probe.assert_clean()


# --- the desk ---------------------------------------------------------------------------------------------

def test_desk_business_action_and_reveal(hostile_app, probe):
    """Every field of the business action as a supervisor; an accepted rejection reason is read back on
    the public business page, on a worker's status page and on the desk page."""
    business = desk_business(hostile_app)
    with hostile_app.app_context():
        db.connect(reuse_if_open=True)
        worker_token = Registration.select().where(Registration.business == business.id).first().token
        db.close()
    supervisor = signed_in(hostile_app, probe, "supervisor")
    public = hostile_app.test_client()
    url = f"/staff/usaha/{business.token}/status"
    for field in CHANGE_FORM:
        for n, payload in enumerate(payloads_for(f"desk:change:{field}")):
            reset_business(hostile_app, business)
            probe.refresh()
            action = "reject" if field in ("reason", "next") and n % 2 == 0 else "verify_all"
            form = change_form(hostile_app, business, **{"action": action, field: payload.value})
            response = probe.send(supervisor, "POST", url, payloads=[payload], form=pairs(form),
                                  label=f"business-change.{field}")
            if response is not None and response.status_code == 303:
                for client, page in ((public, f"/u/{business.token}"), (public, f"/s/{worker_token}"),
                                     (supervisor, f"/staff/usaha/{business.token}"),
                                     (supervisor, f"/s/{worker_token}")):
                    probe.check_page(client, page, payloads=[payload])
    for n, payload in enumerate(payloads_for("desk:reveal:junk")):
        probe.send(supervisor, "POST", f"/staff/usaha/{business.token}/data", payloads=[payload],
                   form=[("junk", payload.value)], headers={"HX-Request": "true"} if n % 2 else None,
                   label="business-reveal", mutating=(200,))
    probe.check_page(supervisor, "/staff/audit")
    probe.assert_clean()


def test_desk_business_queue_and_export_parameters(hostile_app, probe):
    desk_business(hostile_app)
    supervisor = signed_in(hostile_app, probe, "supervisor")
    valid = {"status": "submitted", "kind": "umkm", "scale": "kecil", "event": "", "regency": "35.78",
             "from": "2026-01-01", "to": "2099-12-31", "q": "Uji", "page": "1"}
    exports = ["/staff/usaha/ekspor.csv", "/staff/usaha/ekspor.xlsx"]
    for param in QUEUE_PARAMS:
        for n, payload in enumerate(payloads_for(f"desk:queue:{param}")):
            query = pairs({p: valid[p] for p in QUEUE_PARAMS if valid[p]}, **{param: payload.value})
            export = n % 3 == 2
            url = exports[n % 2] if export else "/staff/usaha"
            headers = {"HX-Request": "true", "HX-Target": "business-results"} if n % 2 and not export else None
            probe.send(supervisor, "POST" if export else "GET", url, payloads=[payload], query=query, headers=headers,
                       label=f"business-queue.{param}", mutating=(200,) if export else ())
    probe.check_page(supervisor, "/staff/usaha")
    probe.check_page(supervisor, "/staff/audit")  # the exports' filters, as logged
    probe.assert_clean()


def test_business_token_in_paths(hostile_app, probe):
    business = desk_business(hostile_app)
    supervisor = signed_in(hostile_app, probe, "supervisor")
    public = hostile_app.test_client()
    routes = {
        "business_status": (public, "GET", ["/u/{}"]),
        "desk_business": (supervisor, "GET", ["/staff/usaha/{}"]),
        "desk_business_post": (supervisor, "POST", ["/staff/usaha/{}/status", "/staff/usaha/{}/data"]),
        "desk_export": (supervisor, "POST", ["/staff/usaha/{}/ekspor.csv", "/staff/usaha/{}/ekspor.xlsx"]),
    }
    for name, (client, method, patterns) in routes.items():
        for n, payload in enumerate(payloads_for(f"path:{name}")):
            for segment in path_forms(payload):
                form = pairs(change_form(hostile_app, business)) if method == "POST" else None
                probe.send(client, method, patterns[n % len(patterns)].format(segment), payloads=[payload], form=form,
                           label=name, expect_status=(404, 405, 400, 308, 301))
    probe.check_page(public, f"/u/{business.token}")
    probe.check_page(supervisor, f"/staff/usaha/{business.token}")
    probe.assert_clean()
