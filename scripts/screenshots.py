"""Take the README screenshots of every kiosk screen with Debian's Chromium.

    .venv/bin/python scripts/screenshots.py docs/screenshots

Starts the app on a throw-away SQLite database (regions of Jawa Timur, a demo kiosk), walks one
registration through the touch screen (1080x1920 portrait, saved at half scale; numbers typed on the
on-screen keypad) with the same helpers as the browser tests, opens the receipt's status page on a
phone (360x800) and Welcome on a landscape screen (1920x1080); then an owner registers a business with three
workers. Writes 01-welcome.png ... 09-status.png, 10-keypad.png, 11-landscape.png and 12-business-workers.png
... 15-business-status.png. `make screenshots` runs it into docs/screenshots.
"""

import argparse
import logging
import os
import re
import secrets
import sys
import tempfile
import threading
from pathlib import Path

from cryptography.fernet import Fernet
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk import create_app, regions  # noqa: E402
from kiosk.cli import migrate_database  # noqa: E402
from kiosk.db import db  # noqa: E402
from kiosk.models import Kiosk  # noqa: E402
from tests.browser.test_business_browser import BUSINESS_CODE, list_three_workers  # noqa: E402

# The same helpers as the browser tests (tests/browser), so pictures and tests walk the same way.
from tests.browser.test_kiosk_aids import (  # noqa: E402
    LANDSCAPE_VIEWPORT,
    PHONE_VIEWPORT,
    keypad_enter,
    keypad_type,
    open_keypad,
)
from tests.browser.test_walkin_browser import on_screen, settled, swapped  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
KIOSK = {"viewport": {"width": 1080, "height": 1920}, "device_scale_factor": 0.5, "has_touch": True}
LANDSCAPE = {"viewport": LANDSCAPE_VIEWPORT, "device_scale_factor": 0.5, "has_touch": True}
PHONE = {"viewport": PHONE_VIEWPORT, "device_scale_factor": 1, "has_touch": True, "is_mobile": True}
MAX_BYTES = 200 * 1024
TIMEOUT = 15_000  # ms

# The same person as tests/factories.py.
NIK = "3578011708850003"
PERSON = {"full_name": "Moh. Syafi'i", "birth_place": "Surabaya", "mother_name": "Siti Aminah",
          "phone": "0812 3456 7890", "address": "Jl. Kebraon Indah 5, RT 02/RW 03",
          "village": "35.78.01.1001", "income": "1500000"}


def build_app(workdir: Path, public_base_url: str | None):
    os.environ["KIOSK_INSTANCE_PATH"] = str(workdir / "instance")
    app = create_app({
        "DATABASE_URL": f"sqlite:///{workdir / 'kiosk.db'}",
        "SECRET_KEY": secrets.token_hex(16), "DATA_KEYS": Fernet.generate_key().decode(),
        "INDEX_KEY": secrets.token_hex(16), "PUBLIC_BASE_URL": public_base_url, "ALLOWED_HOSTS": "127.0.0.1",
        "DEMO": True,
    })
    with app.app_context():
        db.connect(reuse_if_open=True)
        migrate_database()
        regions.load(villages_of="35")
        kiosk = Kiosk.create(name="Kios Demo Dinas Koperasi Jatim", regency_code="35.78", kind="office",
                             place="Kantor Dinas Koperasi dan UKM Jawa Timur, Surabaya",
                             enrol_code=secrets.token_urlsafe(16))
        db.close()
    return app, kiosk.enrol_code


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def blur(page: Page):
    """No focus ring or caret in the picture."""
    page.evaluate("document.activeElement && document.activeElement.blur()")


