"""Who pays: a kiosk run by a regency's programme (APBD) registers its members as paid by it, and the estimate
follows (PP 50/2025 leaves out budget-paid members); staff set or correct the payer when they verify, and the
figures are computed again; receipt and status page say who pays."""

from kiosk.models import Kiosk, Registration
from tests.flows import CONTACT, IDENTITY, PROGRAM, WORK, register, sign_in, start_visit
from tests.test_clock import freeze

MALANG = "Program Perlindungan Pekerja Rentan Kota Malang (DBHCHT)"
TRADER = {**WORK, "occupation": "pedagang_pasar", "income": "1000000"}


def test_a_kota_malang_apbd_kiosk_quotes_without_the_discount_and_says_who_pays(client, monkeypatch):
    Kiosk.create(name="Kios Pasar Besar", place="Pasar Besar, Kota Malang", regency_code="35.73", kind="market",
                 enrol_code="enrol-malang", payer="APBD", payer_programme=MALANG)
    client.get("/kiosk/pasang/enrol-malang")
    freeze(monkeypatch, "2026-12-15T03:00:00")  # inside the discount window for a trader
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT), ("/daftar/pekerjaan", TRADER)):
        assert client.post(url, data=data).status_code == 303
    quote = client.post("/daftar/program/hitung", data={"package": "base", "period": "3"}).data.decode()
    assert "Rp\u00a050.400" in quote and "Rp\u00a08.400" not in quote  # 3 x 16.800, no PP 50/2025
    assert f"Iuran Anda dibayar oleh Pemerintah daerah (APBD): {MALANG}." in quote
    client.post("/daftar/program", data={**PROGRAM, "package": "base", "period": "3"})
    receipt = client.post("/daftar/kirim", follow_redirects=True).data.decode()
    assert f"Iuran dibayar oleh: Pemerintah daerah (APBD), {MALANG}" in receipt
    registration = Registration.get()
    assert (registration.payer, registration.payer_programme, registration.period_contribution) == (
        "APBD", MALANG, 50_400)
    assert MALANG in client.get(f"/s/{registration.token}").data.decode()


def test_staff_set_the_payer_at_verification_and_the_figures_follow(app, client, monkeypatch):
    freeze(monkeypatch, "2026-12-15T03:00:00")
    _receipt, token = register(client, work=TRADER, program={"package": "base", "period": "3"})
    assert Registration.get(Registration.token == token).period_contribution == 42_000  # 8.400 + 2 x 16.800
    desk = app.test_client()
    sign_in(desk, "petugas")
    version = Registration.get(Registration.token == token).version
    refused = desk.post(f"/s/{token}/status", data={"target": "verified", "version": version, "payer": "APBD"})
    assert refused.status_code == 422 and "Tulis nama program pemerintah" in refused.data.decode()
    done = desk.post(f"/s/{token}/status", data={"target": "verified", "version": version, "payer": "APBD",
                                                "payer_programme": MALANG})
    assert done.status_code == 303
    registration = Registration.get(Registration.token == token)
    assert (registration.status, registration.payer, registration.monthly_contribution,
            registration.period_contribution) == ("verified", "APBD", 16_800, 50_400)
