# cpsim — two commands work on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, then check, verify, simulate and report on the shipped procedures
#   make test   set up .venv with test extras, then lint, type-check and run the whole test suite
#   make check  the fast inner loop: lint, type-check and the unit tests (no slow statistical tests)
#   make bench  speed and memory benchmarks (not part of the tests)
#   make fuzz   10,000 mutated procedure and scenario files: no traceback, every problem at its line
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds

JS := tools/js
.PHONY: demo test check lint types tools bench fuzz clean

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

# The real programs the tests open cpsim's outputs with: Chromium, Graphviz (operating-system
# packages, installed when missing) and bpmnlint, bpmn-js, mermaid-cli (npm, pinned in tools/js).
$(VENV)/.installed-system: tools/system-packages.sh | $(BIN)/python
	bash tools/system-packages.sh
	touch $@

$(JS)/node_modules/.installed: $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools: $(VENV)/.installed-system $(JS)/node_modules/.installed

demo: $(VENV)/.installed
	@echo "== 1. The shipped procedures (cpsim list)"
	@$(BIN)/cpsim list
	@echo
	@echo "== 2. Are they well formed, and is every quotation in its source? (cpsim validate)"
	@if [ -d "$(SEEDS)" ]; then src="--sources $(SEEDS)"; said="; every quotation is in its source"; \
	  else src=; said="; quotations not checked (no $(SEEDS) folder)"; fi; \
	  out=$$($(BIN)/cpsim validate $$src model/procedures/) || { echo "$$out"; exit 1; }; \
	  echo "$$(echo "$$out" | grep -c ': ok$$') procedure files, all well formed$$said"
	@echo
	@echo "== 3. Redcar and Cleveland's internal route in plain English (cpsim show)"
	@$(BIN)/cpsim show model/procedures/redcar-internal.yaml
	@echo
	@echo "== 4. What verification finds in every procedure (cpsim verify)"
	@$(BIN)/cpsim verify model/procedures/ || test $$? -eq 3
	@echo
	@echo "== 5. Simulating the Redcar baseline caseload (cpsim simulate)"
	@out=$$($(BIN)/cpsim simulate scenarios/redcar-baseline.yaml -o runs/redcar-baseline --force) || { echo "$$out"; exit 1; }; \
	  echo "$$out" | awk '/^Rung deadlines missed:/ {exit} {print}'; \
	  echo "Each rung's deadline, the staff's workload and the $$(echo "$$out" | grep -c '^  - ') assumptions behind these figures are in the report."
	@echo
	@echo "== 6. Writing the reports (cpsim report --all)"
	@out=$$($(BIN)/cpsim report --all -o reports/out/ --force) || { echo "$$out"; exit 1; }; \
	  echo "$$(echo "$$out" | grep -c '^wrote ') reports and an index written to reports/out/: one per procedure and per scenario"
	@echo
	@echo "Open $(CURDIR)/reports/out/index.html to read them; the baseline run is in runs/redcar-baseline/."

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

fuzz: $(VENV)/.installed-test
	CPSIM_FUZZ_EXAMPLES=5000 CPSIM_FUZZ_FRESH=1 $(BIN)/python -m pytest tests/test_inputs_fuzz.py -p no:randomly -x

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .

types: $(VENV)/.installed-test
	$(BIN)/mypy

test: lint types tools
	$(BIN)/python -m pytest

check: lint types tools
	$(BIN)/python -m pytest -m "not slow" -n 2 --durations=5

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache $(JS)/node_modules
