# StageCoach: two commands set up a new machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 3978
STAMP := $(VENV)/.installed

.PHONY: run test lint eval chat bench package e2e clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(PY) app.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

eval: $(STAMP)
	$(PY) tools/run_eval.py

chat: $(STAMP)
	$(PY) -m tools.chat

clean:
	rm -rf $(VENV) .pytest_cache appPackage/build
