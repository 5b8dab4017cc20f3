"""Staff queue (/staff/antrian) and search (/staff/cari): filters, counts, pages, htmx, hostile input."""

import datetime as dt
import re
import secrets

import pytest

from kiosk import accounts
from kiosk.models import Event, Kiosk, Registration, StaffUser
from tests.flows import register

PASSWORD = "antrian-sandi-123"
HTMX = {"HX-Request": "true", "HX-Target": "queue-results", "HX-Current-URL": "http://localhost/staff/antrian"}
SEARCH_HTMX = {"HX-Request": "true", "HX-Target": "search-results", "HX-Current-URL": "http://localhost/staff/antrian"}

# (NIK, full name, phone as typed, E.164) for three applicants
PEOPLE = (
    ("3578011708850003", "Moh. Syafi'i", "0812 3456 7890", "+6281234567890"),
    ("3578011708850011", "Siti Aminah Rahayu", "0813 1111 2222", "+6281311112222"),
    ("3578104102000002", "Budi Santoso", "0857 3333 4444", "+6285733334444"),
)


def signed_in(client, role="petugas"):
    """Create (once) a staff user of role and sign client in through the real form."""
    username = f"antrian-{role}"
    user = StaffUser.get_or_none(StaffUser.username == username) or accounts.create_user(
        username, f"Antrian {role.title()}", role, PASSWORD)
    response = client.post("/staff/masuk", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.data.decode()[:500]
    return user


@pytest.fixture
def people(app):
    """Three registrations made through the kiosk flow, in PEOPLE order."""
    made = []
    for nik, name, phone, _e164 in PEOPLE:
        _receipt, token = register(app.test_client(), identity={"nik": nik, "full_name": name},
                                   contact={"phone": phone})
        made.append(Registration.get(Registration.token == token))
    return made


@pytest.fixture
def staff(client):
    signed_in(client, "petugas")
    return client


def clone(template, count, **changes):
    """Insert count copies of template (new token, code, submission key) with changes; newest last."""
    base = {f.name: getattr(template, f.name) for f in Registration._meta.sorted_fields if f.name != "id"}
    base["kiosk"], base["event"] = template.kiosk_id, template.event_id
    start = dt.datetime(2026, 1, 1, 3, 0)
    rows = []
    for i in range(count):
        rows.append({**base, "token": secrets.token_urlsafe(16),
                     "receipt_code": f"KJ-T{i:03d}-{secrets.token_hex(2).upper()}",
                     "submission_key": secrets.token_hex(16), "nik_hash": secrets.token_hex(32),
                     "created_at": start + dt.timedelta(minutes=i), **changes})
    Registration.insert_many(rows).execute()


def receipt_codes(html):
    return re.findall(r">(KJ-[0-9A-Z]{4}-[0-9A-Z]{4})</a>", html)


def badge(html, status):
    return int(re.search(rf'id="count-{status}"[^>]*>(\d+)<', html).group(1))


# --- access ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staff/antrian", "/staff/cari?q=budi", "/staff/antrian?status=verified"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/staff/masuk" in response.location


# --- the queue -------------------------------------------------------------------------------------

def test_queue_lists_masked_names_codes_and_labels(staff, people):
    html = staff.get("/staff/antrian").data.decode()
    for registration in people:
        assert f'href="/s/{registration.token}"' in html and registration.receipt_code in html
    assert "M*** S***" in html and "S*** A*** R***" in html and "B*** S***" in html
    for _nik, name, _phone, _e164 in PEOPLE:
        assert name not in html and name.replace("'", "&#39;") not in html  # full names never on the queue
    assert "Diterima" in html and "Kota Surabaya" in html
    assert badge(html, "all") == 3 and badge(html, "submitted") == 3 and badge(html, "verified") == 0


def test_queue_is_newest_first(staff, people):
    for i, registration in enumerate(people):
        Registration.update(created_at=dt.datetime(2026, 3, 1, 1) + dt.timedelta(hours=i)).where(
            Registration.id == registration.id).execute()
    codes = receipt_codes(staff.get("/staff/antrian").data.decode())
    assert codes == [p.receipt_code for p in reversed(people)]


def test_status_filter_and_counts(staff, people):
    Registration.update(status="verified").where(Registration.id == people[0].id).execute()
    Registration.update(status="rejected").where(Registration.id == people[1].id).execute()
    html = staff.get("/staff/antrian?status=verified").data.decode()
    assert receipt_codes(html) == [people[0].receipt_code]
    assert badge(html, "all") == 3 and badge(html, "verified") == 1 and badge(html, "rejected") == 1
    assert badge(html, "submitted") == 1 and badge(html, "active") == 0
    assert re.search(r'value="verified" checked', html)


def test_counts_follow_the_other_filters(staff, people):
    kiosk = Kiosk.create(name="Kios Pasar Wonokromo", place="Pasar Wonokromo")
    Registration.update(kiosk=kiosk, status="verified").where(Registration.id == people[0].id).execute()
    html = staff.get(f"/staff/antrian?kiosk={kiosk.id}").data.decode()
    assert receipt_codes(html) == [people[0].receipt_code]
    assert badge(html, "all") == 1 and badge(html, "verified") == 1 and badge(html, "submitted") == 0
    assert "Kios Pasar Wonokromo" in html


def test_kiosk_event_and_regency_filters(staff, people):
    kiosk = Kiosk.create(name="Kios Balai Kota", place="Balai Kota")
    event = Event.create(name="Sosialisasi Pasar Turi", place="Pasar Turi",
                         starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 3))
    Registration.update(kiosk=kiosk).where(Registration.id.in_([people[0].id, people[1].id])).execute()
    Registration.update(event=event).where(Registration.id == people[1].id).execute()
    Registration.update(regency_code="35.15", district_code="35.15.01", village_code="35.15.01.2001").where(
        Registration.id == people[2].id).execute()

    by_kiosk = receipt_codes(staff.get(f"/staff/antrian?kiosk={kiosk.id}").data.decode())
    assert sorted(by_kiosk) == sorted([people[0].receipt_code, people[1].receipt_code])
    html = staff.get(f"/staff/antrian?event={event.id}").data.decode()
    assert receipt_codes(html) == [people[1].receipt_code] and "Sosialisasi Pasar Turi" in html
    html = staff.get("/staff/antrian?regency=35.15").data.decode()
    assert receipt_codes(html) == [people[2].receipt_code] and "Kabupaten Sidoarjo</td>" in html
    both = receipt_codes(staff.get(f"/staff/antrian?kiosk={kiosk.id}&event={event.id}").data.decode())
    assert both == [people[1].receipt_code]
    assert receipt_codes(staff.get("/staff/antrian?regency=35.78").data.decode()) != []


def test_date_filter_uses_local_days(staff, people):
    # 2026-03-01 23:30 UTC is already 2 March in Surabaya (WIB, UTC+7).
    stamps = [dt.datetime(2026, 2, 28, 10), dt.datetime(2026, 3, 1, 23, 30), dt.datetime(2026, 3, 5, 2)]
    for registration, stamp in zip(people, stamps):
        Registration.update(created_at=stamp).where(Registration.id == registration.id).execute()
    codes = lambda q: sorted(receipt_codes(staff.get("/staff/antrian?" + q).data.decode()))  # noqa: E731
    assert codes("from=2026-03-02&to=2026-03-02") == [people[1].receipt_code]
    assert codes("from=2026-03-01") == sorted([people[1].receipt_code, people[2].receipt_code])
    assert codes("to=2026-03-01") == [people[0].receipt_code]
    assert codes("from=2026-03-06") == []
    assert codes("from=2026-03-06&to=2026-03-01") == []


def test_pages_of_fifty(staff, people):
    clone(people[0], 120)
    html = staff.get("/staff/antrian").data.decode()
    assert len(receipt_codes(html)) == 50 and "Halaman 1 dari 3" in html and badge(html, "all") == 123
    page1 = receipt_codes(html)
    page2 = receipt_codes(staff.get("/staff/antrian?page=2").data.decode())
    page3 = receipt_codes(staff.get("/staff/antrian?page=3").data.decode())
    assert len(page2) == 50 and len(page3) == 23 and not set(page1) & set(page2)
    everything = page1 + page2 + page3
    assert len(set(everything)) == 123
    assert page1[:3] == [p.receipt_code for p in sorted(people, key=lambda r: (r.created_at, r.id), reverse=True)]
    # Past the end: the last page, not an error.
    assert receipt_codes(staff.get("/staff/antrian?page=99").data.decode()) == page3
    assert 'href="/staff/antrian?page=2"' in html


def test_pager_links_keep_the_filters(staff, people):
    clone(people[0], 60, status="verified")
    html = staff.get("/staff/antrian?status=verified").data.decode()
    assert "Halaman 1 dari 2" in html
    assert re.search(r'href="/staff/antrian\?[^"]*status=verified[^"]*page=2'
                     r'|href="/staff/antrian\?[^"]*page=2[^"]*status=verified', html)


def test_htmx_gets_the_fragment_with_counts_out_of_band(staff, people):
    Registration.update(status="verified").where(Registration.id == people[0].id).execute()
    response = staff.get("/staff/antrian?status=verified", headers=HTMX)
    html = response.data.decode()
    assert response.status_code == 200 and "<html" not in html and "<form" not in html
    assert receipt_codes(html) == [people[0].receipt_code]
    assert 'id="count-verified" hx-swap-oob="true">1<' in html and 'id="count-all" hx-swap-oob="true">3<' in html


@pytest.mark.parametrize("headers", [
    {},
    {"HX-Request": "true", "HX-Target": "main"},
    {"HX-Request": "true", "HX-Target": "queue-results", "HX-History-Restore-Request": "true"},
])
def test_page_loads_and_history_restores_get_the_whole_page(staff, people, headers):
    html = staff.get("/staff/antrian", headers=headers).data.decode()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'id="queue-filters"' in html and 'hx-push-url="true"' in html and 'id="queue-results"' in html
    assert "hx-swap-oob" not in html  # one set of count badges, inside the form


def test_filter_form_shows_the_choices(staff, people):
    kiosk = Kiosk.create(name="Kios Terminal Joyoboyo", place="Terminal")
    event = Event.create(name="Jamsos Goes to Market", place="Pasar", starts_on=dt.date(2026, 4, 1),
                         ends_on=dt.date(2026, 4, 2))
    html = staff.get(f"/staff/antrian?kiosk={kiosk.id}&event={event.id}&regency=35.78&from=2026-01-01").data.decode()
    assert f'<option value="{kiosk.id}" selected>Kios Terminal Joyoboyo' in html
    assert f'<option value="{event.id}" selected>Jamsos Goes to Market' in html
    assert '<option value="35.78" selected>' in html and 'value="2026-01-01"' in html


def test_supervisor_sees_export_links_with_the_filters_petugas_does_not(client, people):
    signed_in(client, "petugas")
    assert "/staff/ekspor.csv" not in client.get("/staff/antrian").data.decode()
    client.post("/staff/keluar")
    signed_in(client, "supervisor")
    html = client.get("/staff/antrian?status=submitted").data.decode()
    assert ('action="/staff/ekspor.csv?status=submitted"' in html
            and 'action="/staff/ekspor.xlsx?status=submitted"' in html)


BAD_FILTERS = [
    "status=bogus", "status=", "status=%00", "status=submitted%00", "kiosk=abc", "kiosk=-1", "kiosk=0",
    "kiosk=99999999999999999999", "kiosk=1e9", "kiosk=%EF%BC%91", "event=999999", "event=%27%3B--",
    "regency=99.99", "regency=35.7", "regency=%3Cscript%3E", "regency=35.78%00", "from=2026-13-45",
    "from=not-a-date", "to=9999-12-31", "from=0001-01-01", "to=2026-02-30", "from=%00", "page=abc",
    "page=-1", "page=0", "page=99999999999999999999", "page=1.5",
    "kiosk[]=1", "q=" + "x" * 3000, "from=" + "9" * 5000, "regency=" + "%F0%9F%92%A5" * 100,
]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_bad_filter_values_are_ignored(staff, people, query):
    for headers in ({}, HTMX):
        response = staff.get("/staff/antrian?" + query, headers=headers)
        assert response.status_code == 200, query
    assert len(receipt_codes(response.data.decode())) == 3  # nothing valid was given: everything


def test_hostile_filter_values_are_not_echoed(staff, people):
    html = staff.get("/staff/antrian?regency=<script>alert(1)</script>&from=<b>x</b>").data.decode()
    assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html


# --- search ----------------------------------------------------------------------------------------

