# Kios Jamsos. Quick start: `make run` (serve the kiosk) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Load test size in `make test`: 50 kiosks x 80 walk-ins = 4,000 registrations per database engine (a few
# minutes each on 2 CPUs). `make bench` runs the full 50 x 200 = 10,000 (LOAD_PER_KIOSK_BENCH).
LOAD_PER_KIOSK ?= 80
LOAD_PER_KIOSK_BENCH ?= 200

.PHONY: run test lint test-sqlite test-postgres audit bench bench-load db translations translations-update vendor screenshots system-deps clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## Compile the translation catalogues (the .mo files are build output, not kept in git).
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations --statistics

## After changing user-visible strings: re-extract and merge into both catalogues, then translate.
translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output \
	    --project "Kios Jamsos" -o translations/messages.pot kiosk templates
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(PY) scripts/sync_source_catalogue.py translations/id/LC_MESSAGES/messages.po

## Create/upgrade the database (SQLite with WAL unless DATABASE_URL says otherwise) and load the region
## data. No demo accounts: a real server's first admin is made with `flask --app wsgi staff create`.
db: $(VENV)/.installed translations
	$(FLASK) init-db
	$(FLASK) regions load

## The demo: database, demo kiosk and demo staff, served locally (receipts point where the kiosk reached it).
run: export KIOSK_DEMO ?= 1
run: db
	$(FLASK) seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## Debian packages the browser tests need (Chromium; fonts for readable screenshots).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo -n"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

test: $(VENV)/.installed-dev translations system-deps lint audit test-sqlite test-postgres

## Lint (ruff: pyflakes, pycodestyle, import order) and the import contracts (pyproject.toml).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check kiosk tests bench scripts wsgi.py gunicorn.conf.py
	$(VENV)/bin/lint-imports --no-cache

## Known vulnerabilities in the pinned requirements (fails on any; loud when the service is unreachable).
audit: $(VENV)/.installed-dev
	PIP_AUDIT=$(VENV)/bin/pip-audit scripts/audit-deps.sh

test-sqlite: $(VENV)/.installed-dev translations
	KIOSK_LOAD_PER_KIOSK=$(LOAD_PER_KIOSK) $(PY) -m pytest

## The same suite against a real PostgreSQL server (each run gets its own fresh database).
test-postgres: $(VENV)/.installed-dev translations
	@url=$$(PYTHON=$(PY) scripts/ensure-postgres.sh) || url=""; \
	if [ -z "$$url" ]; then \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!  PostgreSQL leg SKIPPED: no server reachable and none could be started.   !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	else \
	  echo "PostgreSQL leg against $$url"; \
	  KIOSK_TEST_PG_ADMIN_URL="$$url" KIOSK_LOAD_PER_KIOSK=$(LOAD_PER_KIOSK) $(PY) -m pytest -m "not browser"; \
	fi

## Benchmarks (figures, not pass/fail): writes docs/benchmarks.md. BENCH_SIZES=10000,100000 for a quicker run.
bench: $(VENV)/.installed-dev translations system-deps
	@if ! command -v wrk >/dev/null 2>&1; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo -n"; \
	  $$sudo apt-get install -y -qq wrk || echo "!! wrk not installed: only the Python load generator will run"; \
	fi
	$(PY) bench/suite.py
	$(MAKE) bench-load

## The load test at full size on each engine: 50 kiosks x 200 walk-ins against gunicorn (figures printed).
bench-load: $(VENV)/.installed-dev translations
	KIOSK_LOAD_PER_KIOSK=$(LOAD_PER_KIOSK_BENCH) $(PY) -m pytest -s -q tests/load/test_load.py
	@url=$$(PYTHON=$(PY) scripts/ensure-postgres.sh) || url=""; \
	if [ -z "$$url" ]; then echo "!! PostgreSQL load run SKIPPED: no server reachable and none could be started"; \
	else KIOSK_TEST_PG_ADMIN_URL="$$url" KIOSK_LOAD_PER_KIOSK=$(LOAD_PER_KIOSK_BENCH) $(PY) -m pytest -s -q tests/load/test_load.py; fi

## Refresh vendored htmx, the idn-area-data CSVs and the test suite's axe-core from their npm releases.
vendor:
	scripts/refresh-vendor.sh
	scripts/fetch-axe.sh

## README screenshots of every kiosk step, the keypad, the receipt and the status page (Debian's Chromium).
screenshots: $(VENV)/.installed-dev translations system-deps
	$(PY) scripts/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache
