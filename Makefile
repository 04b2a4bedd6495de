# zhijiao — two commands on a fresh machine:
#   make run    create .venv, install, run the main job (the policy package's worked examples)
#   make test   install what the tests need, then lint, type checks and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/zhijiao examples

LINT_PATHS := src tests $(wildcard benchmarks)

lint: install
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/ruff check $(LINT_PATHS)

typecheck: install
	$(BIN)/mypy

# The integration tests run on SQLite and on a real, throwaway PostgreSQL started for the run.
pytest: install
	bash scripts/with-postgres.sh $(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
