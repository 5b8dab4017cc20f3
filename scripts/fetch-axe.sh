#!/usr/bin/env bash
# Vendor axe-core (the accessibility rules engine the browser tests inject into each page) from its
# npm release into tests/browser/vendor/axe-core-<version>/, so the tests need no network.
#   scripts/fetch-axe.sh            # the pinned version below
#   AXE_VERSION=4.x.y scripts/fetch-axe.sh
# Then update AXE_VERSION in tests/browser/test_accessibility.py, review the diff and commit.
# axe-core is MPL-2.0: its LICENSE is kept next to the file; it is test tooling, never served.
set -euo pipefail
AXE_VERSION="${AXE_VERSION:-4.14.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "axe-core@${AXE_VERSION}" >/dev/null
tar xzf "axe-core-${AXE_VERSION}.tgz"

dest="$root/tests/browser/vendor/axe-core-${AXE_VERSION}"
rm -rf "$root"/tests/browser/vendor/axe-core-*
mkdir -p "$dest"
cp package/axe.min.js "$dest/axe.min.js"
cp package/LICENSE "$dest/LICENSE"
sha=$(sha256sum "$dest/axe.min.js" | cut -d' ' -f1)
cat > "$dest/README.md" <<TXT
# axe-core ${AXE_VERSION} (test tooling only)

\`axe.min.js\` from the npm release of [axe-core](https://www.npmjs.com/package/axe-core)
(\`npm pack axe-core@${AXE_VERSION}\`, file \`package/axe.min.js\`), © Deque Systems, Inc.,
under the **Mozilla Public License 2.0** (see LICENSE). Unmodified.

SHA-256: \`${sha}\`

Used only by tests/browser/test_accessibility.py, which injects it into each page to check WCAG 2.2 AA
rules; it is never served to kiosks. Refresh with \`scripts/fetch-axe.sh\` (pin the version there and in
the test).
TXT
echo "vendored axe-core ${AXE_VERSION} into ${dest#$root/}"
