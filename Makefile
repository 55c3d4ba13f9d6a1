# Two commands on a fresh clone: `make serve` (set up, then run the server) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: setup fonts dictionaries serve test test-all lint docs bench bench-scale clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The browser assets of the /sparql query page (YASGUI) and the /graphql playground
# (GraphiQL, React), pinned by package-lock.json.
# A node_modules that is a link (to another clone's) is left alone: `npm ci` would empty it.
$(NODE_STAMP): package.json package-lock.json
	@if [ -L node_modules ]; then echo "node_modules is a link: left as it is (no npm ci)"; \
	elif command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "warning: npm not found: the /sparql and /graphql pages will lack YASGUI and GraphiQL"; fi

# apt-get install $(1) (options $(3)) as root or through sudo; else warn that $(2).
define apt_install
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(3) $(1); \
	elif command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(3) $(1); \
	else echo "warning: cannot install $(1): $(2)"; fi
endef

# Debian's Chromium, for the headless test of the query page (never a downloaded browser).
/usr/bin/chromium:
	$(call apt_install,chromium,the browser test will be skipped)

# Debian's Virtuoso Open Source, the server the remote-store tests run against (tests/virtuoso.py).
/usr/bin/virtuoso-t:
	$(call apt_install,virtuoso-opensource,the remote-store tests will be skipped,--no-install-recommends)

# Debian's Noto fonts, for names in figures (kg/report/figures.py FONT_FAMILIES): CJK for
# Chinese, Japanese and Korean (56 MB download, 89 MB installed), core for Arabic, Hebrew,
# Devanagari and Thai (12 MB, 42 MB).
FONTS := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
	/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:
	$(call apt_install,fonts-noto-cjk,figures draw Korean and Japanese as boxes,--no-install-recommends)
/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf:
	$(call apt_install,fonts-noto-core,figures draw Arabic and Devanagari as boxes,--no-install-recommends)

fonts: $(FONTS)

# Debian's FreeDict dictionaries (GPL-2.0+, ~0.5 MB together), for what a Spanish, French or
# Italian mark means in English (kg/analysis/foreign_words.py); without them that rule is off.
DICTIONARIES := $(foreach code,spa fra ita,/usr/share/dictd/freedict-$(code)-eng.index)
/usr/share/dictd/freedict-%-eng.index:
	$(call apt_install,dict-freedict-$*-eng,marks in that language are not translated,--no-install-recommends)

dictionaries: $(DICTIONARIES)

setup: $(STAMP) $(NODE_STAMP)

serve: setup fonts dictionaries
	$(BIN)/kg serve $(ARGS)

lint: setup
	$(BIN)/ruff check kg tests bench

# Test processes (pytest-xdist; the tests of one file stay in one process, with its fixtures).
WORKERS ?= 2

# Bytecode first: where PYTHONDONTWRITEBYTECODE is set, each `kg` a test starts would compile
# tmkg's modules again (~0.2 s of CPU each time).
test: setup lint fonts dictionaries /usr/bin/chromium /usr/bin/virtuoso-t
	$(BIN)/python -m compileall -q kg > /dev/null
	$(BIN)/pytest -m "not slow" -n $(WORKERS) --dist loadfile $(ARGS)

test-all: setup lint fonts dictionaries /usr/bin/chromium /usr/bin/virtuoso-t
	$(BIN)/python -m compileall -q kg > /dev/null
	$(BIN)/pytest -n $(WORKERS) --dist loadfile $(ARGS)

# The documentation site (MkDocs, strict): build/site/index.html.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/store_load.py $(ARGS)

# The scale benchmark (issue 19's table): bench/scale.py --sizes 100000 (see docs/performance.md).
bench-scale: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/scale.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts node_modules
