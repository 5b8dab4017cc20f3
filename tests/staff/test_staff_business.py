"""Businesses at the staff desk: the queue, the panel, verifying together or one by one, rejecting,
two staff at once, scanning a business receipt, workers in the registration queue and panel, audit."""

import datetime as dt
import json
import re

import pytest

from kiosk.models import AuditEntry, Business, Event, Kiosk, Registration
from tests.factories import OWNER_NIK, PASSWORD, make_business, make_staff, make_worker, worker_nik
from tests.flows import register, sign_in

HTMX = {"HX-Request": "true", "HX-Target": "business-results", "HX-Current-URL": "http://localhost/staff/usaha"}


@pytest.fixture
def business(app):
    return make_business(app)


@pytest.fixture
def petugas(app):
    client = app.test_client()
    sign_in(client, "petugas")
    return client


@pytest.fixture
def supervisor(app):
    client = app.test_client()
    sign_in(client, "supervisor")
    return client


def page(client, business):
    response = client.get(f"/staff/usaha/{business.token}")
    assert response.status_code == 200
    return response.data.decode()


def form_values(html, action):
    """The hidden version and workers fingerprint of one action's form, as the staff member saw them."""
    form = re.search(rf'id="business-action-{action}">(.*?)</form>', html, re.S).group(1)
    return {name: re.search(rf'name="{name}" value="([^"]*)"', form).group(1) for name in ("version", "workers")}


def act(client, business, action, seen=None, **fields):
    """Post an action with the version and fingerprint from the page (or from seen, an older page)."""
    values = seen or form_values(page(client, business), action)
    return client.post(f"/staff/usaha/{business.token}/status", data={"action": action, **values, **fields})


def workers_of(business):
    return list(Registration.select().where(Registration.business == business.id).order_by(Registration.id))


def statuses(business):
    return (Business.get_by_id(business.id).status,
            [w.status for w in Registration.select().where(Registration.business == business.id)
             .order_by(Registration.id)])


def changes():
    return [(e, json.loads(e.detail)) for e in AuditEntry.select()
            .where(AuditEntry.action == "status_change").order_by(AuditEntry.seq)]


def receipt_codes(html, prefix="KU"):
    return re.findall(rf">({prefix}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}})</a>", html)


# --- the queue -------------------------------------------------------------------------------------

def test_queue_lists_businesses_with_their_workers_per_status(petugas, app, business):
    other = make_business(app, name="Koperasi Tani Makmur", kind="koperasi", scale="mikro", nib="8120009988776",
                          workers=(("Bambang Sutrisno", 2_000_000, "Petani", False),), first_serial=201)
    Registration.update(status="verified").where(Registration.id == workers_of(business)[0].id).execute()
    html = petugas.get("/staff/usaha").data.decode()
    assert receipt_codes(html) == [other.receipt_code, business.receipt_code]  # newest first
    assert "UD Sumber Rejeki" in html and "Koperasi Tani Makmur" in html and "9120001122334" in html
    assert "Kecil" in html and "Mikro" in html and "Koperasi" in html and "Kota Surabaya" in html
    row = re.search(rf"{business.receipt_code}.*?</tr>", html, re.S).group(0)
    assert 'class="worker-counts">3' in row and "Diterima: 2" in row and "Diverifikasi: 1" in row
    assert "Siti Rahayu" not in html and "Bambang" not in html  # no worker names in the list
    assert f'href="/staff/usaha/{business.token}"' in html


def test_queue_filters_and_counts(petugas, app, business):
    event = Event.create(name="UMKM Expo", place="Grand City", starts_on=dt.date(2026, 3, 1),
                         ends_on=dt.date(2026, 3, 3))
    koperasi = make_business(app, name="Koperasi Nelayan", kind="koperasi", scale="mikro", regency="35.15",
                             event=event, workers=(), status="verified")
    codes = lambda q: receipt_codes(petugas.get("/staff/usaha?" + q).data.decode())  # noqa: E731
    assert codes("status=verified") == [koperasi.receipt_code]
    assert codes("kind=umkm") == [business.receipt_code]
    assert codes("scale=mikro") == [koperasi.receipt_code]
    assert codes("regency=35.15") == [koperasi.receipt_code]
    assert codes(f"event={event.id}") == [koperasi.receipt_code]
    assert codes("kind=koperasi&status=submitted") == []
    html = petugas.get("/staff/usaha?kind=koperasi").data.decode()
    assert (re.search(r'id="business-count-all"[^>]*>1<', html)
            and re.search(r'id="business-count-verified"[^>]*>1<', html))
    assert "UMKM Expo" in html and "Kabupaten Sidoarjo" in html


