# Two commands on a fresh machine (Python 3.11+, git, make):
#   make site   build the site from raw_reports/ into site/
#   make test   run the tests
#   make bench  measure a build of generated corpora (benchmarks/run.py; SIZES=200 for a quick run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve clean assets bench

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# The partial plotly.js bundle comes from npm when npm is on the machine; without
# npm the build falls back to the full bundle that ships inside the plotly wheel.
assets:
	@if command -v npm >/dev/null 2>&1; then \
		[ -f node_modules/plotly.js-basic-dist-min/plotly-basic.min.js ] || npm install --no-audit --no-fund --silent; \
	else echo "npm not found: serving the full plotly.js bundle from the plotly wheel"; fi

# STRICT=--strict makes unreadable files and failed error-level checks fail the build.
site: $(STAMP) assets
	$(BIN)/gxsite build $(STRICT)

test: $(STAMP) assets
	$(BIN)/python -m pytest

serve: site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

SIZES ?= 1000,10000
bench: $(STAMP) assets
	$(BIN)/python benchmarks/run.py --sizes $(SIZES)

clean:
	rm -rf site content/* .gxsite-cache benchmarks/out
