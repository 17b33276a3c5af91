# Every target creates .venv on first use, so a fresh clone needs only `make run` / `make test`.
# The venv holds exactly the versions in requirements/dev.txt (hash-checked); `make lock`
# rewrites the lock files from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
# --all-build-deps also locks the build backend (setuptools), so the project itself is built
# with a hash-checked setuptools (--no-build-isolation) instead of whatever is newest that day.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
	--no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)

.PHONY: run test test-fast lint format bench status lock clean i18n

$(STAMP): pyproject.toml $(RUNTIME_LOCK) $(DEV_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

# The whole suite with coverage of the three packages (the floor is in pyproject.toml).
test: lint
	$(BIN)/pytest --cov --cov-report=term:skip-covered

# While working: everything but the end-to-end tests (bot subprocesses), no lint, no coverage.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not e2e" -q

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

status: $(STAMP)
	$(BIN)/kindling status

# Keeps every pin that still satisfies pyproject.toml; `make lock UPGRADE=1` takes the newest.
# The dev lock is constrained by the runtime lock, so both name the same runtime versions.
lock: $(STAMP)
	CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile $(LOCK_FLAGS) --output-file=$(RUNTIME_LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile $(LOCK_FLAGS) --extra=dev --constraint=$(RUNTIME_LOCK) \
		--output-file=$(DEV_LOCK) pyproject.toml

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# Translations: extract every message into the template, merge it into each language's
# catalog (new entries empty, vanished ones marked obsolete for the completeness test to
# catch), then compile the .mo files that ship in the package. docs/translating.md.
I18N_DIR := bot/locales
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k t -k plural:1,2 --no-default-keywords --no-location \
		--add-comments=Translators: --sort-by-file --project=Kindling \
		-o $(I18N_DIR)/kindling.pot . 2>&1 | grep -v "^extracting" || true
	$(BIN)/pybabel update -D kindling -i $(I18N_DIR)/kindling.pot -d $(I18N_DIR) \
		--no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile -D kindling -d $(I18N_DIR) --statistics 2>&1 | grep -v '^compiling' || true
