"""Staff desk: sign-in, roles on every route, scanning, the status panel, status changes, audit."""

import re

import pytest

from kiosk.models import AuditEntry, Registration, StaffUser
from tests.factories import PASSWORD, make_staff
from tests.flows import IDENTITY, register, sign_in


@pytest.fixture
def applicant(app):
    """A registration made through the kiosk; returns (token, receipt code)."""
    receipt, token = register(app.test_client())
    code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.data.decode()).group(0)
    return token, code


# --- accounts and roles -------------------------------------------------------------------------

def test_sign_in_and_out_are_audited(client):
    sign_in(client, "petugas")
    assert client.get("/staff/pindai").status_code == 200
    client.post("/staff/keluar")
    assert client.get("/staff/pindai").status_code == 302
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.seq)]
    assert actions == ["login", "logout"]


def test_wrong_password_is_refused_and_audited(client):
    make_staff("petugas")
    response = client.post("/staff/masuk", data={"username": "petugas-test", "password": "salah"})
    assert response.status_code == 422 and "salah" in response.data.decode()
    entry = AuditEntry.get()
    assert entry.action == "login_failed" and PASSWORD not in entry.detail


def test_disabled_account_cannot_sign_in(client):
    user = make_staff("petugas")
    user.active = False
    user.save()
    assert client.post("/staff/masuk", data={"username": "petugas-test", "password": PASSWORD}).status_code == 422


def test_password_change_signs_out_everywhere(client, app):
    user = sign_in(client, "petugas")
    from kiosk import accounts
    accounts.set_password(StaffUser.get_by_id(user.id), "sandi-baru-yang-panjang")
    assert client.get("/staff/pindai").status_code == 302


def test_demo_accounts_are_flagged_on_screen(client, runner):
    runner.invoke(args=["seed-demo"])
    assert "Server demo" in client.get("/staff/masuk").data.decode()
    response = client.post("/staff/masuk", data={"username": "demo-petugas", "password": "demo-petugas-2026"})
    assert response.status_code == 303
    assert "AKUN DEMO" in client.get("/staff/pindai").data.decode()


def route_values(rule, token):
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        kind = converter.__class__.__name__
        values[name] = (token if name == "token" else 1 if kind == "IntegerConverter"
                        else sorted(converter.items)[0] if kind == "AnyConverter" else "x")
    return values


def protected_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if hasattr(view, "min_role"):
            rules.append((rule, view.min_role))
    return rules


def test_every_staff_and_admin_route_declares_a_role(app):
    open_endpoints = {"staff.login", "staff.logout"}
    protected = {rule.endpoint for rule, _ in protected_rules(app)}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("staff.", "admin.")) and rule.endpoint not in open_endpoints:
            assert rule.endpoint in protected, rule.endpoint
    assert {"status.reveal", "status.change"} <= protected


