"""An owner registers a business with three workers in a real browser, prints, and every QR opens its page."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosk.db import db
from kiosk.models import Business, Registration
from tests.browser.test_accessibility import Audit, axe_context  # noqa: F401  (axe_context is a fixture)
from tests.browser.test_walkin_browser import TIMEOUT, on_screen, settled, swapped
from tests.flows import FEMALE_NIK, WORKERS

pytestmark = pytest.mark.browser

BUSINESS_CODE = re.compile(r"^KU-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def decode_qrs(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(BytesIO(png)))
    return [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]


def workers_by_code(app) -> dict:
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return {w.receipt_code: w.token for w in Registration.select().where(Registration.kind == "pu")}
        finally:
            db.close()


def business_token(app) -> str:
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return Business.get().token
        finally:
            db.close()


def fill_business_step(page: Page):
    page.locator("label.choice", has_text="UMKM").tap()
    page.locator("#nib").fill("9120001122334")
    page.locator("#name").fill("Toko Maju Jaya")
    page.locator("#scale label.choice", has_text="Kecil").tap()
    page.locator("label.tile", has_text="Perdagangan").tap()
    page.locator("#address").fill("Jl. Pasar Wonokromo 12")
    swapped(page, "#address-regions", lambda: page.locator("#province").select_option("35"))
    swapped(page, "#address-regions", lambda: page.locator("#regency").select_option("35.78"))
    swapped(page, "#address-regions", lambda: page.locator("#district").select_option("35.78.01"))
    swapped(page, "#address-regions", lambda: page.locator("#village").select_option("35.78.01.1001"))
    page.get_by_role("button", name="Lanjut").tap()


def fill_owner_step(page: Page):
    page.locator("#nik").press_sequentially(FEMALE_NIK, delay=20)
    expect(page.locator("#owner-nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    expect(page.locator("#owner-nik-check")).to_contain_text("Perempuan")
    page.locator("#full_name").fill("Siti Rahayu")
    page.locator("#phone").fill("0813 1111 2222")
    page.get_by_role("button", name="Lanjut").tap()


def add_worker_by_hand(page: Page, worker: dict):
    page.locator("#add-nik").fill(worker["nik"])
    expect(page.locator("#worker-nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    page.locator("#add-full_name").fill(worker["full_name"])
    page.locator("#add-wage").fill(worker["wage"])
    page.locator("#add-job").fill(worker["job"])
    page.locator("#add-worker-button").tap()


def list_three_workers(page: Page, folder: Path, on_row_error=lambda: None):
    """From Welcome to the programs step: business and owner filled in, one worker typed in and two from a
    spreadsheet, row 3's wrong wage fixed (on_row_error runs while the error shows)."""
    page.locator("#start-business").tap()
    on_screen(page, "Persetujuan data pribadi")
    page.get_by_role("button", name="Saya setuju").tap()
    on_screen(page, "Data usaha")
    fill_business_step(page)
    on_screen(page, "Pemilik usaha")
    fill_owner_step(page)
    on_screen(page, "Daftar pekerja")
    add_worker_by_hand(page, WORKERS[0])
    on_screen(page, "Daftar pekerja")
    expect(page.locator("#list-title")).to_contain_text("1 pekerja siap didaftarkan")
    listing = folder / "pekerja.csv"
    listing.write_text("NIK,Nama lengkap,Upah per bulan (Rp),Pekerjaan / jabatan\n"
                       f"{WORKERS[1]['nik']},{WORKERS[1]['full_name']},3000000,{WORKERS[1]['job']}\n"
                       f"{WORKERS[2]['nik']},{WORKERS[2]['full_name']},dua juta,{WORKERS[2]['job']}\n")
    page.locator("#file").set_input_files(str(listing))
    page.locator("#upload-button").tap()
    on_screen(page, "Daftar pekerja")
    expect(page.locator("#error-summary")).to_contain_text("Baris 3: Tulis upah dengan angka saja")
    on_row_error()
    fix = page.locator("form.worker-fix", has_text="Baris 3")
    fix.locator("input[name=wage]").fill("2.200.000")
    fix.get_by_role("button", name="Simpan baris ini").tap()
    on_screen(page, "Daftar pekerja")
    expect(page.locator("#list-title")).to_contain_text("3 pekerja siap didaftarkan")
    expect(page.locator("#error-summary")).to_have_count(0)
    page.locator("#workers-next").tap()
    on_screen(page, "Program dan iuran")