def walk(page: Page, base: str, enrol_code: str, shot):
    """One registration by touch on the enrolled kiosk, with the helpers the browser tests use."""
    page.goto(f"{base}/kiosk/pasang/{enrol_code}")  # this browser is the demo kiosk
    on_screen(page, "Daftar BPJS Ketenagakerjaan")
    shot("01-welcome")

    page.locator("#start").tap()
    on_screen(page, "Persetujuan data pribadi")
    shot("02-consent")

    page.locator("#agree").tap()
    on_screen(page, "Data diri")
    open_keypad(page, "#nik")  # a kiosk has no keyboard: numbers come from the on-screen keypad
    keypad_type(page, NIK)
    expect(page.locator("#nik-check")).to_contain_text("NIK terbaca", timeout=TIMEOUT)
    settled(page)
    shot("10-keypad", full_page=False)
    page.locator("#keypad-done").tap()
    for field in ("full_name", "birth_place", "mother_name"):
        page.locator(f"#{field}").fill(PERSON[field])
    blur(page)
    shot("03-identity")

    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Kontak dan alamat")
    keypad_enter(page, "#phone", PERSON["phone"].replace(" ", ""))
    page.locator("#address").fill(PERSON["address"])
    page.locator("#village").select_option(PERSON["village"])
    expect(page.locator("#village")).to_have_value(PERSON["village"])
    settled(page)
    blur(page)
    shot("04-contact")

    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Pekerjaan")
    page.locator("label.tile", has_text="Tukang becak").tap()
    keypad_enter(page, "#income", PERSON["income"])
    blur(page)
    shot("05-work")

    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Program dan iuran")
    page.locator("label.choice", has_text="JKK + JKM + JHT").tap()
    settled(page)
    page.locator("#period input[value='3']").check()
    expect(page.locator("#quote thead")).to_contain_text("3 bulan", timeout=TIMEOUT)
    settled(page)
    shot("06-program")

    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Periksa kembali")
    shot("07-review")

    page.get_by_role("button", name="Kirim pendaftaran").tap()
    on_screen(page, "Pendaftaran terkirim")
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"^KJ-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    shot("08-receipt")
    return page.locator(".receipt-url").inner_text().strip()


def walk_business(page: Page, base: str, shot) -> str:
    """An owner registers a small shop and three workers (one typed, two from a spreadsheet, one to fix)."""
    page.goto(f"{base}/")

    def workers_with_an_error():
        blur(page)
        shot("12-business-workers")

    with tempfile.TemporaryDirectory() as tmp:
        list_three_workers(page, Path(tmp), on_row_error=workers_with_an_error)
    swapped(page, "#business-quote",
            lambda: page.locator("#risk_group label.choice", has_text="Rendah").first.tap())
    settled(page)
    shot("13-business-program")
    page.get_by_role("button", name="Lanjut").tap()
    on_screen(page, "Periksa kembali")
    page.get_by_role("button", name="Kirim pendaftaran").tap()
    expect(page.locator("#receipt-code")).to_have_text(BUSINESS_CODE, timeout=TIMEOUT)
    settled(page)
    shot("14-business-receipt")
    return page.locator("#business-url").inner_text().strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files (created if missing)")
    parser.add_argument("--public-base-url", default="https://kios-jamsos.example.go.id",
                        help="base URL printed in the receipt QR (default: %(default)s)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
        app, enrol_code = build_app(Path(tmp), args.public_base_url)
        server, base = serve(app)
        written = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                kiosk = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **KIOSK)
                # The enrolled kiosk prints the receipt by itself; there is no printer here.
                kiosk.add_init_script("window.print = function () {};")
                page = kiosk.new_page()

                def shot(name, target=page, full_page=True):
                    path = args.out / f"{name}.png"
                    target.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
                    written.append(path)

                status_url = walk(page, base, enrol_code, shot)
                # The QR holds the public URL; open the same path on this server, on a phone.
                path = "/s/" + status_url.rsplit("/s/", 1)[1]
                phone = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **PHONE).new_page()
                phone.goto(base + path)
                expect(phone.locator(".status-now")).to_contain_text("Diterima")
                shot("09-status", phone)
                # A landscape kiosk screen (1920x1080) shows the same Welcome, wider.
                landscape = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **LANDSCAPE).new_page()
                landscape.goto(base + "/")
                on_screen(landscape, "Daftar BPJS Ketenagakerjaan")
                shot("11-landscape", landscape)
                business_url = walk_business(page, base, shot)
                phone.goto(base + "/u/" + business_url.rsplit("/u/", 1)[1])
                expect(phone.locator("table.worker-status tbody tr")).to_have_count(3)
                shot("15-business-status", phone)
                browser.close()
        finally:
            server.shutdown()
            with app.app_context():
                if not db.is_closed():
                    db.close()

    too_big = False
    for path in written:
        size = path.stat().st_size
        too_big |= size > MAX_BYTES
        print(f"{path}  {size // 1024} KB{'  (over 200 KB!)' if size > MAX_BYTES else ''}")
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
