# Two entry points: `make run` (set up, build claims.db from the bundled dumps, serve it)
# and `make test` (set up, install Debian's chromium for the browser tests, run pytest).
VENV ?= .venv
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8001

.PHONY: run setup test chromium bench

run: setup
	$(VENV)/bin/claimboard build claims.db
	$(VENV)/bin/claimboard serve claims.db --port $(PORT)

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

test: setup chromium
	$(VENV)/bin/python -m pytest

bench: setup
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(VENV)/bin/python benchmarks/run.py
