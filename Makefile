# Two entry points for a fresh machine (see README): `make demo` (local cluster + the scenario
# suite: Claude Code with ANTHROPIC_API_KEY, else the reference agent) and `make test`.
# Needs Python 3.10+ and Go 1.26+; everything else is installed here, binaries are
# built once and cached in ~/.cache/k8s-skills/<versions>/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test test-fast lint clean-venv

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "error: Python 3.10+ is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed
	$(BIN)/k8s-skills cluster build
	$(BIN)/k8s-skills agent helm-build

demo: setup
	$(BIN)/k8s-skills cluster up
	$(BIN)/k8s-skills eval

# Lint and tests both run (a lint finding does not hide the test results); either failing
# fails the target.
test: setup
	status=0; $(BIN)/ruff check . || status=1; $(BIN)/mypy || status=1; \
	$(BIN)/python -m pytest || status=1; exit $$status

test-fast: $(VENV)/.installed
	status=0; $(BIN)/ruff check . || status=1; $(BIN)/mypy || status=1; \
	$(BIN)/python -m pytest -m "not live" || status=1; exit $$status

# ruff and mypy as configured in pyproject.toml (strict mypy on harness/, agent/ and the
# skill kit, every module)
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

clean-venv:
	rm -rf $(VENV)
