"""Kiosk aids in a real browser, by touch only: the on-screen number keypad, occupation pictograms,
program examples, read-aloud; the walk-in in landscape and in English, reprint, and Back after Selesai.

The keypad opens when a number field (input[data-keypad]) is touched, or focused at all on an enrolled
kiosk; see static/js/kiosk.js. Text fields (names, address) keep the system keyboard: Playwright's fill()
stands in for it.
"""

import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from kiosk.db import db
from kiosk.models import Kiosk, Registration
from kiosk.occupations import OCCUPATIONS
from tests.browser.test_walkin_browser import (
    RECEIPT_CODE,
    TIMEOUT,
    fill_contact,
    fill_identity,
    fill_program,
    fill_work,
    on_screen,
    settled,
    start_and_agree,
    swapped,
    table_count,
)
from tests.flows import CONTACT, IDENTITY, VALID_NIK, register

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHONE_VIEWPORT = {"width": 360, "height": 800}
LANDSCAPE_VIEWPORT = {"width": 1920, "height": 1080}
# Counts window.print() calls instead of opening a print dialog (an enrolled kiosk prints the receipt).
COUNT_PRINTS = "window.__printed = 0; window.print = function () { window.__printed += 1; };"


def enrol_kiosk(page: Page, app, server_url: str):
    """Make this browser an enrolled kiosk (as `make run`'s demo kiosk link does)."""
    code = secrets.token_urlsafe(16)
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            Kiosk.create(name="Kios Uji", place="Kantor Dinas, Surabaya", regency_code="35.78", kind="office",
                         enrol_code=code)
        finally:
            db.close()
    page.goto(f"{server_url}/kiosk/pasang/{code}")
    expect(page.locator("body")).to_have_attribute("data-kiosk", "1")


def open_keypad(page: Page, selector: str):
    page.locator(selector).tap()
    expect(page.locator("#keypad")).to_be_visible()
    expect(page.locator(selector)).to_be_focused()


def keypad_type(page: Page, digits: str):
    for digit in digits:
        page.locator(f'#keypad [data-key="{digit}"]').tap()


def keypad_enter(page: Page, selector: str, digits: str):
    """Touch the field, tap the digits on the keypad, tap Selesai."""
    open_keypad(page, selector)
    keypad_type(page, digits)
    expect(page.locator(selector)).to_have_value(digits)
    page.locator("#keypad-done").tap()
    expect(page.locator("#keypad")).to_be_hidden()


def en_catalogue() -> dict:
    """msgid -> English msgstr (the .mo compiled when missing or stale, as the app reads that)."""
    po = ROOT / "translations/en/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "compile", "-d",
                        str(ROOT / "translations")], check=True)
    with po.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str) and m.string}


