"""Accessibility in a real browser: axe-core (WCAG 2.2 AA rules) on every kiosk, status, staff and admin
page; on kiosk pages also tap targets of at least 48x48 px and text of at least 18 px.

axe-core is vendored under tests/browser/vendor/axe-core-<version>/ (MPL-2.0, scripts/fetch-axe.sh), so
these tests need no network. It is injected with add_init_script: init scripts are evaluated by the
DevTools protocol before the page's own scripts and are not subject to the page's Content-Security-Policy,
so the pages are checked with their real, strict CSP on (no bypass_csp needed).
"""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosk.models import Event, Kiosk, KioskEvent
from tests.browser.conftest import KIOSK_VIEWPORT
from tests.browser.test_kiosk_aids import PHONE_VIEWPORT, enrol_kiosk, keypad_type, open_keypad
from tests.browser.test_walkin_browser import (
    RECEIPT_CODE,
    TIMEOUT,
    fill_contact,
    fill_program,
    fill_work,
    on_screen,
    settled,
)
from tests.factories import PASSWORD, make_business, make_staff
from tests.flows import IDENTITY, VALID_NIK, register

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MIN_TARGET = 48  # px, both ways
MIN_TEXT = 18  # px computed font-size on kiosk screens

# Violations, and "incomplete" results (axe could not decide: e.g. an ARIA attribute it deems not well
# supported there) held to the same standard.
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const describe = (v, kind) => ({
    id: v.id, kind: kind, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary
      || n.any.concat(n.all, n.none).map(c => c.message).join(' | ')).split('\\n').slice(0, 3).join(' / '))
  });
  return result.violations.map(v => describe(v, 'violation'))
    .concat(result.incomplete.map(v => describe(v, 'needs review')));
}"""

# Everything a finger can press: links, buttons, selects, text fields; a radio or checkbox counts by its
# label (the label is what takes the tap). Hidden things (closed dialog, hidden keypad) have no box.
SMALL_TARGETS = """(min) => {
  const out = [];
  const sel = 'a[href], button, select, textarea, input:not([type=hidden])';
  for (const el of document.querySelectorAll(sel)) {
    let box = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      box = el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el;
    }
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (getComputedStyle(box).visibility === 'hidden') continue;
    if (r.width < min || r.height < min) {
      const name = (box.innerText || box.value || box.getAttribute('aria-label') || '').trim().slice(0, 40);
      out.push(box.tagName.toLowerCase() + (box.id ? '#' + box.id : '')
               + (box.className ? '.' + String(box.className).split(' ').join('.') : '')
               + ' "' + name + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
  }
  return out;
}"""

# Every rendered run of text (text nodes with a box on screen), with its computed font-size.
SMALL_TEXT = """(min) => {
  const out = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('[hidden], dialog:not([open]), noscript, svg')) continue;
    range.selectNodeContents(node);
    const rects = range.getClientRects();
    if (!rects.length || !Array.from(rects).some(r => r.width > 0 && r.height > 0)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min) {
      out.add(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
              + ' "' + node.data.trim().slice(0, 40) + '" ' + size + 'px');
    }
  }
  return Array.from(out);
}"""


class Audit:
    """Collects problems page by page; the test asserts once at the end so one run lists them all."""

    def __init__(self, page: Page, *, kiosk_checks: bool):
        self.page = page
        self.kiosk_checks = kiosk_checks
        self.pages: list[str] = []
        self.axe: dict[str, list] = {}
        self.targets: dict[str, list] = {}
        self.text: dict[str, list] = {}

    def check(self, name: str):
        settled(self.page)
        self.pages.append(name)
        violations = self.page.evaluate(AXE_RUN, WCAG_22_AA)
        if violations:
            self.axe[name] = violations
        if self.kiosk_checks:
            small = self.page.evaluate(SMALL_TARGETS, MIN_TARGET)
            if small:
                self.targets[name] = small
            tiny = self.page.evaluate(SMALL_TEXT, MIN_TEXT)
            if tiny:
                self.text[name] = tiny

    def report(self) -> str:
        lines = []
        for name, violations in self.axe.items():
            for v in violations:
                lines.append(f"[axe {v['kind']}] {name}: {v['id']} ({v['impact']}) {v['help']}")
                lines.extend(f"        {n}" for n in v["nodes"])
        for name, items in self.targets.items():
            lines.append(f"[tap target < {MIN_TARGET}px] {name}: " + "; ".join(items))
        for name, items in self.text.items():
            lines.append(f"[text < {MIN_TEXT}px] {name}: " + "; ".join(items))
        return "\n".join(lines)

    def assert_clean(self):
        assert not (self.axe or self.targets or self.text), (
            f"{len(self.pages)} pages checked ({', '.join(self.pages)}):\n{self.report()}")


@pytest.fixture
def axe_context(browser, live_server):
    """A kiosk-sized touch context with axe-core injected into every document (CSP stays on)."""
    assert AXE.is_file(), f"{AXE} missing: run scripts/fetch-axe.sh"
    context = browser.new_context(viewport=KIOSK_VIEWPORT, has_touch=True, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    context.add_init_script(path=str(AXE))
    context.add_init_script("window.print = function () {};")  # the enrolled kiosk prints the receipt
    yield context
    context.close()


def test_walk_in_pages(axe_context, live_server, server_url):
    """Every kiosk screen, in its normal and error states, in Bahasa Indonesia and English."""
    page = axe_context.new_page()
    audit = Audit(page, kiosk_checks=True)
    enrol_kiosk(page, live_server, server_url)  # kiosk mode: the on-screen keypad is part of the page

    page.goto(server_url + "/")
    audit.check("welcome")
    page.locator("#check-status").tap()
    on_screen(page, "Cek status / cetak ulang")
    audit.check("reprint")
    page.get_by_role("button", name="Cari").tap()
    on_screen(page, "Cek status / cetak ulang")
    audit.check("reprint (errors)")
    page.goto(server_url + "/")
    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    audit.check("consent")
    page.locator("#agree").tap()
    on_screen(page, "Data diri")
    audit.check("identity")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Data diri")
    audit.check("identity (errors)")

    open_keypad(page, "#nik")
    keypad_type(page, VALID_NIK)
    expect(page.locator("#nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    audit.check("identity (keypad open, NIK read)")
    page.locator("#keypad-done").tap()
    for field in ("full_name", "birth_place", "mother_name"):
        page.locator(f"#{field}").fill(IDENTITY[field])
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Kontak dan alamat")
    audit.check("contact")
    fill_contact(page)
    audit.check("work")
    fill_work(page)
    audit.check("program")
    fill_program(page)
    audit.check("review")
    page.get_by_role("button", name="Kirim pendaftaran").tap()
    expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    settled(page)
    audit.check("receipt")

    page.goto(server_url + "/tidak-ada")
    audit.check("not found")
    page.goto(server_url + "/")
    page.get_by_role("button", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check("welcome (English)")
    page.locator("#start").tap()
    expect(page.locator("#agree")).to_be_visible()
    audit.check("consent (English)")
    audit.assert_clean()


def test_idle_dialog(axe_context, short_idle, server_url):
    page = axe_context.new_page()
    audit = Audit(page, kiosk_checks=True)
    page.goto(server_url + "/")
    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    expect(page.locator("#idle-dialog")).to_be_visible(timeout=4_000)
    audit.check("idle warning")
    audit.assert_clean()


def test_status_pages(axe_context, browser, live_server, server_url):
    """The public status page on the kiosk screen and on a 360x800 phone."""
    live_server.config["WTF_CSRF_ENABLED"] = False
    with live_server.app_context():
        _, token = register(live_server.test_client())
    live_server.config["WTF_CSRF_ENABLED"] = True
    page = axe_context.new_page()
    audit = Audit(page, kiosk_checks=True)
    page.goto(f"{server_url}/s/{token}")
    expect(page.locator(".status-now")).to_contain_text("Diterima")
    audit.check("status (kiosk)")
    audit.assert_clean()

    phone = browser.new_context(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True, locale="id-ID")
    try:
        phone.add_init_script(path=str(AXE))
        page = phone.new_page()
        page.goto(f"{server_url}/s/{token}")
        expect(page.locator(".status-now")).to_contain_text("Diterima")
        audit = Audit(page, kiosk_checks=True)
        audit.check("status (phone)")
        audit.assert_clean()
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    finally:
        phone.close()


def test_staff_and_admin_pages(axe_context, live_server, server_url):
    """The desk (sign-in, scan, status with staff panel, queue, search, audit) and every admin page."""
    live_server.config["WTF_CSRF_ENABLED"] = False
    with live_server.app_context():
        _, token = register(live_server.test_client())
        make_staff("admin", "adi")
        kiosk = Kiosk.create(name="Kios Pasar Wonokromo", place="Pasar Wonokromo", regency_code="35.78",
                             kind="market")
        today = dt.date.today()
        event = Event.create(name="Sosialisasi Jamsos", place="Balai Kota", regency_code="35.78",
                             starts_on=today, ends_on=today + dt.timedelta(days=2))
        KioskEvent.create(kiosk=kiosk, event=event)
        kiosk_id, event_id = kiosk.id, event.id
    business = make_business(live_server, kiosk=kiosk, event=event)
    with live_server.app_context():
        worker_token = business.workers().first().token
    live_server.config["WTF_CSRF_ENABLED"] = True

    page = axe_context.new_page()
    audit = Audit(page, kiosk_checks=False)
    page.goto(f"{server_url}/staff/masuk")
    audit.check("staff sign-in")
    page.get_by_label("Nama pengguna").fill("adi")
    page.get_by_label("Kata sandi").fill("salah-sekali-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("staff sign-in (failed)")
    page.get_by_label("Nama pengguna").fill("adi")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("queue")
    page.locator("#q").fill("Syafi")
    expect(page.locator("#search-results table")).to_be_visible(timeout=TIMEOUT)
    audit.check("queue (search results)")
    page.goto(f"{server_url}/staff/pindai")
    audit.check("scan")
    page.locator("#code").fill("KJ-0000-0000")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("scan (not found)")
    page.goto(f"{server_url}/s/{token}")
    expect(page.get_by_role("heading", name="Panel petugas")).to_be_visible()
    audit.check("status with staff panel")
    page.locator("#reveal").click()
    expect(page.locator("#details")).to_contain_text(VALID_NIK)
    audit.check("status with details revealed")
    page.locator("#action-needs_fix").get_by_role("button").click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit.check("status change (error)")
    page.goto(f"{server_url}/staff/audit")
    audit.check("audit log")
    page.goto(f"{server_url}/staff/usaha")
    audit.check("business queue")
    page.goto(f"{server_url}/staff/usaha/{business.token}")
    audit.check("business staff page")
    page.goto(f"{server_url}/u/{business.token}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("business status with staff panel")
    page.goto(f"{server_url}/s/{worker_token}")
    audit.check("worker status with staff panel")
    for path, name in (("/admin/kios", "admin kiosks"), ("/admin/kios/baru", "admin new kiosk"),
                       (f"/admin/kios/{kiosk_id}", "admin kiosk"), ("/admin/acara", "admin events"),
                       ("/admin/acara/baru", "admin new event"), (f"/admin/acara/{event_id}", "admin event"),
                       ("/admin/akun", "admin accounts"), ("/admin/akun/baru", "admin new account")):
        page.goto(server_url + path)
        audit.check(name)
    page.get_by_role("button", name="Buat akun").click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check("admin new account (errors)")
    page.goto(f"{server_url}/admin/akun")
    page.locator("td a", has_text="adi").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("admin account")
    page.goto(f"{server_url}/admin/kios/{kiosk_id}")
    page.get_by_role("button", name="Buat kode pendaftaran perangkat").click()
    expect(page.locator(".admin-enrol-url")).to_be_visible()
    audit.check("admin kiosk enrolment code")
    audit.assert_clean()
