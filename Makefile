# Two commands on a fresh clone: `make run` serves the demo, `make test` checks everything.
# Setting DATABASE_URL (and REDIS_URL) makes both use those servers instead of the embedded defaults.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DATA ?= ../shared/data
# The learned layer of extraction, trained from the annotated data when it is there (see README).
MODEL := var/extraction/attribution.crfsuite
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint format migrate demo benchmark-extraction clean

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

$(MODEL): $(INSTALLED) $(wildcard claims/extraction/*.py)
	@if [ -d "$(DATA)/polnear-train" ]; then \
		$(PY) manage.py train_extraction --data "$(DATA)" --output $@; \
	else \
		echo "No $(DATA)/polnear-train: extraction runs on its rules only, without the learned layer."; \
	fi

setup: $(INSTALLED) $(MODEL)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

benchmark-extraction: setup
	$(PY) benchmarks/extraction_speed.py

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles .pytest_cache .ruff_cache .hypothesis