def test_walk_in_by_touch_alone_on_the_kiosk(page: Page, live_server, server_url):
    """Portrait kiosk, no keyboard: NIK, birth date, phone and income typed on the on-screen keypad."""
    page.add_init_script(COUNT_PRINTS)
    enrol_kiosk(page, live_server, server_url)
    expect(page.locator(".program-list .example").first).to_contain_text("jatuh dari becak")
    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    page.locator("#agree").tap()
    on_screen(page, "Data diri")

    nik = page.locator("#nik")
    open_keypad(page, "#nik")
    expect(nik).to_have_attribute("inputmode", "none")  # no system keyboard over the keypad
    keypad_type(page, "357")
    expect(page.locator("#nik-check")).to_contain_text("3 dari 16 angka", timeout=TIMEOUT)  # input events fire
    page.locator("#keypad-back").tap()
    expect(nik).to_have_value("35")
    page.locator("#keypad-clear").tap()
    expect(nik).to_have_value("")
    keypad_type(page, VALID_NIK)
    expect(nik).to_be_focused()  # the keys never took the focus
    expect(page.locator("#nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    expect(page.locator("#birth_day")).to_have_value("17")
    page.locator("#keypad-done").tap()
    expect(page.locator("#keypad")).to_be_hidden()
    expect(nik).to_have_attribute("inputmode", "numeric")
    # Correct the birth day on the keypad too (it then differs from the NIK: kept and flagged for staff).
    open_keypad(page, "#birth_day")
    page.locator("#keypad-clear").tap()
    keypad_type(page, "18")
    page.locator("#keypad-done").tap()
    for field in ("full_name", "birth_place", "mother_name"):
        page.locator(f"#{field}").fill(IDENTITY[field])
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Kontak dan alamat")

    keypad_enter(page, "#phone", CONTACT["phone"].replace(" ", ""))
    page.locator("#address").fill(CONTACT["address"])
    swapped(page, "#address-regions", lambda: page.locator("#village").select_option(CONTACT["village"]))
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Pekerjaan")

    # One pictogram per occupation, drawn from the page's sprite, hidden from screen readers, word beside it.
    tiles = page.locator("label.tile")
    expect(tiles).to_have_count(len(OCCUPATIONS))
    for occupation, tile in zip(OCCUPATIONS, tiles.all()):
        icon = tile.locator("svg.tile-icon")
        expect(icon).to_have_attribute("aria-hidden", "true")
        expect(icon.locator("use")).to_have_attribute("href", f"#icon-{occupation.icon}")
        expect(page.locator(f"svg.sprite symbol#icon-{occupation.icon} > *").first).to_be_attached()
        box = icon.bounding_box()
        assert box and box["width"] >= 40 and box["height"] >= 40, (occupation.code, box)
        expect(tile).to_contain_text(str(occupation.label))
    page.locator("label.tile", has_text="Tukang becak").tap()
    keypad_enter(page, "#income", "1500000")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Program dan iuran")
    expect(page.locator(".explainer .example")).to_have_count(3)
    fill_program(page)
    expect(page.locator("#screen")).to_contain_text("18 Agustus 1985")
    page.get_by_role("button", name="Kirim pendaftaran").tap()
    expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    page.wait_for_timeout(500)  # the enrolled kiosk prints the receipt by itself, 300 ms after it shows
    assert page.evaluate("window.__printed") == 1
    assert table_count(live_server, Registration) == 1


@pytest.fixture
def landscape_page(browser):
    context = browser.new_context(viewport=LANDSCAPE_VIEWPORT, has_touch=True, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    yield context.new_page()
    context.close()


def test_walk_in_in_english_on_a_landscape_screen(landscape_page, live_server, server_url):
    """1920x1080 landscape touch screen, English throughout; the keypad opens on touch (not enrolled)."""
    en = en_catalogue()
    page = landscape_page
    next_button = page.locator("#screen .actions button[type=submit]")

    def english_screen(msgid):
        on_screen(page, en[msgid])
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.evaluate("document.documentElement.scrollWidth") <= LANDSCAPE_VIEWPORT["width"]

    page.goto(server_url + "/")
    page.get_by_role("button", name="English").tap()
    english_screen("Daftar BPJS Ketenagakerjaan di sini")
    expect(page.locator(".program-list .example").first).to_have_text(
        en["Contoh: jatuh dari becak saat bekerja, biaya rumah sakit ditanggung."])
    # Landscape: the two big buttons side by side.
    start, check = page.locator("#start").bounding_box(), page.locator("#check-status").bounding_box()
    assert abs(start["y"] - check["y"]) < 2 and check["x"] > start["x"] + start["width"]
    page.locator("#start").tap()
    english_screen("Persetujuan data pribadi")
    page.locator("#agree").tap()
    english_screen("Data diri")

    keypad_enter(page, "#nik", VALID_NIK)
    expect(page.locator("#nik-check")).to_contain_text(en["NIK terbaca."], timeout=TIMEOUT)
    expect(page.locator("#birth_year")).to_have_value("1985")
    for field in ("full_name", "birth_place", "mother_name"):
        page.locator(f"#{field}").fill(IDENTITY[field])
    next_button.tap()
    english_screen("Kontak dan alamat")

    keypad_enter(page, "#phone", CONTACT["phone"].replace(" ", ""))
    page.locator("#address").fill(CONTACT["address"])
    swapped(page, "#address-regions", lambda: page.locator("#village").select_option(CONTACT["village"]))
    next_button.tap()
    english_screen("Pekerjaan")

    page.locator("label.tile", has_text=en["Tukang becak"]).tap()
    keypad_enter(page, "#income", "1500000")
    next_button.tap()
    english_screen("Program dan iuran")

    swapped(page, "#quote", lambda: page.locator("label.choice input[value=jht]").tap())
    swapped(page, "#quote", lambda: page.locator("#period input[value='3']").tap())
    expect(page.locator("#quote")).to_contain_text(en["JHT (hari tua)"])
    next_button.tap()
    english_screen("Periksa kembali")
    expect(page.locator("#screen")).to_contain_text(en["Tukang becak"])
    page.locator("#submit").tap()
    expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    english_screen("Pendaftaran terkirim")
    expect(page.locator(".receipt-steps")).to_contain_text(en["Petugas memeriksa data Anda."])
    assert table_count(live_server, Registration) == 1


def test_reprint_by_touch(page: Page, live_server, server_url):
    """Cek status / cetak ulang: NIK on the keypad + mother's maiden name gives the same receipt again."""
    live_server.config["WTF_CSRF_ENABLED"] = False  # the registration itself goes through the test client
    with live_server.app_context():
        receipt, _ = register(live_server.test_client())
    live_server.config["WTF_CSRF_ENABLED"] = True
    code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.data.decode()).group(0)

    page.goto(server_url + "/")
    page.locator("#check-status").tap()
    on_screen(page, "Cek status / cetak ulang")
    keypad_enter(page, "#nik", VALID_NIK)
    page.locator("#mother_name").fill("Siti Salah")
    page.get_by_role("button", name="Cari").tap()
    on_screen(page, "Cek status / cetak ulang")
    expect(page.locator("#screen .error-summary")).to_contain_text("Data tidak cocok")

    expect(page.locator("#nik")).to_have_value(VALID_NIK)  # kept: only the name needs retyping
    page.locator("#mother_name").fill(IDENTITY["mother_name"])
    page.get_by_role("button", name="Cari").tap()
    on_screen(page, "Cetak ulang tanda terima")
    expect(page.locator("#receipt-code")).to_have_text(code)
    expect(page.locator(".receipt-qr svg.qr")).to_be_visible()

    page.locator("#done").tap()
    page.wait_for_url(server_url + "/")
    expect(page.locator("#start")).to_be_visible()
    page.go_back()
    page.wait_for_load_state("load")
    assert code not in page.content()
    expect(page.locator("#start")).to_be_visible()


def test_back_after_selesai_shows_nothing(page: Page, live_server, server_url):
    """After Selesai, going Back through every step of the visit shows Welcome, never an answer."""
    start_and_agree(page, server_url)
    fill_identity(page, type_nik=False)
    fill_contact(page)
    fill_work(page)
    fill_program(page)
    page.get_by_role("button", name="Kirim pendaftaran").tap()
    code = page.locator("#receipt-code")
    expect(code).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    receipt_code = code.inner_text()
    page.locator("#done").tap()
    page.wait_for_url(server_url + "/")

    secrets_on_screen = (VALID_NIK, IDENTITY["full_name"].upper(), "Syafi", IDENTITY["mother_name"],
                         "3456", CONTACT["address"], receipt_code, "Karang Pilang")
    steps_back = 0
    while page.go_back(wait_until="load") is not None and steps_back < 12:
        steps_back += 1
        settled(page)
        html = page.content()
        leaked = [s for s in secrets_on_screen if s.lower() in html.lower()]
        assert not leaked, f"Back x{steps_back} ({page.url}) shows {leaked}"
        expect(page.locator("#start")).to_be_visible()
        for field in page.locator("input:not([type=hidden])").all():
            assert not field.input_value()
    assert steps_back >= 7, f"expected a history entry per step, went back {steps_back} times"


FAKE_SPEECH = """(voices) => {
  window.__spoken = []; window.__cancelled = 0;
  const fake = {
    getVoices: () => voices,
    speak: (u) => window.__spoken.push({text: u.text, lang: u.lang}),
    cancel: () => { window.__cancelled += 1; },
    addEventListener: () => {},
  };
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.rate = 1; };
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, get: () => fake});
}"""


def fake_voices(page: Page, *langs):
    voices = [{"name": f"Test {lang}", "lang": lang, "default": i == 0, "localService": True,
               "voiceURI": f"test-{lang}"} for i, lang in enumerate(langs)]
    page.add_init_script(f"({FAKE_SPEECH})({json.dumps(voices)})")


def test_read_aloud_is_absent_without_an_indonesian_voice(page: Page, live_server, server_url):
    # Debian's headless Chromium has no voices at all: the toggle never shows.
    page.goto(server_url + "/")
    settled(page)
    page.wait_for_timeout(300)  # voices may be listed a moment after load
    has_id_voice = page.evaluate(
        "speechSynthesis.getVoices().some(v => v.lang.toLowerCase().replace('_', '-').startsWith('id'))")
    if has_id_voice:  # a machine with an Indonesian voice installed offers it
        expect(page.locator("#speak-toggle")).to_be_visible()
    else:
        expect(page.locator("#speak-toggle")).to_be_hidden()
    # An English voice only: hidden on the Indonesian screen, offered once the screen is in English.
    fake_voices(page, "en-US")
    page.reload()
    settled(page)
    expect(page.locator("#speak-toggle")).to_be_hidden()
    page.get_by_role("button", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#speak-toggle")).to_be_visible()


def test_read_aloud_reads_each_screen_with_an_indonesian_voice(page: Page, live_server, server_url):
    fake_voices(page, "en-US", "id-ID")
    page.goto(server_url + "/")
    toggle = page.locator("#speak-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__spoken") == []  # nothing is read until asked
    toggle.tap()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    spoken = page.evaluate("window.__spoken")
    assert spoken and spoken[-1]["lang"] == "id-ID", spoken
    assert spoken[-1]["text"].startswith("Daftar BPJS Ketenagakerjaan di sini. Untuk pedagang"), spoken

    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    spoken = page.evaluate("window.__spoken")
    assert spoken[-1]["text"].startswith("Persetujuan data pribadi. Sebelum mendaftar"), spoken
    toggle.tap()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    count = len(page.evaluate("window.__spoken"))
    page.locator("#agree").tap()
    on_screen(page, "Data diri")
    assert len(page.evaluate("window.__spoken")) == count  # off: silent
