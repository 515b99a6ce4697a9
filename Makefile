# Two entry points: `make run` (set up, build claims.db from the bundled dumps, serve it)
# and `make test` (set up, install Debian's chromium for the browser tests, run pytest).
# Both work on a fresh clone of a Debian/Ubuntu machine: what is missing comes from apt-get.
VENV ?= .venv
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
CHROMIUM := /usr/bin/chromium
PORT ?= 8001

.PHONY: run setup test chromium bench

run: setup
	$(VENV)/bin/claimboard build claims.db
	$(VENV)/bin/claimboard serve claims.db --port $(PORT)

setup: $(VENV)/.installed

# Debian's python3 has no ensurepip (hence no venv) until python3-venv is installed.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || { $(APT_GET) update -q && $(APT_GET) install -y -q python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# The browser tests drive this exact binary (Playwright cannot download its own here);
# they fail, not skip, without it.
chromium:
	@[ -x $(CHROMIUM) ] || { $(APT_GET) update -q && $(APT_GET) install -y -q chromium; }

test: setup chromium
	$(VENV)/bin/python -m pytest

bench: setup
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(VENV)/bin/python benchmarks/run.py
