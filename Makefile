# StageCoach. A new machine needs two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 3978
STAMP := $(VENV)/.installed
NODE_STAMP := tools/node/node_modules/.installed
# The deployment validators (checkov, check-jsonschema, hadolint, pycep) live in a venv of their own:
# checkov's pins would clash with the bot's.
TOOLS_VENV := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed

.PHONY: run test lint eval chat bench package e2e deps clean kb report check-deploy webapp-zip

# Python: a venv with the pinned dependencies (pyproject.toml, constraints.txt).
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

$(TOOLS_STAMP): tools/validators/requirements.txt tools/validators/constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install -q --upgrade pip
	$(TOOLS_VENV)/bin/python -m pip install -q -c tools/validators/constraints.txt -r tools/validators/requirements.txt
	touch $(TOOLS_STAMP)

# Node tools the tests use (Azurite, the Teams manifest schema, the Adaptive Cards renderer, the
# Agents Playground, the Agents Toolkit's YAML schema), pinned by tools/node/package-lock.json.
$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 20)"; exit 1; }
	npm ci --prefix tools/node --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's Chromium for the card-renderer and end-to-end tests (never a browser download of its own);
# the emoji font makes the summary marks visible in screenshots.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null

deps: $(STAMP) $(NODE_STAMP) $(TOOLS_STAMP) $(CHROMIUM)

run: $(STAMP)
	PORT=$(PORT) $(PY) app.py

# mypy checks the bot, its dialogs, understanding and cards (the tests and tools are not type-checked).
MYPY := $(PY) -m mypy bot dialogs knowledge cards app.py

test: deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MYPY)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MYPY)

eval: $(STAMP)
	$(PY) -m tools.run_eval

# Rebuild knowledge/data/mssp.yaml from the MSSP source table and show what changed:
# `make kb`, or `make kb SOURCE=path/to/new-version.txt` to review a new version of the document.
kb: $(STAMP)
	$(PY) -m tools.kb $(if $(SOURCE),--source "$(SOURCE)")

# Unanswered questions, disliked answers and answer kinds: `make report`, `make report ARGS="--days 7 --json"`.
report: $(STAMP)
	$(PY) -m tools.report $(ARGS)

chat: $(STAMP)
	$(PY) -m tools.chat

package: $(STAMP) $(NODE_STAMP)
	$(PY) tools/build_package.py

# The zip App Service gets (the repository minus .webappignore), for `az webapp deploy` (README, "Deploy").
webapp-zip: $(STAMP)
	$(PY) -m tools.webapp_zip

# Only the deployment checks: lifecycle YAML schema, Bicep parse, checkov, hadolint, the identity paths.
check-deploy: deps
	$(PY) -m pytest -q tests/test_deploy.py tests/test_managed_identity.py

bench: deps
	$(PY) -m bench.run

e2e: deps
	$(PY) -m pytest -q -m e2e tests/e2e

clean:
	rm -rf $(VENV) $(TOOLS_VENV) .pytest_cache appPackage/build artifacts tools/node/node_modules
