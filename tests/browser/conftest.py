"""Browser tests: Debian's Chromium (never a downloaded one) driven by pytest-playwright.

The app comes from tests/conftest.py's `live_server` (real HTTP on 127.0.0.1, CSRF on).
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
KIOSK_VIEWPORT = {"width": 1080, "height": 1920}  # the kiosk's portrait touch screen


def pytest_collection_modifyitems(config, items):
    """Skip (loudly) rather than error when the system Chromium is missing."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (make system-deps)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": KIOSK_VIEWPORT, "has_touch": True,
            "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture
def server_url(live_server):
    """The live server's base URL, e.g. http://127.0.0.1:40123 (no trailing slash)."""
    return live_server.config["TEST_BASE_URL"]


@pytest.fixture
def short_idle(live_server):
    """Warn after 2 s and wipe after 4 s idle (rendered into <body data-idle-*> on each full page load,
    so this must be set before the page is opened)."""
    live_server.config.update(IDLE_WARN_SECONDS=2, IDLE_WIPE_SECONDS=4)
    return live_server
