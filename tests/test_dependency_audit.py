"""The dependency audit in `make test` fails on a package with known vulnerabilities.

pycrypto 2.6.1 is that package's last release and has published advisories (PYSEC-2017-94 ...), so the audit
of a requirements file pinning it must fail, whichever of its two sources answers on this network.
"""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def pypi_reachable() -> bool:
    try:
        urllib.request.urlopen("https://pypi.org/pypi/pycrypto/json", timeout=15).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def needs_pypi():
    if not (VENV_BIN / "pip-audit").exists():
        pytest.skip("pip-audit is not installed in this environment")
    if not pypi_reachable():
        pytest.skip("PyPI is not reachable from this machine: the audit cannot be exercised")


def audit(tmp_path, lines):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "REQUIREMENTS": str(requirements), "PIP_AUDIT": str(VENV_BIN / "pip-audit"),
           "PYTHON": sys.executable}
    return subprocess.run(["bash", "scripts/audit-deps.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_a_known_vulnerable_pin_fails_the_audit(tmp_path, needs_pypi):
    result = audit(tmp_path, ["flask==3.1.3", "pycrypto==2.6.1"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "PYSEC-2017-94" in result.stdout or "GHSA-6528-wvf6-f6qg" in result.stdout


def test_a_clean_latest_pin_passes(tmp_path, needs_pypi):
    result = audit(tmp_path, ["flask==3.1.3"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "vulnerable" not in result.stdout.replace("0 vulnerable", "")
