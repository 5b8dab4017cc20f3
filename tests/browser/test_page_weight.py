"""Page weight, measured by the browser itself over the DevTools protocol: the bytes Chromium received
(Network.loadingFinished encodedDataLength, plus the redirect legs before it: compressed bodies and
headers) for each page's first load with an empty cache, and for each htmx step after it.

Budgets: a kiosk page at most 30 KB on first load (htmx, CSS and JS included), an htmx step at most 6 KB,
and no request to any host other than the kiosk server. The measured sizes are printed (pytest -s).
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_kiosk_aids import PHONE_VIEWPORT, enrol_kiosk, keypad_enter
from tests.browser.test_walkin_browser import RECEIPT_CODE, TIMEOUT, on_screen, settled, swapped
from tests.flows import CONTACT, IDENTITY, VALID_NIK

pytestmark = pytest.mark.browser

PAGE_BUDGET = 30 * 1024
STEP_BUDGET = 6 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"


class Meter:
    """Counts what the browser receives through a CDP session on the page."""

    def __init__(self, page: Page, origin: str):
        self.page = page
        self.origin = origin
        self.cdp = page.context.new_cdp_session(page)
        self.urls: dict[str, str] = {}
        self.pending: set[str] = set()
        self.received: list[tuple[str, int]] = []
        self.responses: dict[str, dict] = {}  # url -> response headers (lower-case names)
        self.foreign: list[str] = []
        self.last_event = time.monotonic()
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _request(self, event):
        self.last_event = time.monotonic()
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:", "about:")):
            return
        if event.get("redirectResponse"):  # the 303 of a POST: its bytes count too
            self.received.append((self.urls.get(event["requestId"], url),
                                  event["redirectResponse"]["encodedDataLength"]))
        self.urls[event["requestId"]] = url
        self.pending.add(event["requestId"])
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(url)

    def _response(self, event):
        self.last_event = time.monotonic()
        self.responses[event["response"]["url"]] = {k.lower(): v for k, v in event["response"]["headers"].items()}

    def _finished(self, event):
        self.last_event = time.monotonic()
        if event["requestId"] in self.pending:
            self.pending.discard(event["requestId"])
            self.received.append((self.urls[event["requestId"]], int(event["encodedDataLength"])))

    def _failed(self, event):
        self.last_event = time.monotonic()
        self.pending.discard(event["requestId"])

    def quiet(self, timeout=10.0):
        """Wait until every request has finished and nothing happened for 150 ms."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(50)  # lets Playwright deliver the CDP events
            if not self.pending and time.monotonic() - self.last_event > 0.15:
                return
        open_urls = [self.urls[r] for r in self.pending]
        # Chromium sometimes never reports the end of a favicon fetch (no loadingFinished/Failed event)
        # on a loaded machine; a page is still measured, only the favicon's bytes may be missing.
        if open_urls and all("/static/img/favicon" in url for url in open_urls):
            return
        raise AssertionError(f"requests still open: {open_urls}")

    def measure(self, action, *, cold=False) -> tuple[int, list]:
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.quiet()
        self.received.clear()
        action()
        settled(self.page)
        self.quiet()
        return sum(n for _, n in self.received), list(self.received)


