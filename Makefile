# cpsim — two commands work on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, then validate and summarise every shipped procedure
#   make test   set up .venv with test extras, then lint and run the whole test suite
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds

.PHONY: demo test lint bench docs clean

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
	$(BIN)/cpsim list
	@echo
	$(BIN)/cpsim validate $(if $(wildcard $(SEEDS)),--sources $(SEEDS)) model/procedures/
	@echo
	@for f in model/procedures/redcar-*.yaml; do $(BIN)/cpsim show $$f; echo; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache
