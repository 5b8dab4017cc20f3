"""Second opinion for the packages pip-audit could not check.

pip-audit asks PyPI for advisories per pinned version (/pypi/<name>/<version>/json). Where that endpoint
is not served (some mirrors and closed networks), PyPI's project endpoint (/pypi/<name>/json) still is,
and its `vulnerabilities` list is the advisory data (from OSV) for the project's latest release. For every
pin that IS the latest release that list is exactly the advisories for the pinned version, so those pins
are checked for real; pins older than the latest release are reported as not checked.

    python scripts/audit_latest.py NAME==VERSION ...      exit 1: a known vulnerability; 2: some not checked
"""

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

INDEX = "https://pypi.org/pypi/{name}/json"


def project(name: str) -> dict:
    with urllib.request.urlopen(INDEX.format(name=name), timeout=30) as response:
        return json.load(response)


def check(pin: str) -> tuple[str, str, list[str]]:
    """Return (pin, verdict, advisory ids); verdict is 'ok', 'vulnerable' or why it was not checked."""
    name, _, version = pin.partition("==")
    try:
        data = project(name)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return pin, f"not checked: PyPI unreachable ({exc})", []
    latest = data.get("info", {}).get("version")
    if latest != version:
        return pin, f"not checked: PyPI's advisory data here covers only the latest release {latest}", []
    found = [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]
    ids = [v.get("id", "?") + (f" (fixed in {', '.join(v['fixed_in'])})" if v.get("fixed_in") else "")
           for v in found]
    return pin, "vulnerable" if found else "ok", ids


def main(pins: list[str]) -> int:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(check, pins))
    vulnerable = [r for r in results if r[1] == "vulnerable"]
    unchecked = [r for r in results if r[1].startswith("not checked")]
    for pin, verdict, ids in results:
        print(f"  {pin:40} {verdict}{': ' + '; '.join(ids) if ids else ''}")
    print(f"latest-release check: {len(results) - len(unchecked)} checked, {len(vulnerable)} vulnerable, "
          f"{len(unchecked)} not checked")
    return 1 if vulnerable else 2 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
