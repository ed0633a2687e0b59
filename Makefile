# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench clean test-tools

$(BIN)/dqp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[postgres,duckdb,test]'
	touch $(BIN)/dqp

install: $(BIN)/dqp

# Build the integration project on the embedded DuckDB default, check it, show the verdicts.
demo: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

# The whole suite: lint (ruff, strict mypy) first, then unit, DuckDB and
# PostgreSQL integration (a throwaway server is started unless
# DQP_TEST_POSTGRES_URL is set), and the benchmark smoke run.
test: install lint test-tools
	$(BIN)/pytest

# Headless Chromium (the report's browser test) and promtool, from Debian's packages when missing.
test-tools:
	bash scripts/install_test_tools.sh

lint: install
	$(BIN)/ruff check dqp_runner tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) integration_tests/target integration_tests/dbt_packages integration_tests/*.duckdb