def test_route_map_refuses_anonymous_and_wrong_roles(app, applicant):
    token, _ = applicant
    ranks = ["petugas", "supervisor", "admin"]
    clients = {}
    for role in ranks:
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    anonymous = app.test_client()
    checked = 0
    for rule, min_role in protected_rules(app):
        url = rule.build(route_values(rule, token))[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = anonymous.open(url, method=method)
            assert response.status_code == 302 and "/staff/masuk" in response.location, (method, url)
            for role in ranks[:ranks.index(min_role)]:
                assert clients[role].open(url, method=method).status_code == 403, (role, method, url)
            checked += 1
    assert checked >= len(protected_rules(app)) >= 6


# --- scanning --------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", ["url", "token", "code", "code_lower", "code_nodash"])
def test_scan_accepts_url_token_or_receipt_code(client, applicant, shape):
    token, code = applicant
    scanned = {"url": f"http://kios.example/s/{token}", "token": token, "code": code,
               "code_lower": code.lower(), "code_nodash": code.replace("-", "")}[shape]
    sign_in(client, "petugas")
    response = client.post("/staff/pindai", data={"code": scanned})
    assert response.status_code == 303 and response.location.endswith(f"/s/{token}")


@pytest.mark.parametrize("scanned", ["KJ-0000-0000", "hello", "<script>alert(1)</script>", "x" * 5000, ""])
def test_scan_of_unknown_code_says_so(client, applicant, scanned):
    sign_in(client, "petugas")
    response = client.post("/staff/pindai", data={"code": scanned})
    html = response.data.decode()
    assert response.status_code == 404 and "Kode tidak dikenali" in html
    assert "<script>alert(1)</script>" not in html and 'autofocus' in html


# --- the status page for staff -----------------------------------------------------------------------

def test_public_sees_no_staff_panel(client, applicant):
    token, _ = applicant
    assert "Panel petugas" not in client.get(f"/s/{token}").data.decode()


def test_staff_see_the_panel_and_reveal_is_audited(client, applicant):
    token, _ = applicant
    user = sign_in(client, "petugas")
    html = client.get(f"/s/{token}").data.decode()
    assert "Panel petugas" in html and "Tampilkan data lengkap" in html
    assert IDENTITY["nik"] not in html  # details only on request
    revealed = client.post(f"/s/{token}/data", headers={"HX-Request": "true"}).data.decode()
    assert IDENTITY["nik"] in revealed and "0812 3456 7890" in revealed and "Siti" not in revealed
    entry = AuditEntry.select().where(AuditEntry.action == "pii_reveal").get()
    assert entry.actor == user.username and entry.registration_id == Registration.get().id
    full = client.post(f"/s/{token}/data").data.decode()  # without JavaScript: the whole page
    assert "Panel petugas" in full and IDENTITY["nik"] in full


def test_panel_warns_about_a_differing_birth_date_and_duplicates(app):
    first = app.test_client()
    register(first, identity={"birth_day": "2", "birth_month": "8", "birth_year": "1985"})
    Registration.update(status="rejected").execute()
    receipt, token = register(app.test_client())
    staff = app.test_client()
    sign_in(staff, "petugas")
    html = staff.get(f"/s/{token}").data.decode()
    assert "NIK yang sama juga ada" in html and "Nomor HP yang sama" in html
    old_token = Registration.get(Registration.status == "rejected").token
    assert "berbeda dengan tanggal di NIK" in staff.get(f"/s/{old_token}").data.decode()


def change(client, token, target, **fields):
    version = Registration.get(Registration.token == token).version
    sections = {"fix": ["contact"]} if target == "needs_fix" else {}
    return client.post(f"/s/{token}/status", data={"target": target, "version": version, **sections, **fields})


def test_verify_then_activate_shows_aktif_and_kpj_to_the_applicant(client, app, applicant):
    token, _ = applicant
    sign_in(client, "petugas")
    assert change(client, token, "verified").status_code == 303
    assert "Diverifikasi" in app.test_client().get(f"/s/{token}").data.decode()
    assert change(client, token, "active", kpj="1234 5678 901").status_code == 303
    public = app.test_client().get(f"/s/{token}").data.decode()
    assert "Aktif" in public and "12345678901" in public
    changes = AuditEntry.select().where(AuditEntry.action == "status_change").order_by(AuditEntry.seq)
    assert [(c.actor, c.detail.count("active")) for c in changes][-1] == ("petugas-test", 1)
    assert len(changes) == 2


def test_activation_needs_a_valid_unique_kpj(client, app, applicant):
    token, _ = applicant
    sign_in(client, "petugas")
    change(client, token, "verified")
    missing = change(client, token, "active", kpj="")
    assert missing.status_code == 422 and "Isi nomor KPJ" in missing.data.decode()
    short = change(client, token, "active", kpj="12345")
    assert short.status_code == 422 and "11 angka" in short.data.decode() and 'value="12345"' in short.data.decode()
    Registration.create(**{**Registration.get().__data__, "id": None, "token": "t" * 22, "receipt_code": "KJ-AAAA-AAAA",
                           "submission_key": "other", "nik_hash": "other", "status": "active", "kpj": "11111111111"})
    taken = change(client, token, "active", kpj="11111111111")
    assert taken.status_code == 422 and "sudah dipakai" in taken.data.decode()
    assert Registration.get(Registration.token == token).status == "verified"


def test_needs_fix_message_reaches_the_applicant(client, app, applicant):
    token, _ = applicant
    sign_in(client, "petugas")
    refused = change(client, token, "needs_fix", reason="  ")
    assert refused.status_code == 422 and "Tulis pesan" in refused.data.decode()
    change(client, token, "needs_fix", reason="Foto KTP buram, mohon datang dengan KTP asli.")
    public = app.test_client().get(f"/s/{token}").data.decode()
    assert "Perlu perbaikan" in public and "Foto KTP buram" in public
    assert change(client, token, "submitted").status_code == 303
    assert Registration.get().status == "submitted"


def test_only_supervisors_reject_and_need_a_reason(app, applicant):
    token, _ = applicant
    petugas, supervisor = app.test_client(), app.test_client()
    sign_in(petugas, "petugas")
    sign_in(supervisor, "supervisor")
    assert "Tolak" not in petugas.get(f"/s/{token}").data.decode()
    refused = change(petugas, token, "rejected", reason="Bukan WNI")
    assert refused.status_code == 422 and "hanya supervisor" in refused.data.decode()
    assert change(supervisor, token, "rejected", reason="").status_code == 422
    assert change(supervisor, token, "rejected", reason="NIK milik orang lain").status_code == 303
    assert "NIK milik orang lain" in app.test_client().get(f"/s/{token}").data.decode()


def test_illegal_transition_is_refused_clearly(client, applicant):
    token, _ = applicant
    sign_in(client, "admin")
    response = change(client, token, "active", kpj="12345678901")
    assert response.status_code == 422 and "tidak diperbolehkan" in response.data.decode()
    assert change(client, token, "bogus").status_code == 422
    assert Registration.get().status == "submitted"


def test_two_staff_at_once_one_wins_the_other_is_told(app, applicant):
    token, _ = applicant
    first, second = app.test_client(), app.test_client()
    sign_in(first, "petugas", "petugas-a")
    sign_in(second, "petugas", "petugas-b")
    seen = Registration.get().version
    assert first.post(f"/s/{token}/status", data={"target": "verified", "version": seen}).status_code == 303
    late = second.post(f"/s/{token}/status", data={"target": "needs_fix", "version": seen, "reason": "Alamat kurang",
                                                         "fix": "contact"})
    html = late.data.decode()
    assert late.status_code == 409 and "baru saja diubah petugas lain" in html and "Alamat kurang" in html
    registration = Registration.get()
    assert registration.status == "verified" and registration.version == seen + 1
    assert AuditEntry.select().where(AuditEntry.action == "status_change").count() == 1


# --- audit log ---------------------------------------------------------------------------------------

def test_supervisor_browses_and_filters_the_audit_log(client, applicant):
    token, code = applicant
    sign_in(client, "supervisor")
    change(client, token, "verified")
    html = client.get("/staff/audit").data.decode()
    assert "Perubahan status" in html and "Masuk" in html
    filtered = client.get("/staff/audit", query_string={"action": "status_change", "receipt": code}).data.decode()
    assert "1 catatan" in filtered
    assert "0 catatan" in client.get("/staff/audit", query_string={"actor": "nobody"}).data.decode()
    for hostile in ("<script>", "2026-13-45", "x" * 1000):
        assert client.get("/staff/audit", query_string={"from": hostile, "page": hostile}).status_code == 200


def test_audit_verify_detects_edited_and_deleted_rows(client, applicant, runner):
    token, _ = applicant
    sign_in(client, "petugas")
    change(client, token, "verified")
    client.post(f"/s/{token}/data")
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    target = AuditEntry.get(AuditEntry.action == "status_change")
    AuditEntry.update(actor="someone-else").where(AuditEntry.id == target.id).execute()
    edited = runner.invoke(args=["audit", "verify"])
    assert edited.exit_code == 1 and f"entry {target.seq}: edited" in edited.output
    AuditEntry.update(actor=target.actor).where(AuditEntry.id == target.id).execute()
    AuditEntry.delete().where(AuditEntry.seq == 2).execute()
    deleted = runner.invoke(args=["audit", "verify"])
    assert deleted.exit_code == 1 and "entry 2: gap" in deleted.output


def test_staff_cli_creates_lists_and_disables(runner):
    created = runner.invoke(args=["staff", "create", "--username", "Budi", "--name", "Budi Santoso",
                                  "--role", "supervisor", "--password", "panjang-sekali-1"])
    assert created.exit_code == 0 and "created budi (supervisor)" in created.output
    assert "budi" in runner.invoke(args=["staff", "list"]).output
    short = runner.invoke(args=["staff", "create", "--username", "x", "--name", "X", "--password", "pendek"])
    assert short.exit_code != 0 and "at least" in short.output
    assert runner.invoke(args=["staff", "disable", "budi"]).exit_code == 0
    assert StaffUser.get(StaffUser.username == "budi").active is False
    assert runner.invoke(args=["staff", "set-password", "budi", "--password", "lebih-panjang-2"]).exit_code == 0
