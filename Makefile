# codex-analytics-contract
#   make         regenerate the generated folders, check the contract, build the docs (the main job)
#   make test    run every test
# Both create .venv and install the pinned dependencies first (python3 and make are all you need).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BASE ?=
VERSION ?=
CHECK_ARGS ?=
# The Python sources ruff lints and formats (pyproject.toml [tool.ruff.format] leaves out the
# generated code and the scenario tables).
PY_SOURCES := generator tests benchmarks python/src docs-src

.PHONY: all venv generate drift check docs test bench bench-spark lint fmt fmt-check lock mermaid clean

all: generate check docs

# The package version lives in _generated/version.py: reinstall (its metadata) when it changes.
$(STAMP): requirements.lock pyproject.toml python/pyproject.toml \
		python/src/codex_analytics_contract/_generated/version.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e python
	@touch $(STAMP)

venv: $(STAMP)

generate: $(STAMP)
	$(PY) -m generator.cli generate

drift: $(STAMP)
	$(PY) -m generator.cli drift

# The gate: lint, immutability, compatibility, version bumps, approved breaks and the drift
# check, against BASE (default: the merge base with origin/main, else main).
check: $(STAMP)
	$(VENV)/bin/codex-contract check --base "$(BASE)" $(CHECK_ARGS)

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet --site-dir site

test: lint
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks.run

# The Spark job on 1 and 2 cores (local mode; needs Java 17): apart from `make bench`, as it
# starts Spark twice and takes minutes.
bench-spark: $(STAMP)
	$(PY) -m benchmarks.spark_bench

lint: $(STAMP)
	$(VENV)/bin/ruff check $(PY_SOURCES)
	$(VENV)/bin/ruff format --check $(PY_SOURCES)
	$(VENV)/bin/mypy generator python/src/codex_analytics_contract

# Rewrite the Python sources in the project's style: ruff format, then ruff's safe fixes.
fmt: $(STAMP)
	$(VENV)/bin/ruff format $(PY_SOURCES)
	$(VENV)/bin/ruff check --fix $(PY_SOURCES)

# The same as a check that changes nothing (fails on a file `make fmt` would rewrite).
fmt-check: $(STAMP)
	$(VENV)/bin/ruff format --check $(PY_SOURCES)
	$(VENV)/bin/ruff check $(PY_SOURCES)

# Re-vendor the site's Mermaid (needs npm and the registry): make mermaid [VERSION=11.17.2]
mermaid: $(STAMP)
	$(PY) -m generator.vendor_mermaid $(VERSION)
	$(PY) -m generator.cli generate

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements-dev.txt
	{ echo "# Full transitive lock of the development environment: pip freeze of requirements-dev.txt."; \
	  echo "# Regenerate with: make lock"; .lock-venv/bin/pip freeze --all | grep -v '^pip=='; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
