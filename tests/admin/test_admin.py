"""Admin pages: kiosks and device enrolment, events and registration tagging, staff accounts."""

import datetime as dt
import json
import re
import secrets
from urllib.parse import urlsplit

import pytest

from kiosk import accounts, audit
from kiosk.kiosks import issue_enrol_code
from kiosk.models import AuditEntry, Event, Kiosk, KioskEvent, Registration, SigninCounter, StaffUser, utcnow
from kiosk.services.workflow import ADMIN, PETUGAS, SUPERVISOR
from tests.flows import register

PASSWORD = "rahasia-panjang-1"
NEW_PASSWORD = "sandi-baru-yang-panjang"
TODAY = dt.date.today()


# --- fixtures and helpers ----------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _clean_rows(app):
    """Remove the staff users and events a test made (conftest empties kiosks and registrations)."""
    last_user = StaffUser.select(StaffUser.id).order_by(StaffUser.id.desc()).scalar() or 0
    last_event = Event.select(Event.id).order_by(Event.id.desc()).scalar() or 0
    yield
    Event.delete().where(Event.id > last_event).execute()
    StaffUser.delete().where(StaffUser.id > last_user).execute()


def make_user(role: str, password: str = PASSWORD, username: str | None = None) -> StaffUser:
    return accounts.create_user(username or f"t-{role}-{secrets.token_hex(4)}", f"Uji {role}", role, password)


def sign_in(client, user: StaffUser, password: str = PASSWORD):
    response = client.post("/staff/masuk", data={"username": user.username, "password": password})
    assert response.status_code == 303, response.data.decode()[:500]
    return client


@pytest.fixture
def admin(app):
    return make_user(ADMIN)


@pytest.fixture
def admin_client(app, admin):
    return sign_in(app.test_client(), admin)


@pytest.fixture
def kiosk(app):
    return Kiosk.create(name="Kios Pasar Turi", place="Pasar Turi, Surabaya", regency_code="35.78", kind="market")


def last_audit(action: str) -> dict:
    entry = AuditEntry.select().where(AuditEntry.action == action).order_by(AuditEntry.seq.desc()).first()
    return {"actor": entry.actor, "subject": entry.subject, **json.loads(entry.detail)}


def audit_seq() -> int:
    return AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).scalar() or 0


def audits_since(seq: int) -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.seq > seq).order_by(AuditEntry.seq))


def enrol_url_in(html: str) -> str:
    match = re.search(r'class="admin-enrol-url mono">([^<]+)<', html)
    assert match, html[:3000]
    return match.group(1)


def is_login_redirect(response) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.location).path == "/staff/masuk"


def kiosk_data(**changes):
    return {"name": "Kios Pasar Wage", "place": "Pasar Wage, Nganjuk", "regency": "35.18", "kind": "market",
            **changes}


def event_data(*kiosk_ids, **changes):
    return {"name": "Sosialisasi BPU Pasar", "place": "Alun-alun Sidoarjo", "regency": "35.15",
            "starts_on": TODAY.isoformat(), "ends_on": (TODAY + dt.timedelta(days=2)).isoformat(),
            "kiosks": [str(k) for k in kiosk_ids], **changes}


def account_data(**changes):
    return {"username": f"budi-{secrets.token_hex(3)}", "full_name": "Budi Santoso", "role": PETUGAS,
            "password": PASSWORD, "password_confirm": PASSWORD, **changes}


# --- every route: admin only -------------------------------------------------------------------

