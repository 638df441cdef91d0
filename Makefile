# One task runner for aidtracker. The README's two commands are `make demo` and `make test`;
# both build the environment first, so they work on a fresh checkout.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
# uv from PATH if there is one, else the copy `make venv` installs with pip (which may sit
# in a user site whose bin/ is not on PATH, hence `python3 -m uv`).
UV = $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: help venv demo test lint bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

venv: ## create or update .venv exactly as uv.lock pins it
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
	  || $(PYTHON) -m pip install --quiet uv==$(UV_VERSION) 2>/dev/null \
	  || $(PYTHON) -m pip install --quiet --user --break-system-packages uv==$(UV_VERSION)
	@# the second pip line is for Debian's python3, which refuses system-wide installs (PEP 668)
	$(UV) sync --frozen

demo: venv ## run `aidtracker demo` (the walkthrough the README describes)
	$(BIN)/aidtracker demo

test: venv ## lint, then run the test suite (PostgreSQL too if AIDTRACKER_TEST_PG_URL is set)
	$(BIN)/ruff check aidtracker tests
	scripts/pytest.sh -q

lint: venv ## ruff and strict mypy over the package
	$(BIN)/ruff check aidtracker tests
	$(BIN)/mypy aidtracker

bench: venv ## speed, memory and F1 against the spaCy baseline, and query latency (bench/results.json)
	$(BIN)/python -m bench

clean: ## remove caches and build output (keeps .venv and any aidtracker.db)
	rm -rf .pytest_cache .ruff_cache .mypy_cache build dist test-artifacts *.egg-info
	find aidtracker tests -name __pycache__ -type d -prune -exec rm -rf {} +
