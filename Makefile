# One way to run everything. Each target installs what it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SYNAPSE_VENV := .venv-synapse
SYNAPSE_VERSION := 1.163.*

.PHONY: setup system-deps synapse lint format test unit integration demo demo-keep bench bench-scale clean

setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# Debian packages the tests use: Chromium (the real Element Web check) and Grammalecte (French).
# Installed when missing and root (as on CI); otherwise the tests that need them say why they skip.
SYSTEM_PACKAGES := chromium grammalecte-cli python3-grammalecte
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing $$missing"; \
			apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
		else \
			echo "not installed (tests needing them will skip): $$missing"; \
		fi; \
	fi

# A throwaway Synapse for tests and the demo, in its own venv.
synapse: $(SYNAPSE_VENV)/.installed
$(SYNAPSE_VENV)/.installed:
	$(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/python -m pip install -q --upgrade pip
	$(SYNAPSE_VENV)/bin/python -m pip install -q "matrix-synapse==$(SYNAPSE_VERSION)"
	touch $@

lint: setup
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/ruff format --check bot tests bench
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format bot tests bench
	$(VENV)/bin/ruff check --fix bot tests bench

unit: setup
	$(PY) -m pytest tests/unit -q

integration: setup system-deps synapse
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m pytest tests/integration -q

# The test command (CI runs exactly this): lint, then every test.
test: setup system-deps synapse lint
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m pytest -q -p no:cacheprovider

# The main job: a whole cycle against a local Synapse, no account anywhere.
demo: setup synapse
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m bot.demo

demo-keep: setup synapse
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m bot.demo --keep

bench: setup synapse
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m bench

# One bot in 10, 100 and 1,000 circles (about 45 minutes; see bench/README.md).
bench-scale: setup synapse
	SYNAPSE_PYTHON=$(CURDIR)/$(SYNAPSE_VENV)/bin/python $(PY) -m bench.scale --circles 10,100,1000

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) .pytest_cache .mypy_cache .ruff_cache demo-output