@pytest.mark.parametrize("typed", ["9120001122334", "9120 0011 2233 4", " 912.000.112.2334 "])
def test_search_by_nib(petugas, app, business, typed):
    make_business(app, name="Toko Lain", nib="9120001122335", workers=())
    assert (receipt_codes(petugas.get("/staff/usaha", query_string={"q": typed}).data.decode())
            == [business.receipt_code])


def test_search_by_receipt_code_in_any_shape_and_by_name(petugas, app, business):
    make_business(app, name="Bengkel Jaya Motor", nib="9120001122335", workers=())
    code = business.receipt_code
    for typed in (code, code.lower(), code.replace("-", ""), f" {code.replace('-', '').lower()} "):
        assert receipt_codes(petugas.get("/staff/usaha", query_string={"q": typed}).data.decode()) == [code], typed
    assert receipt_codes(petugas.get("/staff/usaha?q=rejeki").data.decode()) == [code]
    assert receipt_codes(petugas.get("/staff/usaha?q=SUMBER").data.decode()) == [code]
    assert receipt_codes(petugas.get("/staff/usaha?q=KU-0000-0000").data.decode()) == []
    short = petugas.get("/staff/usaha?q=u").data.decode()
    assert receipt_codes(short) == [] and "paling sedikit 2 huruf" in short
    for wildcard in ("%", "_", "%%", "S%R"):
        assert receipt_codes(petugas.get("/staff/usaha", query_string={"q": wildcard}).data.decode()) == []


def test_htmx_gets_the_fragment_with_counts_out_of_band(petugas, business):
    html = petugas.get("/staff/usaha?status=submitted", headers=HTMX).data.decode()
    assert "<html" not in html and "<form" not in html and receipt_codes(html) == [business.receipt_code]
    assert 'id="business-count-submitted" hx-swap-oob="true">1<' in html
    full = petugas.get("/staff/usaha?status=submitted").data.decode()
    assert full.lstrip().lower().startswith("<!doctype html>") and 'id="business-filters"' in full
    assert 'hx-target="#business-results"' in full and "hx-swap-oob" not in full


def test_pages_of_fifty(petugas, app):
    start = dt.datetime(2026, 2, 1, 3)
    for i in range(55):
        make_business(app, name=f"Usaha {i:02d}", workers=(), created_at=start + dt.timedelta(minutes=i))
    html = petugas.get("/staff/usaha").data.decode()
    assert len(receipt_codes(html)) == 50 and "Halaman 1 dari 2" in html and "Usaha 54" in html
    second = petugas.get("/staff/usaha?page=2").data.decode()
    assert len(receipt_codes(second)) == 5 and "Usaha 00" in second
    assert not set(receipt_codes(html)) & set(receipt_codes(second))
    assert 'href="/staff/usaha?page=2"' in html


@pytest.mark.parametrize("query", [
    "status=bogus", "status=needs_fix", "kind=bpu", "scale=besar", "event=abc", "event=999999", "regency=99.99",
    "from=2026-13-45", "to=%00", "page=-1", "page=99999999999999999999", "q=%00", "q=" + "x" * 3000,
    "q=%3Cscript%3Ealert(1)%3C/script%3E", "q=%E2%80%AE", "kind[]=umkm",
])
def test_bad_filter_values_never_fail_and_are_escaped(petugas, business, query):
    for headers in ({}, HTMX):
        response = petugas.get("/staff/usaha?" + query, headers=headers)
        assert response.status_code == 200, query
        assert "<script>alert(1)</script>" not in response.data.decode()


# --- the panel -------------------------------------------------------------------------------------

