"""The walk-in flow in a real browser (Debian Chromium): htmx steps, live checks, QR, idle wipe, no-JS, English."""

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosk.db import db
from kiosk.models import Draft, Registration
from tests.flows import CONTACT, IDENTITY, VALID_NIK

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
RECEIPT_CODE = re.compile(r"^KJ-[0-9A-Z]{4}-[0-9A-Z]{4}$")
TIMEOUT = 10_000  # ms; htmx round trips on loopback take a few ms, this is only a ceiling


def heading(page: Page, text: str):
    return page.locator("#screen h1", has_text=text)


def settled(page: Page):
    """Wait until htmx is idle. New content is visible a moment (htmx's settle delay) before htmx wires
    its hx-* attributes; input typed in that moment would trigger nothing."""
    # A locator, not wait_for_function: the page's CSP forbids the eval that polling would need.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0, timeout=TIMEOUT)


def on_screen(page: Page, title: str):
    """Wait for the step titled title, swapped in and wired up by htmx (or loaded as a page)."""
    expect(heading(page, title)).to_be_visible(timeout=TIMEOUT)
    settled(page)


def swapped(page: Page, selector: str, action):
    """Run action and wait until htmx has replaced the element at selector with a new one."""
    page.locator(selector).evaluate("el => { el.dataset.stale = '1'; }")
    action()
    page.wait_for_selector(f"{selector}:not([data-stale])", timeout=TIMEOUT)
    settled(page)


def table_count(app, model) -> int:
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return model.select().count()
        finally:
            db.close()


def start_and_agree(page: Page, server_url: str):
    page.goto(server_url + "/")
    expect(page.locator("#start")).to_be_visible()
    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    page.get_by_role("button", name="Saya setuju").tap()
    on_screen(page, "Data diri")


