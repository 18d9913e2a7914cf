# Two entry points: `make demo` (install, load every dataset from the local mirror, forecast the
# brief's outlook series, write the brief in English and Spanish into ./brief/) and `make test`
# (install test tools and the system packages the browser and PDF tests need, then lint,
# type-check and run the tests).
PYTHON ?= python3
VENV ?= .venv
MIRROR ?= $(or $(BORDERFLOW_MIRROR),../shared/data)
BIN := $(VENV)/bin

BRIEF ?= brief
# Debian packages: Chromium for the browser tests (never `playwright install`), Pango and fonts
# for WeasyPrint's PDF.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: demo test bench system-deps

demo: $(VENV)/.installed
	@echo "Loading every dataset of $(MIRROR) into the warehouse…"
	$(BIN)/borderflow ingest --mirror $(MIRROR)
	@echo "Forecasting the brief's outlook series (about 30 s)…"
	$(BIN)/borderflow outlook -g cbp_lb_drug -w drug=Fentanyl,Methamphetamine > /dev/null
	$(BIN)/borderflow outlook -g vsrr_us > /dev/null
	@echo "Writing the brief in English and Spanish…"
	$(BIN)/borderflow brief --lang en --lang es --out $(BRIEF)
	@echo "Brief written to $(BRIEF)/: brief-en.html, brief-en.pdf, brief-es.html, brief-es.pdf"

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

test: system-deps $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/ingest.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/interdiction.py --mirror $(MIRROR)
	$(BIN)/python benchmarks/outlook.py
	$(BIN)/python benchmarks/api.py --clients 50 --seconds 20

$(VENV)/bin/python:
	@echo "Creating the virtual environment in $(VENV)/ and updating pip…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	@echo "Installing borderflow and its libraries into $(VENV)/ (pip, about 30 s the first time)…"
	$(BIN)/python -m pip install --quiet -e .
	touch $@
	@echo "Installed. Next: load the mirror $(MIRROR), forecast the outlook series, write the brief."

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	touch $@ $(VENV)/.installed