def test_panel_shows_business_and_workers_masked_and_reveal_is_audited(petugas, business):
    html = page(petugas, business)
    assert "UD Sumber Rejeki" in html and "9120001122334" in html and "Kecil" in html
    assert "M*** S***" in html and "3578********0003" in html and OWNER_NIK not in html
    for worker in workers_of(business):
        assert f'href="/s/{worker.token}"' in html and worker.receipt_code in html
    assert "S*** R***" in html and "Siti Rahayu" not in html and "3578********0101" in html
    assert "Penjahit" in html and "estimasi" in html
    revealed = petugas.post(f"/staff/usaha/{business.token}/data", headers={"HX-Request": "true"}).data.decode()
    assert OWNER_NIK in revealed and "Moh. Syafi&#39;i" in revealed and "0812 3450 0001" in revealed
    entry = AuditEntry.get(AuditEntry.action == "pii_reveal")
    assert entry.subject == f"business:{business.id}" and json.loads(entry.detail) == {"business": business.id}
    assert entry.actor == "petugas-test" and OWNER_NIK not in entry.detail
    full = petugas.post(f"/staff/usaha/{business.token}/data").data.decode()  # without JavaScript
    assert OWNER_NIK in full and "Panel petugas: usaha" in full and "membuka data lengkap" in full


def test_petugas_sees_verify_buttons_and_no_reject_or_export(petugas, supervisor, business):
    html = page(petugas, business)
    assert "Verifikasi usaha + semua pekerja yang masih Diterima" in html and "Verifikasi usaha saja" in html
    assert "Tolak usaha" not in html and "ekspor.csv" not in html
    html = page(supervisor, business)
    assert "Tolak usaha" in html and f"/staff/usaha/{business.token}/ekspor.csv" in html


# --- verify together -------------------------------------------------------------------------------

def test_verify_together_moves_the_business_and_every_worker_and_audits_each_row(petugas, app, business, runner):
    response = act(petugas, business, "verify_all")
    assert response.status_code == 303 and response.location.endswith(f"/staff/usaha/{business.token}")
    assert statuses(business) == ("verified", ["verified", "verified", "verified"])
    assert Business.get_by_id(business.id).version == 2
    assert all(w.version == 2 for w in Registration.select())
    entries = changes()
    assert len(entries) == 4  # the business and each of its three workers
    assert entries[0][0].subject == f"business:{business.id}"
    assert [e.registration_id for e, _ in entries[1:]] == [w.id for w in workers_of(business)]
    for entry, detail in entries:
        assert detail["business"] == business.id and detail["business_action"] == "verify_all"
        assert (detail["source"], detail["target"]) == ("submitted", "verified") and entry.actor == "petugas-test"
    html = petugas.get(response.location).data.decode()
    assert "Status usaha sekarang: Diverifikasi." in html and "(bersama pekerja)" in html
    assert "Diverifikasi" in app.test_client().get(f"/s/{workers_of(business)[0].token}").data.decode()
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output


def test_verify_together_leaves_workers_that_are_not_submitted(petugas, business):
    first, second, _third = workers_of(business)
    Registration.update(status="needs_fix", status_reason="Foto buram").where(Registration.id == first.id).execute()
    Registration.update(status="rejected").where(Registration.id == second.id).execute()
    act(petugas, business, "verify_all")
    assert statuses(business) == ("verified", ["needs_fix", "rejected", "verified"])
    assert len(changes()) == 2


# --- one by one ------------------------------------------------------------------------------------

def worker_change(client, worker, target, **fields):
    version = Registration.get_by_id(worker.id).version
    return client.post(f"/s/{worker.token}/status", data={"target": target, "version": version, **fields})


def test_one_by_one_then_the_rest_then_activate(petugas, supervisor, business):
    first, second, third = workers_of(business)
    assert act(petugas, business, "verify").status_code == 303
    assert statuses(business) == ("verified", ["submitted", "submitted", "submitted"])
    assert worker_change(petugas, first, "verified").status_code == 303
    html = page(petugas, business)
    assert "Verifikasi semua pekerja yang masih Diterima" in html and "Aktifkan usaha" not in html
    act(petugas, business, "verify_all")  # the remaining two; the business stays as it is
    assert statuses(business) == ("verified", ["verified", "verified", "verified"])
    assert Business.get_by_id(business.id).version == 2
    worker_change(petugas, first, "active", kpj="11111111111")
    worker_change(petugas, second, "active", kpj="22222222222")
    refused = act(petugas, business, "activate", seen=form_values(page(supervisor, business), "reject"))
    assert refused.status_code == 422 and "setiap pekerja sudah Aktif atau Ditolak" in refused.data.decode()
    assert worker_change(supervisor, third, "rejected", reason="Bukan pekerja usaha ini").status_code == 303
    assert "Aktifkan usaha" in page(petugas, business)
    assert act(petugas, business, "activate").status_code == 303
    assert statuses(business) == ("active", ["active", "active", "rejected"])
    assert page(petugas, business).count('class="status-action') == 0  # nothing more to do


