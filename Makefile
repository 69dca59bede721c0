# Two entry points for a fresh machine: `make run` (install, ingest the example repo, serve)
# and `make test` (install, lint, type-check, test). Each does its own install.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SANDBOX_PORT ?= 8900
STAMP := $(VENV)/.installed

.PHONY: install run test unit integration lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# llama-cpp-python builds from source (about 10 minutes on 2 cores the first time, then pip's cache).
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo: the uHub sandbox in the background, the example repo and the sandbox's export
# ingested, the server in the foreground (scripts/run-demo.sh).
run: install
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) scripts/run-demo.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install lint
	$(BIN)/pytest -q

unit: install
	$(BIN)/pytest -q -m unit

integration: install
	$(BIN)/pytest -q -m integration

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/retrieve.py

clean:
	rm -rf $(VENV) .aiops .pytest_cache .mypy_cache .ruff_cache
