# jingban — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test workers (pytest-xdist): each has its own test database and world, and runs its share of
# the tests in the suite's order (--dist load). `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 2

.PHONY: install demo test lint typecheck check serve stop messages clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/install.sh
	@PYTHON=$(PYTHON) bash scripts/install.sh
	@touch $(STAMP)

demo: install
	@$(BIN)/jingban i18n compile
	$(BIN)/jingban demo

serve: install
	$(BIN)/jingban serve

stop:
	-$(BIN)/jingban db stop

test: install
	@bash scripts/browser-deps.sh
	@$(BIN)/jingban i18n compile
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# Extract the source strings and merge them into the catalogs (needs GNU gettext).
messages: install
	cd src/jingban && ../../$(BIN)/jingban makemessages -l zh_Hans -l en --no-obsolete --add-location file
	$(BIN)/jingban i18n compile

clean:
	-$(BIN)/jingban db stop
	rm -rf $(VENV) var

# Re-resolve requirements.lock from pyproject.toml with uv (installed in a throw-away venv).
.PHONY: lock
lock:
	@test -x /tmp/uvenv/bin/uv || { $(PYTHON) -m venv /tmp/uvenv && /tmp/uvenv/bin/pip install -q uv; }
	UV_PYTHON_DOWNLOADS=never /tmp/uvenv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements.lock >/dev/null
	@{ printf '%s\n' \
	  '# The fully resolved runtime + dev dependencies of jingban, pinned with hashes.' \
	  '# Generated from pyproject.toml: do not edit by hand. Regenerate with `make lock`, which runs' \
	  '#   UV_PYTHON_DOWNLOADS=never uv pip compile pyproject.toml --extra dev --generate-hashes \' \
	  '#     --python-version 3.11 --no-header -o requirements.lock' \
	  '# scripts/install.sh installs it with `pip install --require-hashes -r requirements.lock`.'; \
	  cat requirements.lock; } > requirements.lock.tmp && mv requirements.lock.tmp requirements.lock