def test_a_business_with_every_worker_rejected_cannot_be_activated(petugas, supervisor, business):
    act(petugas, business, "verify")
    for worker in workers_of(business):
        worker_change(supervisor, worker, "rejected", reason="Tidak bekerja di sini")
    html = page(supervisor, business)
    assert "Aktifkan usaha" not in html and "Tolak usaha" in html
    seen = form_values(html, "reject")
    refused = act(petugas, business, "activate", seen=seen)
    assert refused.status_code == 422 and "paling sedikit satu pekerja sudah Aktif" in refused.data.decode()


# --- reject ----------------------------------------------------------------------------------------

def test_reject_needs_a_reason_shown_next_to_the_field(supervisor, business):
    response = act(supervisor, business, "reject", reason="   ")
    html = response.data.decode()
    assert response.status_code == 422
    form = re.search(r'id="business-action-reject">(.*?)</form>', html, re.S).group(1)
    assert "Tulis alasan penolakan" in form and 'aria-invalid="true"' in form
    too_long = "Alamat tidak ditemukan. " * 25
    response = act(supervisor, business, "reject", reason=too_long)
    form = re.search(r'id="business-action-reject">(.*?)</form>', response.data.decode(), re.S).group(1)
    assert response.status_code == 422 and "terlalu panjang" in form and too_long.strip() in form
    assert statuses(business) == ("submitted", ["submitted"] * 3) and changes() == []


def test_petugas_may_not_reject(petugas, supervisor, business):
    seen = form_values(page(supervisor, business), "reject")
    response = act(petugas, business, "reject", seen=seen, reason="NIB palsu")
    assert response.status_code == 422 and "hanya supervisor" in response.data.decode()
    assert statuses(business)[0] == "submitted"


def test_reject_takes_the_open_workers_along_and_keeps_active_ones(app, supervisor, business):
    first, second, _third = workers_of(business)
    Registration.update(status="active", kpj="33333333333").where(Registration.id == first.id).execute()
    Registration.update(status="needs_fix").where(Registration.id == second.id).execute()
    assert act(supervisor, business, "reject", reason="NIB milik usaha lain").status_code == 303
    assert statuses(business) == ("rejected", ["active", "rejected", "rejected"])
    assert Business.get_by_id(business.id).status_reason == "NIB milik usaha lain"
    public = app.test_client().get(f"/s/{second.token}").data.decode()
    assert "Ditolak" in public and "NIB milik usaha lain" in public
    assert len(changes()) == 3 and all(d["reason"] == "NIB milik usaha lain" for _, d in changes())


# --- two staff at once -------------------------------------------------------------------------------

def test_two_staff_at_once_one_wins_the_other_gets_409_with_their_reason_kept(app, business):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "petugas", "petugas-a")
    sign_in(second, "supervisor", "supervisor-b")
    seen = form_values(page(second, business), "reject")
    assert act(first, business, "verify_all").status_code == 303
    late = act(second, business, "reject", seen=seen, reason="Alamat usaha fiktif")
    html = late.data.decode()
    assert late.status_code == 409 and "baru saja diubah petugas lain" in html
    assert "Alamat usaha fiktif</textarea>" in html  # what they typed is still there
    assert statuses(business) == ("verified", ["verified"] * 3)
    assert len(changes()) == 4


def test_a_worker_changed_since_the_page_makes_verify_together_stale(petugas, business):
    seen = form_values(page(petugas, business), "verify_all")
    worker_change(petugas, workers_of(business)[1], "needs_fix", reason="NIK tidak terbaca")
    response = act(petugas, business, "verify_all", seen=seen)
    assert response.status_code == 409 and "baru saja diubah petugas lain" in response.data.decode()
    assert statuses(business) == ("submitted", ["submitted", "needs_fix", "submitted"])  # nothing half-done
    assert len(changes()) == 1  # only the worker's own change


