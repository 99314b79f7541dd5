# cpsim — two commands work on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, then check, verify, simulate and report on the shipped procedures
#   make test   set up .venv with test extras, then lint, type-check and run the whole test suite
#   make check  the fast inner loop: lint, type-check and the unit tests (no slow statistical tests)
#   make bench  speed and memory benchmarks (not part of the tests)
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds

.PHONY: demo test check lint types bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "cpsim needs Python 3.11 or newer on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@echo "== The shipped procedures"
	$(BIN)/cpsim list
	@echo
	@echo "== Are they well formed, and is every quotation in its source?"
	$(BIN)/cpsim validate $(if $(wildcard $(SEEDS)),--sources $(SEEDS)) model/procedures/
	@echo
	@echo "== Redcar and Cleveland's two routes in plain English"
	@for f in model/procedures/redcar-*.yaml; do $(BIN)/cpsim show $$f; echo; done
	@echo "== What verification finds in every procedure"
	$(BIN)/cpsim verify model/procedures/ || test $$? -eq 3
	@echo
	@echo "== Simulating the Redcar baseline caseload"
	$(BIN)/cpsim simulate scenarios/redcar-baseline.yaml -o runs/redcar-baseline --force
	@echo
	@echo "== Writing the reports"
	$(BIN)/cpsim report --all -o reports/out/ --force
	@echo
	@echo "Reports written: open $(CURDIR)/reports/out/index.html"

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .

types: $(VENV)/.installed-test
	$(BIN)/mypy

test: lint types
	$(BIN)/python -m pytest

check: lint types
	$(BIN)/python -m pytest -m "not slow" -n 2 --durations=5

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache
