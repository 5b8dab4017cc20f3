"""The layout holds: every module of the app imports on its own, in a fresh interpreter (an import cycle that
only works in create_app's order fails here). The import contracts (pyproject.toml) are checked by `make lint`."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kiosk

ROOT = Path(__file__).resolve().parent.parent


def app_modules() -> list[str]:
    names = ["kiosk"]
    for info in pkgutil.walk_packages(kiosk.__path__, "kiosk."):
        if not info.name.startswith("kiosk.migrations"):
            names.append(info.name)
    return sorted(names)


def test_the_app_has_its_shared_packages():
    modules = app_modules()
    for package in ("kiosk.web", "kiosk.flow", "kiosk.services"):
        assert package in modules


@pytest.mark.parametrize("module", app_modules())
def test_every_module_imports_alone(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]

