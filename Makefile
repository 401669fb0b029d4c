# Two commands on a fresh clone: `make run` serves the demo, `make test` checks everything.
# Setting DATABASE_URL (and REDIS_URL) makes both use those servers instead of the embedded defaults.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# requirements*.txt pinned with every package they need and its hashes; `make lock` writes it.
LOCK := requirements.lock
LOCKFLAGS ?=
DATA ?= ../shared/data
# The learned layer of extraction, trained from the annotated data when it is there (see README).
MODEL := var/extraction/attribution.crfsuite
# Claim matching's learned re-ranking, trained from the CheckThat! pairs when they are there.
MATCHING_MODEL := var/matching/ranker.json
# Browser packages (Chart.js for the dashboard), from package-lock.json; served from node_modules as static files.
NODE_INSTALLED := node_modules/.installed
# The browser tests' Chromium (tests/browser/): Debian's packages, installed by `make browser` when missing.
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup browser lock run test lint format migrate demo worker benchmark-extraction benchmark-matching benchmark-dashboard benchmark-desk benchmark-import evaluate-matching clean serve loadtest

# Every package installed, pip and setuptools included, is pinned with its hashes in the lock.
# It stops first if a pin in requirements*.txt is not in the lock (edited without `make lock`).
$(INSTALLED): $(LOCK) requirements.txt requirements-dev.txt
	@awk 'FNR == NR { if (/^[A-Za-z0-9]/) { split($$1, pin, "=="); name = tolower(pin[1]); gsub(/[-_.]+/, "-", name); \
			locked[name "==" pin[2]] = 1 }; next } \
		/^[A-Za-z0-9]/ { split($$1, pin, "=="); name = tolower(pin[1]); sub(/\[.*\]/, "", name); gsub(/[-_.]+/, "-", name); \
			if (!((name "==" pin[2]) in locked)) { print FILENAME ": " $$1 " is not in $(LOCK): run make lock"; stale = 1 } } \
		END { exit stale }' $(LOCK) requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip check
	touch $(INSTALLED)

# After editing requirements*.txt: pins what they name and all it needs, keeping the other pins
# (`make lock LOCKFLAGS=--upgrade` moves them all to the newest releases that fit).
# Not $(INSTALLED): that stops on the very pins being added. The current lock has pip-tools.
lock:
	test -x $(VENV)/bin/pip-compile || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --require-hashes -r $(LOCK); }
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-trusted-host --no-emit-find-links $(LOCKFLAGS) \
		--output-file $(LOCK) requirements-dev.txt

$(MODEL): $(INSTALLED) $(wildcard claims/extraction/*.py)
	@if [ -d "$(DATA)/polnear-train" ]; then \
		$(PY) manage.py train_extraction --data "$(DATA)" --output $@; \
	else \
		echo "No $(DATA)/polnear-train: extraction runs on its rules only, without the learned layer."; \
	fi

$(MATCHING_MODEL): $(INSTALLED) $(wildcard claims/matching/*.py)
	@if [ -d "$(DATA)/claim-matching" ]; then \
		$(PY) manage.py train_matching --data "$(DATA)" --output $@; \
	else \
		echo "No $(DATA)/claim-matching: claim matching ranks by BM25 alone, without the learned re-ranking."; \
	fi

# Only when package-lock.json changed, like the virtualenv: npm ci installs exactly what it locks.
$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Playwright drives the system's Chromium; it never downloads a browser of its own.
$(CHROMIUM) $(CHROMEDRIVER):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver

browser: $(CHROMIUM) $(CHROMEDRIVER)

setup: $(INSTALLED) $(NODE_INSTALLED) $(MODEL) $(MATCHING_MODEL)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: DEBUG off (SECRET_KEY required), static files hashed and compressed, the deploy checks clean,
# then gunicorn's ASGI worker (factcheck/gunicorn.conf.py); it will not start while the database or Redis
# does not answer. Migrations are `make migrate`, run once per release rather than by each process.
serve: setup
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) exec $(VENV)/bin/gunicorn --config factcheck/gunicorn.conf.py

# A background worker for jobs (imports from the admin, fetching articles), on the database DATABASE_URL names;
# run as many as wanted, on any machine. At its start and every half lease it takes back jobs whose worker died.
worker: setup
	exec $(PY) manage.py run_jobs

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint browser
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

benchmark-extraction: setup
	$(PY) benchmarks/extraction_speed.py

evaluate-matching: setup
	$(PY) manage.py evaluate_matching --data "$(DATA)"

benchmark-matching: setup
	$(PY) benchmarks/matching_speed.py --data "$(DATA)"

benchmark-dashboard: setup
	$(PY) benchmarks/dashboard_speed.py

# Whole desk pages through the test client, against their SQL replayed raw (same data set as the dashboard's).
benchmark-desk: setup
	$(PY) benchmarks/desk_speed.py

# Needs DATABASE_URL naming a PostgreSQL server: it makes its own throwaway database there.
benchmark-import: setup
	$(PY) benchmarks/liar_import.py --data "$(DATA)"

# Two `make serve` instances under locust on the benchmark's data set (factcheck_bench, Redis database 3), with
# PostgreSQL restarted and Redis stopped mid-run; LOADTEST_FLAGS=--no-faults leaves the services alone.
LOADTEST_FLAGS ?=
loadtest: setup
	$(PY) benchmarks/loadtest.py $(LOADTEST_FLAGS)

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 staticfiles .pytest_cache .ruff_cache .hypothesis