# (method, rule, form data for a valid request)
ROUTES = [
    ("GET", "/admin/", None),
    ("GET", "/admin/kios", None),
    ("GET", "/admin/kios/baru", None),
    ("POST", "/admin/kios/baru", lambda ids: kiosk_data()),
    ("GET", "/admin/kios/<int:kiosk_id>", None),
    ("POST", "/admin/kios/<int:kiosk_id>", lambda ids: kiosk_data(name="Kios Pasar Turi Baru")),
    ("POST", "/admin/kios/<int:kiosk_id>/kode-pendaftaran", lambda ids: {}),
    ("POST", "/admin/kios/<int:kiosk_id>/nonaktifkan", lambda ids: {}),
    ("POST", "/admin/kios/<int:kiosk_id>/aktifkan", lambda ids: {}),
    ("GET", "/admin/acara", None),
    ("GET", "/admin/acara/baru", None),
    ("POST", "/admin/acara/baru", lambda ids: event_data(ids["kiosk_id"])),
    ("GET", "/admin/acara/<int:event_id>", None),
    ("POST", "/admin/acara/<int:event_id>", lambda ids: event_data(name="Sosialisasi diubah")),
    ("GET", "/admin/akun", None),
    ("GET", "/admin/akun/baru", None),
    ("POST", "/admin/akun/baru", lambda ids: account_data()),
    ("GET", "/admin/akun/<int:user_id>", None),
    ("POST", "/admin/akun/<int:user_id>/peran", lambda ids: {"role": SUPERVISOR}),
    ("POST", "/admin/akun/<int:user_id>/kata-sandi",
     lambda ids: {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}),
    ("POST", "/admin/akun/<int:user_id>/nonaktifkan", lambda ids: {}),
    ("POST", "/admin/akun/<int:user_id>/aktifkan", lambda ids: {}),
    ("POST", "/admin/akun/<int:user_id>/buka-kunci", lambda ids: locked(ids["user_id"])),
]


def locked(user_id: int) -> dict:
    """Lock the account as five failed sign-ins would (kiosk.signins); no form data."""
    SigninCounter.create(key=f"user:{user_id}", failures=5, last_failure_at=utcnow(),
                         locked_until=utcnow() + dt.timedelta(minutes=1))
    return {}


def fill(rule: str, ids: dict) -> str:
    return re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), rule)


def test_the_route_list_covers_every_admin_route(app):
    found = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert found == {(method, rule) for method, rule, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            assert getattr(app.view_functions[rule.endpoint], "min_role", None) == ADMIN, rule.endpoint


@pytest.mark.parametrize("method,rule,data", ROUTES, ids=[f"{m} {r}" for m, r, _ in ROUTES])
def test_only_admins_may_use_the_route(app, kiosk, method, rule, data):
    target = make_user(PETUGAS)
    event = Event.create(name="Acara", place="Balai", regency_code="35.78", starts_on=TODAY, ends_on=TODAY)
    ids = {"kiosk_id": kiosk.id, "event_id": event.id, "user_id": target.id}
    url = fill(rule, ids)
    form = data(ids) if data else None
    if "aktifkan" in rule and "non" not in rule:  # enabling needs something disabled first
        Kiosk.update(active=False).where(Kiosk.id == kiosk.id).execute()
        StaffUser.update(active=False).where(StaffUser.id == target.id).execute()

    anonymous = app.test_client().open(url, method=method, data=form)
    assert is_login_redirect(anonymous), (anonymous.status_code, anonymous.location)

    before = audit_seq()
    for role in (PETUGAS, SUPERVISOR):
        client = sign_in(app.test_client(), make_user(role))
        seq = audit_seq()
        assert client.open(url, method=method, data=form).status_code == 403
        assert audits_since(seq) == []  # refused: nothing changed
    assert all(e.action == audit.LOGIN for e in audits_since(before))

    client = sign_in(app.test_client(), make_user(ADMIN))
    response = client.open(url, method=method, data=form)
    assert response.status_code in ((200, 303) if method == "GET" else (303, 200)), response.data.decode()[:3000]
    if method == "POST":
        assert {e.action for e in audits_since(before)} - {audit.LOGIN}  # the change was audited


def test_unknown_ids_are_not_found(admin_client):
    for url in ("/admin/kios/999999", "/admin/acara/999999", "/admin/akun/999999",
                "/admin/kios/99999999999999999999999", "/admin/akun/-1"):
        assert admin_client.get(url).status_code == 404, url
    assert admin_client.post("/admin/kios/99999999999999999999999/nonaktifkan").status_code == 404


def test_admin_nav_links_the_sections(admin_client):
    html = admin_client.get("/admin/kios").data.decode()
    assert all(href in html for href in ('href="/admin/kios"', 'href="/admin/acara"', 'href="/admin/akun"'))


# --- kiosks ------------------------------------------------------------------------------------

def test_create_kiosk_lists_it_with_kind_regency_and_audit(admin_client, admin):
    response = admin_client.post("/admin/kios/baru", data=kiosk_data())
    assert response.status_code == 303
    kiosk = Kiosk.get(Kiosk.name == "Kios Pasar Wage")
    assert (kiosk.place, kiosk.regency_code, kiosk.kind, kiosk.active) == ("Pasar Wage, Nganjuk", "35.18", "market",
                                                                            True)
    assert urlsplit(response.location).path == f"/admin/kios/{kiosk.id}"
    assert "Kios Pasar Wage dibuat" in admin_client.get(response.location).data.decode()
    html = admin_client.get("/admin/kios").data.decode()
    assert "Kios Pasar Wage" in html and "Kabupaten Nganjuk" in html and "Pasar" in html and "Belum" in html
    entry = last_audit(audit.KIOSK)
    assert entry["change"] == "create" and entry["kiosk_id"] == kiosk.id and entry["actor"] == admin.username


def test_kiosk_kinds_have_their_labels(admin_client):
    for kind in Kiosk.KINDS:
        Kiosk.create(name=f"Kios {kind}", place="Tempat", regency_code="35.78", kind=kind)
    html = admin_client.get("/admin/kios").data.decode()
    assert "Kantor Dinas" in html and "Pasar" in html and "Booth acara" in html
    form = admin_client.get("/admin/kios/baru").data.decode()
    assert "Kantor Dinas" in form and "Booth acara" in form


def test_regency_select_groups_by_province_with_jawa_timur_first(admin_client):
    html = admin_client.get("/admin/kios/baru").data.decode()
    groups = re.findall(r'<optgroup label="([^"]+)"', html)
    assert groups[0] == "Jawa Timur" and len(groups) > 30
    assert '<option value="35.78">Kota Surabaya</option>' in html


def test_kiosk_form_errors_are_beside_the_fields_and_keep_what_was_typed(admin_client):
    response = admin_client.post("/admin/kios/baru", data={"name": "", "place": "Pasar Legi", "regency": "99.99",
                                                           "kind": "spaceship"})
    html = response.data.decode()
    assert response.status_code == 422
    assert 'id="name-error"' in html and "Kolom ini wajib diisi." in html
    assert "Pilih kabupaten/kota dari daftar." in html and "Pilih salah satu." in html
    assert 'value="Pasar Legi"' in html
    assert Kiosk.select().count() == 0


def test_edit_kiosk_saves_and_audits_the_changed_fields(admin_client, kiosk):
    response = admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name="Kios Turi Baru",
                                                                             place=kiosk.place, regency="35.78"))
    assert response.status_code == 303
    kiosk = Kiosk.get_by_id(kiosk.id)
    assert kiosk.name == "Kios Turi Baru"
    entry = last_audit(audit.KIOSK)
    assert entry["change"] == "edit" and entry["kiosk_id"] == kiosk.id and entry["fields"] == ["name"]
    # Saving again without changes says so and writes no entry.
    seq = audit_seq()
    admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name="Kios Turi Baru", place=kiosk.place,
                                                                 regency="35.78"))
    assert audits_since(seq) == []
    assert "Tidak ada yang berubah." in admin_client.get(f"/admin/kios/{kiosk.id}").data.decode()


def test_edit_kiosk_with_bad_input_keeps_the_values(admin_client, kiosk):
    response = admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name="x" * 121, place="  "))
    html = response.data.decode()
    assert response.status_code == 422
    assert "Terlalu panjang (paling banyak 120 huruf)." in html and 'value="' + "x" * 121 + '"' in html
    assert Kiosk.get_by_id(kiosk.id).name == "Kios Pasar Turi"


def test_deactivate_stops_the_device_counting_and_reactivate_restores_it(app, admin_client, kiosk):
    device = app.test_client()
    assert device.get(f"/kiosk/pasang/{issue_enrol_code(kiosk)}").status_code == 303
    pending = issue_enrol_code(Kiosk.get_by_id(kiosk.id))

    response = admin_client.post(f"/admin/kios/{kiosk.id}/nonaktifkan")
    assert response.status_code == 303
    assert "dinonaktifkan" in admin_client.get(response.location).data.decode()
    assert not Kiosk.get_by_id(kiosk.id).active
    assert last_audit(audit.KIOSK)["change"] == "deactivate"
    assert app.test_client().get(f"/kiosk/pasang/{pending}").status_code == 404  # unused code is void
    register(device)
    assert (Registration.get().channel, Registration.get().kiosk) == ("web", None)
    # No enrolment code for an inactive kiosk.
    assert admin_client.post(f"/admin/kios/{kiosk.id}/kode-pendaftaran").status_code == 303
    assert Kiosk.get_by_id(kiosk.id).enrol_code is None
    assert "nonaktif" in admin_client.get(f"/admin/kios/{kiosk.id}").data.decode()

    assert admin_client.post(f"/admin/kios/{kiosk.id}/aktifkan").status_code == 303
    assert Kiosk.get_by_id(kiosk.id).active
    entry = last_audit(audit.KIOSK)
    assert entry["change"] == "activate" and entry["kiosk_id"] == kiosk.id