def test_owner_registers_three_workers_prints_and_each_qr_opens_its_page(page: Page, live_server, server_url,
                                                                        tmp_path):
    page.add_init_script("window.__prints = 0; window.print = () => { window.__prints += 1; };")
    page.goto(server_url + "/")
    list_three_workers(page, tmp_path)
    quote = page.locator("#business-quote")
    expect(quote).to_contain_text("Pilih skala usaha dan tingkat risiko")
    swapped(page, "#business-quote", lambda: page.locator("#risk_group label.choice", has_text="Rendah").first.tap())
    expect(quote).to_contain_text("JHT (hari tua)")
    expect(quote.locator("#employer-total")).to_contain_text("Rp")
    expect(quote.locator(".worker-quotes tbody tr")).to_have_count(3)
    kecil_employer = quote.locator("#employer-total").inner_text()
    swapped(page, "#business-quote", lambda: page.locator("#scale label.choice", has_text="Menengah").tap())
    expect(quote).to_contain_text("JP (pensiun)")
    assert quote.locator("#employer-total").inner_text() != kecil_employer
    swapped(page, "#business-quote", lambda: page.locator("#scale label.choice", has_text="Kecil").tap())
    page.get_by_role("button", name="Lanjut").tap()

    on_screen(page, "Periksa kembali")
    expect(page.locator("#screen")).to_contain_text("Toko Maju Jaya")
    expect(page.locator("#screen")).to_contain_text("3 pekerja")
    page.get_by_role("button", name="Kirim pendaftaran").tap()

    expect(page.locator("#receipt-code")).to_have_text(BUSINESS_CODE, timeout=TIMEOUT)
    settled(page)
    assert page.url == server_url + "/usaha/tanda-terima"
    slips = page.locator("article.worker-slip")
    expect(slips).to_have_count(3)

    # Printing is one job: one print() call, and under print media the business receipt is followed by
    # each slip starting on its own page.
    page.locator("#print").tap()
    assert page.evaluate("window.__prints") == 1
    page.emulate_media(media="print")
    breaks = slips.evaluate_all("els => els.map(el => getComputedStyle(el).breakBefore)")
    assert breaks == ["page", "page", "page"], breaks
    expect(page.locator("#print")).to_be_hidden()
    pdf = page.pdf()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 4  # the receipt, then one page per slip
    page.emulate_media(media="screen")

    # Every QR decodes to the URL printed under it; each worker's opens that worker's own page.
    codes = workers_by_code(live_server)
    assert len(codes) == 3
    visited = []
    for index in range(3):
        slip = slips.nth(index)
        slip.scroll_into_view_if_needed()
        decoded = decode_qrs(slip.screenshot())
        assert len(decoded) == 1, decoded
        url = decoded[0]
        assert url == slip.locator(".receipt-url").inner_text().strip()
        code = slip.locator(".slip-code").inner_text().strip()
        assert url == f"{server_url}/s/{codes[code]}"
        visited.append((url, code))
    business_qr = decode_qrs(page.locator("article.business-receipt .receipt-qr").screenshot())
    assert business_qr == [f"{server_url}/u/{business_token(live_server)}"]

    for url, code in visited:
        page.goto(url)
        expect(page.locator(".status-now")).to_contain_text("Diterima")
        expect(page.locator("#screen")).to_contain_text(code)
    page.goto(business_qr[0])
    expect(page.locator("h1")).to_contain_text("Status pendaftaran usaha")
    rows = page.locator("table.worker-status tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#screen")).to_contain_text("B*** S***")
    expect(page.locator("#screen")).not_to_contain_text("Budi")


def test_business_pages_are_accessible(axe_context, live_server, server_url, tmp_path):  # noqa: F811
    """axe-core (WCAG 2.2 AA), tap targets and text size on every business screen, normal and with errors."""
    page = axe_context.new_page()
    audit = Audit(page, kiosk_checks=True)
    page.goto(server_url + "/")
    audit.check("welcome (two paths)")
    page.locator("#start-business").tap()
    on_screen(page, "Persetujuan data pribadi")
    audit.check("business consent")
    page.get_by_role("button", name="Saya setuju").tap()
    on_screen(page, "Data usaha")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Data usaha")
    audit.check("business (errors)")
    fill_business_step(page)
    on_screen(page, "Pemilik usaha")
    audit.check("owner")
    fill_owner_step(page)
    on_screen(page, "Daftar pekerja")
    audit.check("workers (empty)")
    listing = tmp_path / "pekerja.csv"
    listing.write_text("NIK,Nama lengkap,Upah per bulan (Rp),Pekerjaan / jabatan\n"
                       f"{WORKERS[0]['nik']},{WORKERS[0]['full_name']},2500000,{WORKERS[0]['job']}\n"
                       f"{WORKERS[0]['nik']},=1+1,dua juta,\n")
    page.locator("#file").set_input_files(str(listing))
    page.locator("#upload-button").tap()
    on_screen(page, "Daftar pekerja")
    audit.check("workers (upload with errors)")
    third = page.locator("form.worker-fix").filter(has=page.locator("h3", has_text=re.compile(r"^Baris 3$")))
    third.get_by_role("button", name="Hapus baris ini").tap()
    on_screen(page, "Daftar pekerja")
    add_worker_by_hand(page, WORKERS[1])
    on_screen(page, "Daftar pekerja")
    audit.check("workers (list)")
    page.locator("#workers-next").tap()
    on_screen(page, "Program dan iuran")
    swapped(page, "#business-quote", lambda: page.locator("#risk_group label.choice", has_text="Sedang").tap())
    audit.check("program (calculator)")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Periksa kembali")
    audit.check("review")
    page.get_by_role("button", name="Kirim pendaftaran").tap()
    expect(page.locator("#receipt-code")).to_have_text(BUSINESS_CODE, timeout=TIMEOUT)
    settled(page)
    audit.check("receipt with slips")
    page.goto(page.locator("#business-url").inner_text().strip())
    audit.check("business status")
    audit.assert_clean()