def test_a_worker_added_since_the_page_makes_verify_together_stale(app, petugas, business):
    seen = form_values(page(petugas, business), "verify_all")
    make_worker(app, business, nik=worker_nik(150), full_name="Joko Susilo", wage=2_000_000, job="Gudang")
    assert act(petugas, business, "verify_all", seen=seen).status_code == 409
    assert statuses(business)[0] == "submitted"


@pytest.mark.parametrize("fields", [
    {"action": "activate", "version": "1"}, {"action": "bogus", "version": "1"}, {"action": "", "version": ""},
    {"action": "verify", "version": "abc"}, {"action": "verify", "version": "9" * 40},
    {"action": "verify_all", "version": "1", "workers": "<script>"}, {"action": "verify ", "version": "1"},
])
def test_bad_posts_are_refused_clearly_and_change_nothing(petugas, business, fields):
    response = petugas.post(f"/staff/usaha/{business.token}/status", data=fields)
    assert response.status_code in (409, 422) and "<script>" not in response.data.decode()
    assert statuses(business) == ("submitted", ["submitted"] * 3) and changes() == []


def test_the_forms_need_a_csrf_token(csrf_app):
    business = make_business(csrf_app)
    client = csrf_app.test_client()
    make_staff("petugas")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/staff/masuk").data.decode()).group(1)
    signed_in = client.post("/staff/masuk",
                            data={"username": "petugas-test", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303
    seen = form_values(client.get(f"/staff/usaha/{business.token}").data.decode(), "verify_all")
    response = client.post(f"/staff/usaha/{business.token}/status", data={"action": "verify_all", **seen})
    assert response.status_code == 400 and statuses(business)[0] == "submitted"


# --- scanning, the registration queue, the worker's panel, the audit log -----------------------------

@pytest.mark.parametrize("shape", ["code", "lower", "nodash", "url", "token"])
def test_scanning_a_business_receipt_opens_its_desk_page(petugas, business, shape):
    code = business.receipt_code
    scanned = {"code": code, "lower": code.lower(), "nodash": code.replace("-", ""),
               "url": f"https://kios.example.go.id/u/{business.token}", "token": business.token}[shape]
    response = petugas.post("/staff/pindai", data={"code": scanned})
    assert response.status_code == 303 and response.location.endswith(f"/staff/usaha/{business.token}")


def test_scanning_a_worker_receipt_still_opens_the_worker(petugas, business):
    worker = workers_of(business)[0]
    response = petugas.post("/staff/pindai", data={"code": worker.receipt_code})
    assert response.status_code == 303 and response.location.endswith(f"/s/{worker.token}")
    assert petugas.post("/staff/pindai", data={"code": "KU-0000-0000"}).status_code == 404


def test_registration_queue_shows_workers_with_their_business_and_filters_by_kind(app, petugas, business):
    _receipt, token = register(app.test_client())
    walk_in = Registration.get(Registration.token == token)
    codes = lambda q: sorted(receipt_codes(petugas.get("/staff/antrian?" + q).data.decode(), "KJ"))  # noqa: E731
    assert codes("kind=pu") == sorted(w.receipt_code for w in workers_of(business))
    assert codes("kind=bpu") == [walk_in.receipt_code]
    assert len(codes("")) == 4 and len(codes("kind=bogus")) == 4
    html = petugas.get("/staff/antrian").data.decode()
    assert html.count(f'href="/staff/usaha/{business.token}">UD Sumber Rejeki</a>') == 3
    assert '<option value="pu" selected>' in petugas.get("/staff/antrian?kind=pu").data.decode()


def test_worker_panel_shows_the_business_and_the_contribution_split(app, petugas, business):
    worker = Registration.get_by_id(workers_of(business)[0].id)
    html = petugas.get(f"/s/{worker.token}").data.decode()
    assert f'<a href="/staff/usaha/{business.token}">UD Sumber Rejeki</a>' in html and business.receipt_code in html
    employer = f"Rp\u00a0{worker.employer_contribution:,}".replace(",", ".")
    share = f"Rp\u00a0{worker.worker_contribution:,}".replace(",", ".")
    assert "Iuran pemberi kerja per bulan" in html and employer in html and share in html
    assert worker.employer_contribution > 0 and worker.worker_contribution > 0
    _receipt, token = register(app.test_client())
    assert "Iuran pemberi kerja" not in petugas.get(f"/s/{token}").data.decode()  # a walk-in has no employer
    public = app.test_client().get(f"/s/{worker.token}").data.decode()
    assert f"/staff/usaha/{business.token}" not in public and business.receipt_code not in public  # no panel


def test_audit_log_finds_a_business_and_its_workers_by_receipt_code(petugas, supervisor, business):
    act(petugas, business, "verify_all")
    html = supervisor.get("/staff/audit", query_string={"receipt": business.receipt_code}).data.decode()
    assert "4 catatan" in html and f"business:{business.id}" in html


def test_kiosk_and_event_names_show_on_the_panel(app, petugas):
    kiosk = Kiosk.create(name="Kios Dinas Koperasi", place="Jl. Juanda")
    business = make_business(app, kiosk=kiosk, workers=())
    html = page(petugas, business)
    assert "Kios Dinas Koperasi" in html and "Belum ada pekerja." in html


# --- the public business page ---------------------------------------------------------------------------

def test_public_business_page_shows_the_panel_to_signed_in_staff_only(app, petugas, business):
    public = app.test_client().get(f"/u/{business.token}").data.decode()
    assert "Panel petugas: usaha" not in public and "Tampilkan data lengkap pemilik" not in public
    assert "/staff/usaha/" not in public and "9120001122334" not in public
    html = petugas.get(f"/u/{business.token}").data.decode()
    assert "Panel petugas: usaha" in html and "Perdagangan" in html and "Rendah" in html
    assert "Verifikasi usaha + semua pekerja yang masih Diterima" in html
    assert f'href="/s/{workers_of(business)[0].token}"' in html


def test_acting_from_the_public_business_page_comes_back_to_it(petugas, business):
    html = petugas.get(f"/u/{business.token}").data.decode()
    seen = form_values(html, "verify_all")
    assert f'name="next" value="/u/{business.token}"' in html
    response = petugas.post(f"/staff/usaha/{business.token}/status",
                            data={"action": "verify_all", "next": f"/u/{business.token}", **seen})
    assert response.status_code == 303 and response.location.endswith(f"/u/{business.token}")
    assert statuses(business) == ("verified", ["verified"] * 3)
    assert "Status usaha sekarang: Diverifikasi." in petugas.get(response.location).data.decode()


def test_next_never_leaves_the_site(petugas, business):
    seen = form_values(page(petugas, business), "verify")
    response = petugas.post(f"/staff/usaha/{business.token}/status",
                            data={"action": "verify", "next": "https://evil.example/", **seen})
    assert response.status_code == 303 and response.location.endswith(f"/staff/usaha/{business.token}")


def test_a_reason_with_markup_is_stored_as_typed_and_shown_escaped(app, supervisor, business):
    reason = '<img src=x onerror=alert(1)> "NIB" & <b>palsu</b>'
    assert act(supervisor, business, "reject", reason=reason + "\x00\u202e").status_code == 303
    assert Business.get_by_id(business.id).status_reason == reason
    for html in (page(supervisor, business), app.test_client().get(f"/s/{workers_of(business)[0].token}").data.decode(),
                 app.test_client().get(f"/u/{business.token}").data.decode()):
        assert "<img src=x" not in html and "<b>palsu</b>" not in html and "&lt;b&gt;palsu&lt;/b&gt;" in html


def test_two_staff_pressing_at_the_same_moment_exactly_one_lands(app, business):
    import threading

    clients = [app.test_client(), app.test_client()]
    sign_in(clients[0], "supervisor", "supervisor-a")
    sign_in(clients[1], "supervisor", "supervisor-b")
    seen = form_values(page(clients[0], business), "reject")
    start, results = threading.Barrier(2), {}

    def press(i, action, reason):
        start.wait()
        results[action] = act(clients[i], business, action, seen=seen, reason=reason).status_code

    threads = [threading.Thread(target=press, args=(0, "verify_all", "")),
               threading.Thread(target=press, args=(1, "reject", "Usaha sudah tutup"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [303, 409]
    winner = "verified" if results["verify_all"] == 303 else "rejected"
    assert statuses(business) == (winner, [winner] * 3) and len(changes()) == 4
