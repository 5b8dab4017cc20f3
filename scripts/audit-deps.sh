#!/usr/bin/env bash
# Check the pinned requirements against known vulnerabilities (pip-audit, PyPI advisory data).
# Fails when a vulnerability is found. Packages pip-audit cannot check (its per-version PyPI endpoint is not
# served on some networks) get a second check from PyPI's project endpoint, which is exact for pins that are
# the latest release (scripts/audit_latest.py). What neither can check is named in a loud banner.
set -u
PIP_AUDIT="${PIP_AUDIT:-.venv/bin/pip-audit}"
PYTHON="${PYTHON:-.venv/bin/python}"
REQUIREMENTS="${REQUIREMENTS:-requirements.txt}"
out="$("$PIP_AUDIT" -r "$REQUIREMENTS" --disable-pip --no-deps --progress-spinner off 2>&1)"
status=$?
echo "$out" | grep -v "^WARNING:pip_audit._cli:" || true
if [ $status -ne 0 ]; then
  echo "pip-audit: known vulnerabilities in $REQUIREMENTS (or pip-audit failed): see above"
  exit 1
fi
# "could not be audited: NAME (VERSION)" -> NAME==VERSION
skipped=$(echo "$out" | sed -n 's/.*could not be audited: \([^ ]*\) (\([^)]*\)).*/\1==\2/p')
[ -z "$skipped" ] && exit 0
echo "pip-audit could not check $(echo "$skipped" | wc -l) packages; checking them against PyPI's latest-release advisories:"
# shellcheck disable=SC2086
"$PYTHON" scripts/audit_latest.py $skipped
second=$?
if [ $second -eq 1 ]; then
  echo "dependency audit: known vulnerabilities in $REQUIREMENTS: see above"
  exit 1
fi
if [ $second -ne 0 ]; then
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!  DEPENDENCY AUDIT INCOMPLETE: the packages marked 'not checked' above have no advisory   "
  echo "!!  data reachable from this machine for their pinned version.                            "
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
fi
exit 0
