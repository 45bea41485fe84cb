# Renda: two commands. `make run` serves the demo; `make test` passes every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export RENDA_DATA_DIR ?= $(CURDIR)/var
export PORT ?= 8000

.PHONY: run test lint serve worker install install-dev messages bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run — set up, migrate, load the demo on a new database, serve on http://127.0.0.1:$PORT
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py seed_demo --if-new
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@$(BIN)/python manage.py demo_logins --url "http://127.0.0.1:$(PORT)"
	@exec scripts/serve

## make test — ruff, migrations check, the whole suite on SQLite (and PostgreSQL when
## RENDA_TEST_DATABASE_URL is set), browser tests in the system Chromium.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	RENDA_DATA_DIR=$(CURDIR)/var/test $(BIN)/python manage.py makemigrations --check --dry-run
	RENDA_DATA_DIR=$(CURDIR)/var/test RENDA_ENV=test $(BIN)/pytest -q
	@if [ -n "$$RENDA_TEST_DATABASE_URL" ]; then \
	  echo "== the suite again on PostgreSQL ($$RENDA_TEST_DATABASE_URL) =="; \
	  RENDA_DATA_DIR=$(CURDIR)/var/test DATABASE_URL="$$RENDA_TEST_DATABASE_URL" RENDA_ENV=test \
	    $(BIN)/pytest -q; \
	fi

messages: $(VENV)/.installed-dev
	cd renda && ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-location --no-obsolete
	cd renda && ../$(BIN)/python ../manage.py compilemessages -v 0

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/http_bench.py

clean:
	rm -rf $(VENV) var
