"""What joining costs, told over the whole period: a period that straddles the end of a discount shows each run of
months and why the amount changes; nothing is totalled before a programme is chosen; the receipt and the status
page carry the period's total and the amount without the discount."""

from kiosk.models import Registration
from tests.flows import CONTACT, IDENTITY, PROGRAM, WORK, start_visit
from tests.test_clock import freeze

TRADER = {**WORK, "occupation": "pedagang_pasar", "income": "1000000"}


def up_to_program(client):
    start_visit(client)
    for url, data in (("/daftar/identitas", IDENTITY), ("/daftar/kontak", CONTACT), ("/daftar/pekerjaan", TRADER)):
        assert client.post(url, data=data).status_code == 303, url


def test_three_months_from_15_december_2026_show_the_discount_ending(client, monkeypatch):
    freeze(monkeypatch, "2026-12-15T03:00:00")  # 10:00 WIB
    up_to_program(client)
    html = client.post("/daftar/program/hitung", data={"package": "base", "period": "3"}).data.decode()
    assert "Desember 2026: <strong>Rp\u00a08.400</strong>" in html
    assert "Januari 2027–Februari 2027: <strong>Rp\u00a016.800</strong>" in html
    assert ("Potongan PP 50/2025 berakhir 31 Desember 2026; mulai Januari 2027 iuran Rp\u00a016.800 per bulan."
            in html)
    assert "Rp\u00a042.000" in html  # 8.400 + 2 x 16.800


def test_one_month_inside_the_window_needs_no_month_by_month_view(client, monkeypatch):
    freeze(monkeypatch, "2026-06-15T03:00:00")
    up_to_program(client)
    html = client.post("/daftar/program/hitung", data={"package": "base", "period": "3"}).data.decode()
    assert 'id="month-runs"' not in html and "Rp\u00a025.200" in html  # 3 x 8.400


def test_nothing_is_totalled_before_a_programme_is_chosen(client, monkeypatch):
    freeze(monkeypatch, "2026-12-15T03:00:00")
    up_to_program(client)
    html = client.get("/daftar/program").data.decode()
    assert "Pilih program di atas untuk melihat iurannya." in html and "quote-table" not in html


def test_the_receipt_and_the_status_page_carry_the_period_and_the_regular_amount(client, monkeypatch):
    freeze(monkeypatch, "2026-12-15T03:00:00")
    up_to_program(client)
    client.post("/daftar/program", data={**PROGRAM, "package": "base", "period": "3"})
    receipt = client.post("/daftar/kirim", follow_redirects=True).data.decode()
    assert "Iuran per bulan (estimasi): Rp\u00a08.400; tanpa potongan Rp\u00a016.800" in receipt
    assert "Bayar untuk 3 bulan (estimasi): Rp\u00a042.000" in receipt
    registration = Registration.get()
    assert (registration.monthly_contribution, registration.regular_monthly_contribution,
            registration.period_contribution) == (8_400, 16_800, 42_000)
    status = client.get(f"/s/{registration.token}").data.decode()
    assert "tanpa potongan Rp\u00a016.800" in status and "Rp\u00a042.000" in status


def test_welcome_shows_regular_prices_from_the_rules_and_the_discount_apart(client, monkeypatch):
    freeze(monkeypatch, "2026-12-15T03:00:00")  # inside the PP 50/2025 window for most jobs
    html = client.get("/").data.decode()
    prices = html[html.index('id="prices"'):html.index("</p>", html.index('id="prices"'))]
    assert "Rp\u00a016.800" in prices and "Rp\u00a036.800" in prices  # 1% + 6.800; + 2% JHT, both undiscounted
    assert ("Saat ini ada potongan PP 50/2025: JKK + JKM hanya Rp\u00a08.400 per bulan, dengan JHT Rp\u00a028.400."
            in html)
    freeze(monkeypatch, "2027-02-15T03:00:00")  # after the window for most jobs
    html = client.get("/").data.decode()
    assert 'id="discount-note"' not in html and "Rp\u00a016.800" in html and "Rp\u00a036.800" in html