def _path(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_kiosk_pages_and_steps_stay_light(page: Page, live_server, server_url):
    pages: dict[str, int] = {}
    steps: dict[str, int] = {}
    details: dict[str, list] = {}
    meter = Meter(page, server_url)
    enrol_kiosk(page, live_server, server_url)  # as deployed: the receipt prints itself
    page.add_init_script("window.print = function () {};")

    def first_load(name):
        """The current screen opened cold: empty cache, full page load."""
        url = page.url
        total, items = meter.measure(lambda: page.goto(url), cold=True)
        pages[name], details[name] = total, items

    def step(name, action):
        total, items = meter.measure(action)
        steps[name], details["step " + name] = total, items

    page.goto(server_url + "/")
    first_load("welcome")
    step("welcome -> consent", lambda: (page.locator("#start").tap(), on_screen(page, "Persetujuan data pribadi")))
    first_load("consent")
    step("consent -> identity", lambda: (page.locator("#agree").tap(), on_screen(page, "Data diri")))
    first_load("identity")

    def type_nik():
        keypad_enter(page, "#nik", VALID_NIK)
        expect(page.locator("#nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    step("NIK typed on the keypad (16 live checks)", type_nik)
    for field in ("full_name", "birth_place", "mother_name"):
        page.locator(f"#{field}").fill(IDENTITY[field])
    step("identity -> contact", lambda: (page.get_by_role("button", name="Lanjut").tap(),
                                          on_screen(page, "Kontak dan alamat")))
    first_load("contact")
    keypad_enter(page, "#phone", CONTACT["phone"].replace(" ", ""))
    page.locator("#address").fill(CONTACT["address"])
    step("village chosen (region selects)", lambda: swapped(
        page, "#address-regions", lambda: page.locator("#village").select_option(CONTACT["village"])))
    step("contact -> work", lambda: (page.get_by_role("button", name="Lanjut").tap(), on_screen(page, "Pekerjaan")))
    first_load("work")
    page.locator("label.tile", has_text="Tukang becak").tap()
    keypad_enter(page, "#income", "1500000")
    step("work -> program", lambda: (page.get_by_role("button", name="Lanjut").tap(),
                                      on_screen(page, "Program dan iuran")))
    first_load("program")
    step("program choice (quote)", lambda: swapped(
        page, "#quote", lambda: page.locator("label.choice", has_text="JKK + JKM + JHT").tap()))
    page.locator("#period input[value='3']").tap()
    settled(page)
    step("program -> review", lambda: (page.get_by_role("button", name="Lanjut").tap(),
                                        on_screen(page, "Periksa kembali")))
    first_load("review")

    def submit():
        page.get_by_role("button", name="Kirim pendaftaran").tap()
        expect(page.locator("#receipt-code")).to_have_text(RECEIPT_CODE, timeout=TIMEOUT)
    step("review -> receipt", submit)
    first_load("receipt")
    status_path = "/s/" + page.locator(".receipt-url").inner_text().rsplit("/s/", 1)[1]
    step("Selesai -> welcome (full page, cached static)", lambda: (page.locator("#done").tap(),
                                                                   page.wait_for_url(server_url + "/"),
                                                                   expect(page.locator("#start")).to_be_visible()))
    step("welcome -> reprint", lambda: (page.locator("#check-status").tap(),
                                         on_screen(page, "Cek status / cetak ulang")))
    first_load("reprint")
    page.goto(server_url + "/tidak-ada")
    first_load("not found")

    # The status page opened from the receipt's QR on a phone: a fresh browser, nothing cached.
    phone_context = page.context.browser.new_context(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    try:
        phone = phone_context.new_page()
        phone_meter = Meter(phone, server_url)
        total, items = phone_meter.measure(lambda: phone.goto(server_url + status_path), cold=True)
        expect(phone.locator(".status-now")).to_contain_text("Diterima")
        pages["status (phone)"], details["status (phone)"] = total, items
        foreign = meter.foreign + phone_meter.foreign
        responses = {**meter.responses, **phone_meter.responses}
    finally:
        phone_context.close()

    report = ["first loads:"] + [f"  {n:<28} {b:>6} B" for n, b in pages.items()]
    report += ["htmx steps:"] + [f"  {n:<48} {b:>6} B" for n, b in steps.items()]
    print("\n" + "\n".join(report))
    heaviest_page = max(pages, key=pages.get)
    heaviest_step = max(steps, key=steps.get)
    print(f"largest page: {heaviest_page} {pages[heaviest_page]} B; "
          f"largest step: {heaviest_step} {steps[heaviest_step]} B")

    assert not foreign, f"requests to other hosts: {foreign}"
    over = {n: b for n, b in pages.items() if b > PAGE_BUDGET}
    assert not over, f"pages over {PAGE_BUDGET} B: {over}\n" + "\n".join(
        f"{n}: {[(_path(u), b) for u, b in details[n]]}" for n in over)
    over = {n: b for n, b in steps.items() if b > STEP_BUDGET}
    assert not over, f"htmx steps over {STEP_BUDGET} B: {over}\n" + "\n".join(
        f"{n}: {[(_path(u), b) for u, b in details['step ' + n]]}" for n in over)

    # Compressed; pages never cached; static files cached for a year under their content-hash URL.
    for url, headers in responses.items():
        path = urlsplit(url).path
        kind = headers.get("content-type", "")
        if path.startswith("/static/"):
            assert re.search(r"[?&]v=[0-9a-f]{12}$", url), f"static URL without its content hash: {url}"
            assert headers.get("cache-control") == IMMUTABLE, (url, headers.get("cache-control"))
        elif kind.startswith("text/html"):
            assert headers.get("cache-control") == "no-store", (url, headers)
            assert "default-src 'self'" in headers.get("content-security-policy", ""), (url, headers)
        if kind.startswith(("text/html", "text/css", "text/javascript", "image/svg+xml")) \
                and int(headers.get("content-length") or 9999) >= 500:
            assert headers.get("content-encoding") in ("gzip", "br", "zstd", "deflate"), (url, headers)
