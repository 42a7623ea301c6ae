# Two entry points that work on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint typecheck schemas clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

demo: $(INSTALLED)  ## broker + worker + sample corpus, prints events and alerts, exits when done
	$(VENV)/bin/wirewatch demo --once

test: $(INSTALLED)  ## unit, property and integration tests (starts its own embedded brokers and workers)
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadfile

lint: $(INSTALLED)
	$(VENV)/bin/ruff format --check streams schemas tests
	$(VENV)/bin/ruff check streams schemas tests

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy streams schemas

schemas: $(INSTALLED)
	$(VENV)/bin/wirewatch schemas export

clean:
	rm -rf $(VENV) .wirewatch .pytest_cache .mypy_cache .ruff_cache
