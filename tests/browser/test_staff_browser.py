"""A petugas at the desk, in a real browser: sign in, scan a receipt code, verify, activate with KPJ;
the applicant's own phone (another browser context, no session) then shows Aktif and the KPJ."""

import re

import pytest
from playwright.sync_api import Page, expect

from kiosk.models import Registration
from tests.factories import PASSWORD, make_staff
from tests.flows import register

pytestmark = pytest.mark.browser


def test_petugas_scans_verifies_and_activates(page: Page, browser, live_server, server_url):
    live_server.config["WTF_CSRF_ENABLED"] = False  # the applicant's part runs through the test client
    with live_server.app_context():
        receipt, token = register(live_server.test_client())
        code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.data.decode()).group(0)
        make_staff("petugas", "sari")
    live_server.config["WTF_CSRF_ENABLED"] = True

    page.goto(f"{server_url}/staff/pindai")
    expect(page).to_have_url(re.compile(r"/staff/masuk"))
    page.get_by_label("Nama pengguna").fill("sari")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Pindai tanda terima")).to_be_visible()

    # A USB scanner types the code into the focused field and presses Enter.
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server_url}/s/{token}")
    expect(page.get_by_role("heading", name="Panel petugas")).to_be_visible()

    page.get_by_role("button", name="Tampilkan data lengkap").click()
    expect(page.locator("#details")).to_contain_text("3578011708850003")

    page.locator("#action-verified").get_by_role("button", name="Verifikasi").click()
    expect(page.locator(".status-now")).to_contain_text("Diverifikasi")

    page.locator("#kpj-active").fill("12345678901")
    page.locator("#action-active").get_by_role("button", name="Aktifkan").click()
    expect(page.locator(".status-now")).to_contain_text("Aktif")

    phone = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True)
    try:
        applicant = phone.new_page()
        applicant.goto(f"{server_url}/s/{token}")
        expect(applicant.locator(".status-now")).to_contain_text("Aktif")
        expect(applicant.get_by_text("12345678901")).to_be_visible()
        expect(applicant.get_by_text("Panel petugas")).to_have_count(0)
    finally:
        phone.close()

    with live_server.app_context():
        registration = Registration.get(Registration.token == token)
        assert (registration.status, registration.kpj, registration.version) == ("active", "12345678901", 3)
