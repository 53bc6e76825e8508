# AX Bridge: `make run` serves the app with the demo world; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements/lock.txt
# Korean fonts and Pango for PDFs; Chromium and poppler for the browser and PDF tests.
RUN_PACKAGES := fonts-nanum libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils redis-server
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
FUZZ_EXAMPLES ?= 40

.PHONY: run worker redis test test-sqlite test-postgres fuzz setup lock upgrade translations messages system-packages-run system-packages-test bench clean

run: setup system-packages-run translations
	$(BIN)/axbridge db upgrade
	$(BIN)/axbridge seed
	$(BIN)/axbridge serve --host 127.0.0.1 --port 5000

test: setup system-packages-test translations redis test-sqlite test-postgres

# The periodic jobs (and, with AXBRIDGE_REDIS_URL, the queue): beside `make run` in another terminal.
worker: setup translations
	$(BIN)/axbridge worker

# Redis for the queue and shared rate limit tests: started here if nothing listens on 6379.
redis:
	@./scripts/start-redis.sh

test-sqlite: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# PostgreSQL is the production database: the same suite runs against it. In CI it must be there.
test-postgres: translations
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(subst +psycopg,,$(POSTGRES_TEST_URL))', connect_timeout=3).close()" 2>/dev/null; then \
	  AXBRIDGE_TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(POSTGRES_TEST_URL)" >&2; exit 1; \
	else echo "** PostgreSQL not reachable at $(POSTGRES_TEST_URL): skipped the PostgreSQL run **"; fi

# Exploration, not a gate: Schemathesis against the API with fresh random cases on each run (the suite
# draws the same ones every time). A failure prints the case; fix it and the suite keeps it fixed.
# AXBRIDGE_TEST_DATABASE_URL=$(POSTGRES_TEST_URL) make fuzz runs it on PostgreSQL.
fuzz: setup translations
	AXBRIDGE_HYPOTHESIS_PROFILE=explore AXBRIDGE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(BIN)/python -m pytest tests/marketplace/api/test_fuzz.py -q $(PYTEST_ARGS)

setup: $(STAMP)

# Installs exactly the locked versions (hashes checked), then the project itself without dependencies.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# requirements/lock.txt pins every package (runtime + test extra) for CPython 3.11 on Linux x86_64 with
# its hashes. After adding or changing a dependency in pyproject.toml: `make lock` (keeps the other pins).
# To move everything to the newest versions pyproject.toml allows: `make upgrade`. Then `make test`.
LOCK_ARGS ?=
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes $(LOCK_ARGS) \
	  --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	  --custom-compile-command "make lock" --output-file $(LOCK)
	$(MAKE) setup

upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

translations: setup
	$(BIN)/pybabel compile --statistics -d marketplace/translations 2>&1 | grep -v "^compiling" || true

# Developers: after adding strings, refresh the catalogues, then translate the new entries.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations -w 100 --no-fuzzy-matching

system-packages-run:
	@PACKAGES="$(RUN_PACKAGES)" ./scripts/system-packages.sh

system-packages-test:
	@PACKAGES="$(TEST_PACKAGES)" ./scripts/system-packages.sh

bench: setup
	$(BIN)/python benchmarks/matching_public.py
	$(BIN)/python benchmarks/matching_quality.py
	$(BIN)/python benchmarks/matching_speed.py --quick
	$(BIN)/python benchmarks/contracts_render.py

clean:
	rm -rf $(VENV) instance .pytest_cache