def fill_identity(page: Page, *, type_nik: bool):
    nik = page.locator("#nik")
    expect(page.locator("#birth_day")).to_have_value("")
    if type_nik:  # key by key, as on the touch keyboard: the live check fires while typing
        nik.press_sequentially(VALID_NIK, delay=25)
    else:
        nik.fill(VALID_NIK)
    expect(page.locator("#nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    expect(page.locator("#birth_day")).to_have_value("17")
    expect(page.locator("#birth_month")).to_have_value("8")
    expect(page.locator("#birth_year")).to_have_value("1985")
    expect(page.locator("input[name=sex][value=L]")).to_be_checked()
    page.locator("#full_name").fill(IDENTITY["full_name"])
    page.locator("#birth_place").fill(IDENTITY["birth_place"])
    page.locator("#mother_name").fill(IDENTITY["mother_name"])
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Kontak dan alamat")


def fill_contact(page: Page):
    page.locator("#phone").fill(CONTACT["phone"])
    page.locator("#address").fill(CONTACT["address"])
    # Preselected from where the NIK was issued (Kec. Karang Pilang, Kota Surabaya, Jawa Timur).
    expect(page.locator("#province")).to_have_value("35")
    expect(page.locator("#regency")).to_have_value("35.78")
    expect(page.locator("#district")).to_have_value("35.78.01")
    assert page.locator("#regency option:checked").inner_text() == "Kota Surabaya"
    assert page.locator("#district option:checked").inner_text() == "Karang Pilang"
    swapped(page, "#address-regions", lambda: page.locator("#village").select_option(CONTACT["village"]))
    expect(page.locator("#village")).to_have_value(CONTACT["village"])
    expect(page.locator("#district")).to_have_value("35.78.01")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Pekerjaan")


def fill_work(page: Page):
    page.locator("label.tile", has_text="Tukang becak").tap()
    expect(page.locator("input[name=occupation][value=tukang_becak]")).to_be_checked()
    expect(page.locator("#work_regency")).to_have_value("35.78")  # from the home address
    page.locator("#income").fill("1500000")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Program dan iuran")


def fill_program(page: Page):
    quote = page.locator("#quote")
    swapped(page, "#quote", lambda: page.locator("label.choice", has_text="JKK + JKM + JHT").tap())
    expect(quote).to_contain_text("JHT (hari tua)")
    swapped(page, "#quote", lambda: page.locator("#period label.choice", has_text=re.compile(r"^\s*3\s*$")).tap())
    expect(quote.locator("thead")).to_contain_text("3 bulan")
    expect(quote.locator("tfoot .total")).to_contain_text("Rp")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Periksa kembali")


def test_walk_in_registers_and_qr_opens_status(page: Page, live_server, server_url):
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(server_url + "/")
    page.evaluate("window.__sameDocument = 'welcome'")
    loads.clear()

    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    page.get_by_role("button", name="Saya setuju").tap()
    on_screen(page, "Data diri")
    assert page.evaluate("window.__sameDocument") == "welcome"

    fill_identity(page, type_nik=True)
    fill_contact(page)
    fill_work(page)
    fill_program(page)
    review = page.locator("#screen")
    expect(review).to_contain_text("Syafi'i", ignore_case=True)
    expect(review).to_contain_text("Karang Pilang")
    expect(review).to_contain_text("Tukang becak")
    page.get_by_role("button", name="Kirim pendaftaran").tap()

    code = page.locator("#receipt-code")
    expect(code).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    receipt_code = code.inner_text()
    assert page.url == server_url + "/tanda-terima"
    # Every step from Welcome to the receipt was an htmx swap of #screen: one document throughout.
    assert page.evaluate("window.__sameDocument") == "welcome", "a step reloaded the whole page"
    assert loads == [], f"full page loads during the flow: {loads}"
    expect(page).to_have_title(re.compile(r"^Tanda terima"))

    qr = page.locator(".receipt-qr svg.qr")
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and box["height"] >= 150, f"QR rendered too small: {box}"

    import zxingcpp
    from PIL import Image

    png = page.locator("article.receipt").screenshot()
    found = zxingcpp.read_barcodes(Image.open(BytesIO(png)))
    qrs = [b for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(qrs) == 1, f"expected one QR on the receipt, decoded {[(b.format, b.text) for b in found]}"
    url = qrs[0].text
    assert url.startswith(server_url + "/s/"), url
    assert page.locator(".receipt-url").inner_text().strip() == url

    page.goto(url)
    expect(page.locator(".status-now")).to_contain_text("Diterima")
    expect(page.locator(".status-now strong")).to_be_visible()
    expect(page.locator("#screen")).to_contain_text(receipt_code)


@pytest.mark.parametrize("how", ["double_tap", "parallel_posts"])
def test_double_tap_submit_gives_one_registration(page: Page, live_server, server_url, how):
    """A double tap on Submit (htmx disables the button), and two submissions racing at the server
    (what a double tap does without JavaScript, or before htmx has loaded), both make one registration."""
    start_and_agree(page, server_url)
    fill_identity(page, type_nik=False)
    fill_contact(page)
    fill_work(page)
    fill_program(page)
    if how == "double_tap":
        page.locator("#submit").dblclick()
    else:
        statuses = page.evaluate("""async () => {
            const form = document.querySelector('#screen form[action$="/daftar/kirim"]');
            const send = () => fetch(form.action, {method: 'POST', body: new FormData(form)});
            return (await Promise.all([send(), send()])).map(r => [r.status, new URL(r.url).pathname]);
        }""")
        assert statuses == [[200, "/tanda-terima"], [200, "/tanda-terima"]], statuses
        page.goto(server_url + "/tanda-terima")
    expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    assert table_count(live_server, Registration) == 1


def test_idle_warning_then_wipe(page: Page, short_idle, server_url):
    start_and_agree(page, server_url)
    assert page.evaluate("document.body.dataset.idleWarn") == "2"
    name = "Siti Idle Test"
    page.locator("#full_name").fill(name)
    assert table_count(short_idle, Draft) == 1

    dialog = page.locator("#idle-dialog")
    expect(dialog).to_be_visible(timeout=4_000)
    expect(dialog).to_contain_text("Masih di sana?")
    page.wait_for_url(server_url + "/", timeout=6_000)
    expect(page.locator("#start")).to_be_visible()
    expect(dialog).to_be_hidden()
    assert table_count(short_idle, Draft) == 0

    page.go_back()
    page.wait_for_load_state("load")
    assert name not in page.content()
    for field in page.locator("input").all():
        assert field.input_value() != name
    expect(page.locator("#start")).to_be_visible()  # the old step redirects to Welcome


def test_works_with_javascript_off(new_context, live_server, server_url):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(server_url + "/")
    page.locator("#start").click()
    on_screen(page, "Persetujuan data pribadi")
    page.get_by_role("button", name="Saya setuju").click()
    on_screen(page, "Data diri")

    page.locator("#nik").fill(VALID_NIK)  # no live check: birth date and sex come from the NIK on submit
    page.locator("#full_name").fill(IDENTITY["full_name"])
    page.locator("#birth_place").fill(IDENTITY["birth_place"])
    page.locator("#mother_name").fill(IDENTITY["mother_name"])
    page.get_by_role("button", name="Lanjut").click()
    on_screen(page, "Kontak dan alamat")

    page.locator("#phone").fill(CONTACT["phone"])
    page.locator("#address").fill(CONTACT["address"])
    expect(page.locator("#district")).to_have_value("35.78.01")
    # Pick another district, refresh the dependent selects without JS, then pick a village there.
    other = page.locator("#district option").nth(2).get_attribute("value")
    page.locator("#district").select_option(other)
    page.get_by_role("button", name="Perbarui pilihan wilayah").click()
    expect(page.locator("#district")).to_have_value(other)
    expect(page.locator("#phone")).to_have_value(CONTACT["phone"])  # typed answers survive the refresh
    village = page.locator("#village option").nth(1).get_attribute("value")
    assert village.startswith(other + ".")
    page.locator("#village").select_option(village)
    page.get_by_role("button", name="Lanjut").click()
    on_screen(page, "Pekerjaan")

    page.locator("label.tile", has_text="Tukang becak").click()
    page.locator("#income").fill("1500000")
    page.get_by_role("button", name="Lanjut").click()
    on_screen(page, "Program dan iuran")

    page.locator("label.choice", has_text="JKK + JKM + JHT").click()
    page.locator("#period label.choice", has_text=re.compile(r"^\s*3\s*$")).click()
    expect(page.locator("#quote")).not_to_contain_text("JHT (hari tua)")
    page.get_by_role("button", name="Hitung ulang").click()
    expect(page.locator("#quote")).to_contain_text("JHT (hari tua)")
    expect(page.locator("#quote thead")).to_contain_text("3 bulan")
    page.get_by_role("button", name="Lanjut").click()
    on_screen(page, "Periksa kembali")

    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE)
    assert page.url == server_url + "/tanda-terima"
    assert table_count(live_server, Registration) == 1


EN_STRINGS = ("Persetujuan data pribadi", "Saya setuju", "Tidak setuju", "Daftar")


@pytest.fixture
def english_catalogue():
    """The en translations of EN_STRINGS, with the .mo compiled when it is missing or stale."""
    from babel.messages.pofile import read_po

    po = ROOT / "translations/en/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "compile", "-d",
                        str(ROOT / "translations")], check=True)
    with po.open("rb") as f:
        catalog = read_po(f)
    found = {}
    for msgid in EN_STRINGS:
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            pytest.skip(f"en catalogue has no (non-fuzzy) translation for {msgid!r} yet")
        found[msgid] = message.string
    return found


def test_english_flow_labels(english_catalogue, page: Page, live_server, server_url):
    en = english_catalogue
    page.goto(server_url + "/")
    page.get_by_role("button", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#start")).to_contain_text(en["Daftar"])
    page.locator("#start").tap()
    on_screen(page, en["Persetujuan data pribadi"])
    expect(page.get_by_role("button", name=en["Saya setuju"], exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=en["Tidak setuju"], exact=True)).to_be_visible()
    expect(page.locator("#screen")).not_to_contain_text("Saya setuju")
    # Switching back mid-visit stays on the same step (the language form follows the htmx steps).
    page.get_by_role("button", name="Bahasa Indonesia").tap()
    on_screen(page, "Persetujuan data pribadi")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("button", name="Saya setuju")).to_be_visible()
