#!/usr/bin/env bash
# Refresh the third-party files kept in the repository from their npm releases:
#   htmx (BSD-2-Clause)            -> static/vendor/
#   idn-area-data CSVs (ODbL 1.0)  -> data/idn-area-data/
# Versions are pinned here; bump them, run `make vendor`, review the diff, commit.
set -euo pipefail
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
AREA_VERSION="${AREA_VERSION:-4.0.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "htmx.org@${HTMX_VERSION}" "idn-area-data@${AREA_VERSION}" >/dev/null
mkdir htmx area
tar xzf "htmx.org-${HTMX_VERSION}.tgz" -C htmx
tar xzf "idn-area-data-${AREA_VERSION}.tgz" -C area

vendor="$root/static/vendor"
mkdir -p "$vendor"
rm -f "$vendor"/htmx-*.min.js
cp htmx/package/dist/htmx.min.js "$vendor/htmx-${HTMX_VERSION}.min.js"
cp htmx/package/LICENSE "$vendor/htmx.LICENSE"
cat > "$vendor/README.md" <<TXT
# Vendored front-end code

| File | Package | Version | Licence |
|---|---|---|---|
| htmx-${HTMX_VERSION}.min.js | [htmx.org](https://www.npmjs.com/package/htmx.org) (dist/htmx.min.js) | ${HTMX_VERSION} | BSD 2-Clause, see htmx.LICENSE |

Served from our own server so kiosks need no internet beyond it. Refresh with \`make vendor\`.
TXT

data="$root/data/idn-area-data"
mkdir -p "$data"
for f in provinces regencies districts villages; do
  cp "area/package/data/$f.csv" "$data/$f.csv"
done
cp area/package/data/LICENSE.md "$data/LICENSE-ODbL.md"
cat > "$data/README.md" <<TXT
# Indonesian administrative areas (Kemendagri codes)

Source: [idn-area-data](https://github.com/fityannugroho/idn-area-data) ${AREA_VERSION} by Fityan Nugroho
and contributors, from its npm release (\`npm pack idn-area-data@${AREA_VERSION}\`), files \`data/*.csv\`.
Data basis: Kepmendagri 300.2.2-2138/2025.

Files kept: provinces.csv, regencies.csv, districts.csv, villages.csv (all of Indonesia; islands.csv is not used).

Licence: the data is made available under the **Open Database License (ODbL) 1.0**
(LICENSE-ODbL.md). Any rights in individual contents are licensed under the Database Contents License.
Attribution: "Contains Indonesian administrative-area data from idn-area-data, © its contributors, ODbL 1.0."
If you publish a database derived from these files, it must be shared under the ODbL as well.

Loaded into the database with \`flask --app wsgi regions load\` (idempotent). Refresh with \`make vendor\`.
TXT
echo "vendored htmx ${HTMX_VERSION} and idn-area-data ${AREA_VERSION}"
