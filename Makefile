# ClimaGuru: `make run` serves the API on an embedded SQLite file; `make test` runs every test.
# Both create .venv and install the project with its dev extra on first use: pip only, no Poetry,
# at the versions poetry.lock pins (as constraints: a dependency not locked yet still installs).
# `make lock` re-resolves poetry.lock after a dependency change and re-exports the hashed
# deploy/requirements.lock.txt (with a pinned Poetry that .ci/poetry installs under var/).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt migrate clean lock

$(STAMP): pyproject.toml poetry.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(PYTHON) .ci/lock-constraints poetry.lock > $(VENV)/constraints.txt
	$(BIN)/pip install --quiet -e '.[dev]' -c $(VENV)/constraints.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/climaguru serve $(ARGS)

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP)
	$(BIN)/climaguru db upgrade

lock:
	.ci/poetry lock
	.ci/poetry export --only main -f requirements.txt -o deploy/requirements.lock.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
