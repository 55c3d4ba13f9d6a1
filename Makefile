# Two commands on a fresh clone: `make serve` (set up, then run the server) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup serve test test-all lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

serve: setup
	$(BIN)/kg serve $(ARGS)

lint: setup
	$(BIN)/ruff check kg tests bench

test: setup lint
	$(BIN)/pytest -m "not slow" $(ARGS)

test-all: setup lint
	$(BIN)/pytest $(ARGS)

bench: setup
	$(BIN)/python bench/store_load.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