# --- enrolment codes ---------------------------------------------------------------------------

def test_enrolment_code_is_shown_once_as_url_and_qr_and_is_one_time(app, admin_client, kiosk):
    html = admin_client.post(f"/admin/kios/{kiosk.id}/kode-pendaftaran").data.decode()
    url = enrol_url_in(html)
    code = Kiosk.get_by_id(kiosk.id).enrol_code
    assert url == f"http://localhost/kiosk/pasang/{code}"
    assert '<svg role="img"' in html and 'class="qr"' in html
    entry = last_audit(audit.KIOSK)
    assert entry["change"] == "enrol_code" and entry["kiosk_id"] == kiosk.id
    assert all(code not in e.detail for e in AuditEntry.select())  # the code is a credential
    # Shown only in that response: the kiosk page says a code is pending but not what it is.
    page = admin_client.get(f"/admin/kios/{kiosk.id}").data.decode()
    assert code not in page and "belum dipakai" in page

    device = app.test_client()
    response = device.get(urlsplit(url).path)
    assert response.status_code == 303 and "kiosk=" in response.headers["Set-Cookie"]
    assert app.test_client().get(urlsplit(url).path).status_code == 404  # second use
    assert device.get(urlsplit(url).path).status_code == 404
    register(device)
    registration = Registration.get()
    assert (registration.kiosk_id, registration.channel) == (kiosk.id, "kiosk")
    assert Kiosk.get_by_id(kiosk.id).enrolled_at is not None
    assert "Belum" not in admin_client.get("/admin/kios").data.decode().split("<tbody>")[1]


def test_reissued_code_rebinds_a_new_browser_and_the_old_one_stops_counting(app, admin_client, kiosk):
    old_device = app.test_client()
    assert old_device.get(f"/kiosk/pasang/{issue_enrol_code(kiosk)}").status_code == 303

    unused = enrol_url_in(admin_client.post(f"/admin/kios/{kiosk.id}/kode-pendaftaran").data.decode())
    second = enrol_url_in(admin_client.post(f"/admin/kios/{kiosk.id}/kode-pendaftaran").data.decode())
    assert app.test_client().get(urlsplit(unused).path).status_code == 404  # replaced by the newer code
    new_device = app.test_client()
    assert new_device.get(urlsplit(second).path).status_code == 303

    register(old_device)
    registration = Registration.get()
    assert (registration.kiosk, registration.channel) == (None, "web")
    Registration.delete().execute()
    register(new_device)
    registration = Registration.get()
    assert (registration.kiosk_id, registration.channel) == (kiosk.id, "kiosk")


def test_expired_enrolment_code_is_refused(app, kiosk):
    code = issue_enrol_code(kiosk)
    Kiosk.update(enrol_expires_at=utcnow() - dt.timedelta(seconds=1)).where(Kiosk.id == kiosk.id).execute()
    device = app.test_client()
    assert device.get(f"/kiosk/pasang/{code}").status_code == 404
    assert Kiosk.get_by_id(kiosk.id).device_key is None


# --- events ------------------------------------------------------------------------------------

