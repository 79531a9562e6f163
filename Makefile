# Two commands: `make serve` and `make test`. Both build .venv from python3 alone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-deps serve test lint bench bench-pages bench-servers vendor clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages some tests need (a browser, a SPARQL server); each feature adds its own line.
# Run by .ci/run; on a user's machine the tests that need them skip, saying which is missing.
SYSTEM_PACKAGES :=
SYSTEM_PACKAGES += virtuoso-opensource
SYSTEM_PACKAGES += chromium
SYSTEM_PACKAGES += fonts-noto-cjk  # Japanese glyphs in the browser tests' screenshots

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Serves on Oxigraph (rdflib's engine is too slow for the table queries); prints the URLs.
serve: $(STAMP)
	LLGRAPH_STORE=$${LLGRAPH_STORE:-oxigraph:var/store} $(BIN)/llgraph serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto --dist loadscope

bench: $(STAMP)
	$(BIN)/python -m bench

# Page timings in Chromium (the SPARQL editor's shared link, a data set page): bench/RESULTS.md.
bench-pages: $(STAMP)
	$(BIN)/python -m bench.pages

# Virtuoso 7 beside Oxigraph server at 100k and 1M triples, every named query's time and
# answer compared (needs `make system-deps`): bench/RESULTS.md.
bench-servers: $(STAMP)
	$(BIN)/python -m bench.remote --triples 100000
	$(BIN)/python -m bench.remote --triples 1000000

# Refresh the front-end files in src/llgraph/web/static/vendor/ from npm (needs node and npm;
# serving and testing do not). Packages and pinned versions: scripts/vendor-packages.json.
vendor:
	$(PYTHON) scripts/vendor.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
