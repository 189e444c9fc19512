# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make demo   install, build the demo county (first run only), serve on http://127.0.0.1:8000
#   make test   install (with test tools), lint, type-check and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint check-python system-deps messages cli-docs fuzz

check-python:
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "grassroots needs Python 3.11 or newer (set PY=python3.11)")'

$(BIN)/python: | check-python
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.runtime-installed

demo: $(VENV)/.runtime-installed
	$(BIN)/grassroots demo

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

system-deps:
	bash scripts/system-deps.sh

# Parallel (pytest-xdist, one worker per core); the 15 slowest tests are listed at the end
# (pyproject addopts). docs/testing.md: commands, fixtures, measured times.
TEST_WORKERS ?= auto
test: lint system-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The edit loop: SQLite only, no browser, no PostgreSQL-only or slow tests (docs/testing.md).
test-fast: $(VENV)/.dev-installed
	GRASSROOTS_TEST_DATABASES=sqlite $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup \
		-m "not browser and not postgres_only and not slow"

# UI translations: extract msgids from code and templates, merge into the .po catalogues,
# compile the .mo files (committed; tests/web/test_i18n.py checks they match the .po).
messages: $(VENV)/.dev-installed
	cd src/grassroots && ../../$(BIN)/pybabel -q extract -F locale/babel.cfg --no-location --sort-output -o locale/messages.pot .
	$(BIN)/pybabel -q update -i src/grassroots/locale/messages.pot -d src/grassroots/locale --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d src/grassroots/locale --use-fuzzy

# docs/cli.md from the commands' own help (tests/cli/test_reference.py fails while stale).
cli-docs: $(VENV)/.dev-installed
	$(BIN)/python -m grassroots.cli.reference

# schemathesis against the real app on SQLite and PostgreSQL with many more requests than the
# suite's run (tests/web/test_api_fuzz.py) and a new random seed; prints its figures
# (docs/fuzzing.md). FUZZ_EXAMPLES=20 make fuzz for a shorter run, FUZZ_SEED=N to repeat one.
FUZZ_EXAMPLES ?= 100
FUZZ_SEED ?= random
fuzz: $(VENV)/.dev-installed
	GRASSROOTS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) GRASSROOTS_FUZZ_SEED=$(FUZZ_SEED) \
		$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/web/test_api_fuzz.py