def test_event_create_assigns_kiosks_and_tags_registrations_during_its_dates(app, admin_client, admin, kiosk):
    other = Kiosk.create(name="Kios Kantor Dinas", place="Jl. Juanda", regency_code="35.15", kind="office")
    past = Event.create(name="Acara lalu", place="Balai", regency_code="35.78",
                        starts_on=TODAY - dt.timedelta(days=10), ends_on=TODAY - dt.timedelta(days=8))
    KioskEvent.create(kiosk=kiosk, event=past)

    response = admin_client.post("/admin/acara/baru", data=event_data(kiosk.id))
    assert response.status_code == 303 and urlsplit(response.location).path == "/admin/acara"
    event = Event.get(Event.name == "Sosialisasi BPU Pasar")
    assert (event.starts_on, event.ends_on, event.regency_code) == (TODAY, TODAY + dt.timedelta(days=2), "35.15")
    assert [link.kiosk_id for link in event.kiosk_links] == [kiosk.id]
    entry = last_audit(audit.EVENT)
    assert entry["change"] == "create" and entry["event_id"] == event.id and entry["kiosk_ids"] == [kiosk.id]
    assert entry["actor"] == admin.username
    html = admin_client.get("/admin/acara").data.decode()
    assert "Sosialisasi BPU Pasar" in html and "Kios Pasar Turi" in html and "Berlangsung" in html
    assert "Sosialisasi BPU Pasar" in admin_client.get("/admin/kios").data.decode()

    device = app.test_client()
    assert device.get(f"/kiosk/pasang/{issue_enrol_code(Kiosk.get_by_id(kiosk.id))}").status_code == 303
    register(device)
    registration = Registration.get()
    assert registration.kiosk_id == kiosk.id and registration.event_id == event.id

    # A kiosk not assigned to the event tags nothing.
    Registration.delete().execute()
    elsewhere = app.test_client()
    assert elsewhere.get(f"/kiosk/pasang/{issue_enrol_code(other)}").status_code == 303
    register(elsewhere)
    registration = Registration.get()
    assert registration.kiosk_id == other.id and registration.event is None


def test_event_outside_its_dates_tags_nothing(app, admin_client, kiosk):
    today = dt.date.today()  # not the module's TODAY: a long run can cross midnight after collection
    admin_client.post("/admin/acara/baru", data=event_data(
        kiosk.id, starts_on=(today + dt.timedelta(days=1)).isoformat(),
        ends_on=(today + dt.timedelta(days=3)).isoformat()))
    device = app.test_client()
    device.get(f"/kiosk/pasang/{issue_enrol_code(kiosk)}")
    register(device)
    assert Registration.get().kiosk_id == kiosk.id and Registration.get().event is None


def test_event_edit_changes_details_and_assignments_with_audit(admin_client, kiosk):
    second = Kiosk.create(name="Kios Booth", place="GOR Delta", regency_code="35.15", kind="event")
    admin_client.post("/admin/acara/baru", data=event_data(kiosk.id))
    event = Event.get(Event.name == "Sosialisasi BPU Pasar")
    html = admin_client.get(f"/admin/acara/{event.id}").data.decode()
    assert f'value="{kiosk.id}" checked' in html and f'value="{second.id}">' in html
    assert f'value="{TODAY.isoformat()}"' in html

    response = admin_client.post(f"/admin/acara/{event.id}", data=event_data(second.id, name="Sosialisasi Pasar Baru"))
    assert response.status_code == 303
    assert Event.get_by_id(event.id).name == "Sosialisasi Pasar Baru"
    assert [link.kiosk_id for link in Event.get_by_id(event.id).kiosk_links] == [second.id]
    entries = [json.loads(e.detail) for e in AuditEntry.select().where(AuditEntry.action == audit.EVENT)
               .order_by(AuditEntry.seq.desc()).limit(2)]
    assert entries[0] == {"change": "kiosks", "event_id": event.id, "assigned": [second.id], "unassigned": [kiosk.id]}
    assert entries[1] == {"change": "edit", "event_id": event.id, "fields": ["name"]}

    # Unticking every kiosk unassigns them all.
    data = event_data(name="Sosialisasi Pasar Baru")
    del data["kiosks"]
    admin_client.post(f"/admin/acara/{event.id}", data=data)
    assert KioskEvent.select().where(KioskEvent.event == event.id).count() == 0
    assert last_audit(audit.EVENT)["unassigned"] == [second.id]


