# Two entry points: `make demo` (install, then load every dataset from the local mirror)
# and `make test` (install test tools, then lint, type-check and run the tests).
PYTHON ?= python3
VENV ?= .venv
MIRROR ?= $(or $(BORDERFLOW_MIRROR),../shared/data)
BIN := $(VENV)/bin

.PHONY: demo test bench

demo: $(VENV)/.installed
	$(BIN)/borderflow ingest --mirror $(MIRROR)
	$(BIN)/borderflow sources

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/ingest.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/interdiction.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/outlook.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	touch $@ $(VENV)/.installed