def search(client, q, headers=SEARCH_HTMX):
    response = client.get("/staff/cari", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, q
    return response.data.decode()


@pytest.mark.parametrize("typed", ["3578011708850011", "3578 0117 0885 0011", "3578.0117.0885.0011",
                                   " 3578-0117-0885-0011 "])
def test_search_by_nik(staff, people, typed):
    html = search(staff, typed)
    assert receipt_codes(html) == [people[1].receipt_code]
    assert "Siti Aminah Rahayu" in html and "3578********0011" in html
    assert "3578011708850011" not in html  # only the masked NIK is shown


def test_search_by_unknown_nik_finds_nothing(staff, people):
    html = search(staff, "3578011708850099")
    assert receipt_codes(html) == [] and "Tidak ditemukan" in html


def test_search_by_receipt_code_in_any_shape(staff, people):
    code = people[2].receipt_code
    for typed in (code, code.lower(), code.replace("-", ""), code.replace("-", "").lower(), f" {code} "):
        assert receipt_codes(search(staff, typed)) == [code], typed


@pytest.mark.parametrize("typed", ["0857 3333 4444", "+62 857-3333-4444", "6285733334444", "(0857) 33334444"])
def test_search_by_phone(staff, people, typed):
    html = search(staff, typed)
    assert receipt_codes(html) == [people[2].receipt_code] and "Budi Santoso" in html


def test_search_by_name_prefix_contains_any_case(staff, people):
    assert receipt_codes(search(staff, "budi")) == [people[2].receipt_code]
    assert receipt_codes(search(staff, "BUDI SAN")) == [people[2].receipt_code]
    assert receipt_codes(search(staff, "aminah")) == [people[1].receipt_code]  # inside the name
    assert receipt_codes(search(staff, "ntos")) == [people[2].receipt_code]  # inside a word
    assert receipt_codes(search(staff, "syafi'i")) == [people[0].receipt_code]
    assert receipt_codes(search(staff, "zzz")) == []


def test_name_matches_at_the_start_come_first(staff, people):
    clone(people[0], 1, full_name="Santoso Wibowo")
    clone(people[0], 1, full_name="Agus Santoso")
    html = search(staff, "santoso")
    names = re.findall(r"<td>([^<]+)</td>\s*<td class=\"mono\">3578", html)
    assert names[0] == "Santoso Wibowo" and set(names[1:]) == {"Agus Santoso", "Budi Santoso"}


def test_name_search_needs_two_characters_and_caps_results(staff, people):
    assert "paling sedikit 2 huruf" in search(staff, "b")
    clone(people[0], 25, full_name="Bambang Sutrisno")
    html = search(staff, "bambang")
    assert len(receipt_codes(html)) == 20 and "Hanya 20 hasil pertama" in html


def test_like_wildcards_are_literal(staff, people):
    assert receipt_codes(search(staff, "%%")) == []
    assert receipt_codes(search(staff, "_u")) == []
    assert receipt_codes(search(staff, "b%i")) == []


def test_partial_numbers_get_a_hint_not_a_scan(staff, people):
    html = search(staff, "3578")
    assert receipt_codes(html) == [] and "16 angka" in html


def test_search_without_javascript_is_a_full_page(staff, people):
    html = search(staff, "budi", headers={})
    assert html.lstrip().lower().startswith("<!doctype html>") and 'value="budi"' in html
    assert receipt_codes(html) == [people[2].receipt_code] and 'id="queue-filters"' not in html


def test_queue_page_has_the_active_search_box(staff, people):
    html = staff.get("/staff/antrian").data.decode()
    assert 'hx-get="/staff/cari"' in html and 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#search-results"' in html and 'action="/staff/cari"' in html


def test_supervisor_and_admin_can_search_too(client, people):
    for role in ("supervisor", "admin"):
        signed_in(client, role)
        assert receipt_codes(search(client, "budi")) == [people[2].receipt_code]
        client.post("/staff/keluar")


HOSTILE_QUERIES = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE registration; --",
    "\x00", "a\x00b", "budi\x00", "\u202ebudi", "%", "_", "\\", "\\%", "' OR '1'='1", "x" * 5000,
    "😀😀", "Ｂｕｄｉ", "KJ-", "KJ-0000-000", "+", "+62", "62", "0" * 16, "٣٥٧٨٠١١٧٠٨٨٥٠٠٠٣",
    "3578011708850003" * 3, "{{ 7*7 }}", "${7*7}", "\r\n", "\t",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_search_queries_never_fail_and_are_escaped(staff, people, q):
    for headers in (SEARCH_HTMX, {}):
        html = search(staff, q, headers=headers)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html


def test_not_found_message_escapes_the_query(staff, people):
    html = search(staff, "<b>Budi</b>")
    assert "&lt;b&gt;Budi&lt;/b&gt;" in html and "<b>Budi</b>" not in html