@pytest.mark.parametrize("changes,message", [
    ({"ends_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"starts_on": "31/02/2026"}, "Tanggal tidak dikenali."),
    ({"starts_on": "kemarin"}, "Tanggal tidak dikenali."),
    ({"ends_on": ""}, "Kolom ini wajib diisi."),
    ({"starts_on": "0202-01-01"}, "Tahun ini tidak mungkin."),
    ({"kiosks": ["abc"]}, "Ada kios yang tidak dikenal."),
    ({"regency": ""}, "Pilih kabupaten/kota."),
    ({"name": ""}, "Kolom ini wajib diisi."),
])
def test_event_form_errors(admin_client, changes, message):
    response = admin_client.post("/admin/acara/baru", data=event_data(**changes))
    html = response.data.decode()
    assert response.status_code == 422 and message in html
    assert 'value="Alun-alun Sidoarjo"' in html  # typed values stay
    assert not Event.select().where(Event.name == "Sosialisasi BPU Pasar").exists()


def test_event_dates_accept_day_month_year(admin_client):
    assert admin_client.post("/admin/acara/baru", data=event_data(starts_on="17/08/2026",
                                                                  ends_on="18-08-2026")).status_code == 303
    event = Event.get(Event.name == "Sosialisasi BPU Pasar")
    assert (event.starts_on, event.ends_on) == (dt.date(2026, 8, 17), dt.date(2026, 8, 18))


# --- staff accounts ----------------------------------------------------------------------------

def test_account_list_shows_name_role_status_and_last_login(admin_client, admin):
    petugas = make_user(PETUGAS)
    html = admin_client.get("/admin/akun").data.decode()
    assert admin.username in html and petugas.username in html and "Uji petugas" in html
    assert "Petugas" in html and "Belum pernah" in html and "Aktif" in html


def test_create_account_then_the_person_can_sign_in(app, admin_client, admin):
    data = account_data(username="Siti.Rahma", full_name="Siti Rahma", role=SUPERVISOR)
    seq = audit_seq()
    response = admin_client.post("/admin/akun/baru", data=data)
    assert response.status_code == 303
    user = StaffUser.get(StaffUser.username == "siti.rahma")
    assert (user.full_name, user.role, user.active) == ("Siti Rahma", SUPERVISOR, True)
    assert "Akun siti.rahma dibuat." in admin_client.get(response.location).data.decode()
    entry = last_audit(audit.ACCOUNT)
    assert entry == {"actor": admin.username, "subject": f"account:{user.id}", "change": "create",
                     "username": "siti.rahma", "role": SUPERVISOR}
    assert all(PASSWORD not in e.detail for e in audits_since(seq))
    sign_in(app.test_client(), user)


@pytest.mark.parametrize("changes,field,message", [
    ({"password": "pendek", "password_confirm": "pendek"}, "password", "Kata sandi paling sedikit 10 karakter."),
    ({"password_confirm": "rahasia-panjang-2"}, "password_confirm", "Kedua kata sandi tidak sama."),
    ({"username": "budi santoso"}, "username", "Hanya huruf a–z"),
    ({"username": "budi<b>"}, "username", "Hanya huruf a–z"),
    ({"username": "budi😀"}, "username", "Hanya huruf a–z"),
    ({"username": "b" * 41}, "username", "paling banyak 40 huruf"),
    ({"username": ""}, "username", "Kolom ini wajib diisi."),
    ({"full_name": " \u200b "}, "full_name", "Kolom ini wajib diisi."),
    ({"role": "root"}, "role", "Pilih salah satu."),
    ({"password": "x" * 300, "password_confirm": "x" * 300}, "password", "Kata sandi terlalu panjang"),
])
def test_create_account_bad_input_shows_messages_and_keeps_values(admin_client, changes, field, message):
    data = account_data(**changes)
    response = admin_client.post("/admin/akun/baru", data=data)
    html = response.data.decode()
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    kept = data["username"].replace("<", "&lt;").replace(">", "&gt;")
    assert f'value="{kept}"' in html and f'value="{data["full_name"]}"' in html
    assert data["password"] not in html and data["password_confirm"] not in html
    assert not StaffUser.select().where(StaffUser.username == data["username"].lower()).exists()


def test_create_account_with_a_taken_username(admin_client):
    existing = make_user(PETUGAS, username="andi")
    response = admin_client.post("/admin/akun/baru", data=account_data(username="Andi", full_name="Andi Lain"))
    html = response.data.decode()
    assert response.status_code == 422 and "Nama pengguna ini sudah dipakai." in html
    assert 'value="Andi"' in html and PASSWORD not in html
    assert StaffUser.get(StaffUser.username == "andi").full_name == existing.full_name


def test_disable_signs_the_user_out_and_enable_lets_them_back(app, admin_client, admin):
    petugas = make_user(PETUGAS)
    desk = sign_in(app.test_client(), petugas)
    assert desk.get("/staff/antrian").status_code == 200

    response = admin_client.post(f"/admin/akun/{petugas.id}/nonaktifkan")
    assert response.status_code == 303
    assert "dinonaktifkan" in admin_client.get(response.location).data.decode()
    assert is_login_redirect(desk.get("/staff/antrian"))
    assert app.test_client().post("/staff/masuk", data={"username": petugas.username,
                                                        "password": PASSWORD}).status_code == 422
    entry = last_audit(audit.ACCOUNT)
    assert (entry["change"], entry["username"], entry["role"]) == ("disable", petugas.username, PETUGAS)
    assert "Nonaktif" in admin_client.get("/admin/akun").data.decode()

    assert admin_client.post(f"/admin/akun/{petugas.id}/aktifkan").status_code == 303
    assert last_audit(audit.ACCOUNT)["change"] == "enable"
    sign_in(app.test_client(), petugas)


def test_reset_password_logs_out_existing_sessions(app, admin_client):
    petugas = make_user(PETUGAS)
    desk = sign_in(app.test_client(), petugas)
    seq = audit_seq()
    response = admin_client.post(f"/admin/akun/{petugas.id}/kata-sandi",
                                 data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert "Kata sandi" in admin_client.get(response.location).data.decode()
    assert is_login_redirect(desk.get("/staff/antrian"))
    assert app.test_client().post("/staff/masuk", data={"username": petugas.username,
                                                        "password": PASSWORD}).status_code == 422
    sign_in(app.test_client(), petugas, NEW_PASSWORD)
    entry = last_audit(audit.ACCOUNT)
    assert (entry["change"], entry["username"]) == ("password", petugas.username)
    assert all(NEW_PASSWORD not in e.detail and PASSWORD not in e.detail for e in audits_since(seq))


def test_reset_password_bad_input_keeps_the_old_password(app, admin_client):
    petugas = make_user(PETUGAS)
    response = admin_client.post(f"/admin/akun/{petugas.id}/kata-sandi",
                                 data={"password": "pendek", "password_confirm": "pendek"})
    html = response.data.decode()
    assert response.status_code == 422 and "Kata sandi paling sedikit 10 karakter." in html
    assert 'value="pendek"' not in html
    response = admin_client.post(f"/admin/akun/{petugas.id}/kata-sandi",
                                 data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"})
    assert response.status_code == 422 and "Kedua kata sandi tidak sama." in response.data.decode()
    sign_in(app.test_client(), petugas)


def test_change_role_signs_the_user_out_and_is_audited(app, admin_client):
    petugas = make_user(PETUGAS)
    desk = sign_in(app.test_client(), petugas)
    response = admin_client.post(f"/admin/akun/{petugas.id}/peran", data={"role": SUPERVISOR})
    assert response.status_code == 303
    assert StaffUser.get_by_id(petugas.id).role == SUPERVISOR
    assert is_login_redirect(desk.get("/staff/antrian"))
    entry = last_audit(audit.ACCOUNT)
    assert (entry["change"], entry["role"], entry["previous_role"]) == ("role", SUPERVISOR, PETUGAS)
    response = admin_client.post(f"/admin/akun/{petugas.id}/peran", data={"role": "root"})
    assert response.status_code == 422 and "Pilih salah satu." in response.data.decode()


def test_admin_cannot_disable_or_demote_themselves(admin_client, admin):
    seq = audit_seq()
    response = admin_client.post(f"/admin/akun/{admin.id}/nonaktifkan")
    assert response.status_code == 422
    assert "tidak bisa menonaktifkan akun Anda sendiri" in response.data.decode()
    response = admin_client.post(f"/admin/akun/{admin.id}/peran", data={"role": PETUGAS})
    html = response.data.decode()
    assert response.status_code == 422 and "tidak bisa menurunkan peran akun Anda sendiri" in html
    assert 'id="role-error"' in html
    user = StaffUser.get_by_id(admin.id)
    assert (user.active, user.role) == (True, ADMIN)
    assert audits_since(seq) == []
    assert admin_client.get("/admin/akun").status_code == 200  # still signed in
    assert "Nonaktifkan akun" not in admin_client.get(f"/admin/akun/{admin.id}").data.decode()


def test_admin_resetting_their_own_password_stays_signed_in(app, admin_client, admin):
    other_session = sign_in(app.test_client(), admin)
    response = admin_client.post(f"/admin/akun/{admin.id}/kata-sandi",
                                 data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert admin_client.get("/admin/akun").status_code == 200
    assert is_login_redirect(other_session.get("/admin/akun"))


# --- hostile input -----------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
HOSTILE = [SCRIPT, "Kios 🏪 Pasar 👩‍🌾", "\x00\u202e\u200bkios", "a" * 100_000, "' OR 1=1 --", "%(name)s {{ 7*7 }}"]
FORMS = [
    ("/admin/kios/baru", ("name", "place", "regency", "kind")),
    ("/admin/acara/baru", ("name", "place", "regency", "starts_on", "ends_on", "kiosks")),
    ("/admin/akun/baru", ("username", "full_name", "role", "password", "password_confirm")),
]


@pytest.mark.parametrize("url,fields", FORMS, ids=[u for u, _ in FORMS])
@pytest.mark.parametrize("value", HOSTILE, ids=["script", "emoji", "control", "100kb", "sql", "format"])
def test_hostile_input_never_breaks_a_form_and_is_escaped(admin_client, kiosk, url, fields, value):
    for field in fields:
        response = admin_client.post(url, data={field: value})
        assert response.status_code == 422, (field, response.status_code)
        assert SCRIPT not in response.data.decode()
    response = admin_client.post(url, data={name: value for name in fields})
    # Over MAX_CONTENT_LENGTH (256 KB) the app answers its own 413 page; otherwise the form's errors.
    assert response.status_code == (413 if len(value) * len(fields) > 256 * 1024 else 422)
    assert SCRIPT not in response.data.decode()
    for page in ("/admin/kios", "/admin/acara", "/admin/akun"):
        response = admin_client.get(page)
        assert response.status_code == 200 and SCRIPT not in response.data.decode()


def test_hostile_names_are_stored_and_shown_escaped(admin_client, kiosk):
    response = admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name=SCRIPT, place="Pasar 🏪 Legi"))
    assert response.status_code == 303
    html = admin_client.get("/admin/kios").data.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Pasar 🏪 Legi" in html
    html = admin_client.post(f"/admin/kios/{kiosk.id}/kode-pendaftaran").data.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    admin_client.post("/admin/acara/baru", data=event_data(kiosk.id, name=SCRIPT))
    assert SCRIPT not in admin_client.get("/admin/acara").data.decode()
    assert admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name="a" * 100_000)).status_code == 422
    admin_client.post(f"/admin/kios/{kiosk.id}", data=kiosk_data(name="{{ 7*7 }} %(name)s"))
    assert "{{ 7*7 }} %(name)s" in admin_client.get("/admin/kios").data.decode()


def test_hostile_input_to_account_actions(admin_client):
    petugas = make_user(PETUGAS)
    for value in HOSTILE:
        for url, data in ((f"/admin/akun/{petugas.id}/peran", {"role": value}),
                          (f"/admin/akun/{petugas.id}/kata-sandi",
                          {"password": value, "password_confirm": value + "!"})):
            response = admin_client.post(url, data=data)
            assert response.status_code == 422 and SCRIPT not in response.data.decode()


# --- CSRF --------------------------------------------------------------------------------------

def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_every_admin_form_carries_a_csrf_token_and_posts_need_it(csrf_app):
    admin = make_user(ADMIN)
    petugas = make_user(PETUGAS)
    kiosk = Kiosk.create(name="Kios CSRF", place="Pasar", regency_code="35.78", kind="market")
    event = Event.create(name="Acara CSRF", place="Balai", regency_code="35.78", starts_on=TODAY, ends_on=TODAY)
    client = csrf_app.test_client()
    token = _csrf_token(client.get("/staff/masuk").data.decode())
    assert client.post("/staff/masuk", data={"username": admin.username, "password": PASSWORD,
                                             "csrf_token": token}).status_code == 303

    pages = ["/admin/kios", "/admin/kios/baru", f"/admin/kios/{kiosk.id}", "/admin/acara", "/admin/acara/baru",
             f"/admin/acara/{event.id}", "/admin/akun", "/admin/akun/baru", f"/admin/akun/{petugas.id}"]
    posts = 0
    for page in pages:
        html = client.get(page).data.decode()
        for form in re.findall(r'<form method="post".*?</form>', html, flags=re.S):
            assert 'name="csrf_token"' in form, (page, form[:300])
            posts += 1
    assert posts >= 12

    assert client.post("/admin/kios/baru", data=kiosk_data()).status_code == 400
    assert client.post(f"/admin/kios/{kiosk.id}/nonaktifkan").status_code == 400
    assert client.post(f"/admin/akun/{petugas.id}/nonaktifkan").status_code == 400
    assert Kiosk.get_by_id(kiosk.id).active and StaffUser.get_by_id(petugas.id).active
    token = _csrf_token(client.get("/admin/kios/baru").data.decode())
    assert client.post("/admin/kios/baru", data={**kiosk_data(), "csrf_token": token}).status_code == 303
