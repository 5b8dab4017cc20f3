"""Once active, a self-employed member's status page says how to pay: the KPJ number at the top, where the payment
code comes from and which channels take it (from the dated facts file), the amount of their period, the due day,
what three unpaid months do, and where the digital card is; facts BPJS has not confirmed are marked."""

import datetime as dt

import pytest

from kiosk.models import Registration
from kiosk.services.paying import PayingFactsError, facts_for, facts_from_dict
from tests.flows import register, sign_in


@pytest.fixture
def active(app, client):
    _receipt, token = register(client)
    desk = app.test_client()
    sign_in(desk, "petugas")
    for target, extra in (("verified", {}), ("active", {"kpj": "12345678901"})):
        version = Registration.get(Registration.token == token).version
        assert desk.post(f"/s/{token}/status", data={"target": target, "version": version, **extra}).status_code == 303
    return token


def test_an_active_member_reads_how_to_pay(app, active):
    html = app.test_client().get(f"/s/{active}").data.decode()
    assert html.index('id="kpj"') < html.index('id="how-to-pay"') < html.index("Kode tanda terima")
    assert "12345678901" in html
    assert "Bayar dengan kode iuran Anda, yang didapat dari:" in html and "aplikasi JMO (Jamsostek Mobile)" in html
    assert "Indomaret, Alfamart" in html and "LinkAja" in html
    assert "GoPay <span class=\"badge\">belum pasti</span>" in html  # a channel only reported, not confirmed
    registration = Registration.get(Registration.token == active)
    assert f"Iuran {registration.period_months} bulan yang Anda pilih" in html
    assert "Bayar paling lambat tanggal 15 setiap bulan." in html
    assert "Setelah 3 bulan tidak membayar, kepesertaan menjadi tidak aktif." in html
    assert "layanan telepon 175" in html and "Kartu kepesertaan digital ada di aplikasi JMO" in html


def test_nobody_is_told_how_to_pay_before_activation(app, client):
    _receipt, token = register(client)
    assert 'id="how-to-pay"' not in app.test_client().get(f"/s/{token}").data.decode()


def test_the_facts_are_dated_and_checked():
    facts = facts_for(dt.date(2026, 12, 8))
    assert facts.call_centre == "175" and facts.is_unconfirmed("code_from") and not facts.late_fine
    with pytest.raises(PayingFactsError):
        facts_for(dt.date(2020, 1, 1))  # before the first entry
    with pytest.raises(PayingFactsError):
        facts_from_dict({"paying": [{"valid_from": dt.date(2026, 1, 1), "payment_code": "kode", "code_from": ["fax"],
                                     "channels": [{"kind": "bank"}], "app": "JMO", "digital_card": "app",
                                     "status_by_nik": ["app"], "call_centre": "175", "late_fine": False}]})
