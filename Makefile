# Two commands on a fresh clone: `make serve` (set up, then run the server) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: setup serve test test-all lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The browser assets of the /sparql query page (YASGUI) and the /graphql playground
# (GraphiQL, React), pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "warning: npm not found: the /sparql and /graphql pages will lack YASGUI and GraphiQL"; fi

# Debian's Chromium, for the headless test of the query page (never a downloaded browser).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "warning: cannot install chromium: the browser test will be skipped"; fi

# Debian's Virtuoso Open Source, the server the remote-store tests run against (tests/virtuoso.py).
/usr/bin/virtuoso-t:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource; \
	elif command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource; \
	else echo "warning: cannot install virtuoso-opensource: the remote-store tests will be skipped"; fi

setup: $(STAMP) $(NODE_STAMP)

serve: setup
	$(BIN)/kg serve $(ARGS)

lint: setup
	$(BIN)/ruff check kg tests bench

test: setup lint /usr/bin/chromium /usr/bin/virtuoso-t
	$(BIN)/pytest -m "not slow" $(ARGS)

test-all: setup lint /usr/bin/chromium /usr/bin/virtuoso-t
	$(BIN)/pytest $(ARGS)

bench: setup
	$(BIN)/python bench/store_load.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts node_modules
