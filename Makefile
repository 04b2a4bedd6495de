# zhijiao — two commands on a fresh machine:
#   make run    create .venv, install, serve the demo platform on http://127.0.0.1:8000
#   make test   install what the tests need, then lint, type checks and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system lint typecheck pytest bench clean

# Debian packages: CJK fonts (PDF reports, charts, screenshots), HarfBuzz subsetting (fast PDF fonts),
# poppler (PDF checks in tests) and Chromium (browser tests). Installed once, only what is missing.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing (apt-get)…"; \
	  bash scripts/apt-install.sh --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000
run: install system
	$(BIN)/zhijiao serve --demo --host $(HOST) --port $(PORT)

LINT_PATHS := src tests $(wildcard benchmarks)

lint: install
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

# The integration tests run on SQLite and on a real, throwaway PostgreSQL started for the run.
pytest: install system
	bash scripts/with-postgres.sh $(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
