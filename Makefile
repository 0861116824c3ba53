# One command builds the report: `make report`. `make help` lists every target.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The venv is rebuilt when the pinned requirements or the package metadata change.
VENV_STAMP := $(VENV)/.installed
# pip warns about index folders this machine's pip.conf names but lacks; keep the log readable.
PIP_FILTER := { grep -v 'is ignored: it is neither a file nor a directory' || true; }

DATA_DIR ?= data/published
LANGUAGE ?= zh
CUTOFF ?= 2023-07-31
# Each data source gets its own build folder so switching DATA_DIR never mixes results.
BUILD ?= build
REPORTS ?= reports
BUILD_ROOT := $(BUILD)/$(subst /,_,$(patsubst ./%,%,$(DATA_DIR)))-$(LANGUAGE)
STAGING := $(BUILD_ROOT)/reports

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
CHAPTERS := $(patsubst notebooks/%.ipynb,%,$(NOTEBOOKS))
CHAPTER_TARGETS := $(patsubst %,chapter-%,$(CHAPTERS))

## help: list the targets (default)
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /'

$(VENV_STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | $(PIP_FILTER)
	$(PY) -m pip install --quiet -r requirements.txt 2>&1 | $(PIP_FILTER)
	$(PY) -m pip install --quiet --no-deps -e . 2>&1 | $(PIP_FILTER)
	@touch $@

## venv: create .venv with pip from the pinned requirements.txt (done by every target that needs it)
venv: $(VENV_STAMP)

## report: build every chapter (HTML, PDF, figures, tables, statistics.csv) into reports/; DATA_DIR=path to use other data
report: $(CHAPTER_TARGETS)
	$(PY) -m helpers.build publish --staging $(STAGING) --reports $(REPORTS)

# Each chapter decides itself whether to rebuild, from a fingerprint of the inputs declared in
# notebooks/pipeline.yml (content, not file times); `make -j2` builds two at a time.
$(CHAPTER_TARGETS): chapter-%: check-data
	$(PY) -m helpers.build chapter --notebook notebooks/$*.ipynb --staging $(STAGING) \
	    --data-dir $(DATA_DIR) --language $(LANGUAGE) --cutoff $(CUTOFF)

## check-data: validate the input data (all published tables and DATA_DIR) before building
check-data: $(VENV_STAMP)
	$(PY) -m helpers.build check --staging $(STAGING) --data-dir $(DATA_DIR) --cutoff $(CUTOFF)

## sample-data: regenerate the synthetic firm-level sample in data/sample (seeded, byte-identical)
sample-data: $(VENV_STAMP)
	$(PY) -m tools.sample_data data/sample

## test: run the test suite (unit tests, data checks, the end-to-end build test)
test: $(VENV_STAMP)
	$(PY) -m pytest

## lint: check code and notebooks with ruff (format check included)
lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check src tools tests notebooks benchmarks
	$(VENV)/bin/ruff format --check src tools tests notebooks benchmarks

## format: format code and notebooks with ruff
format: $(VENV_STAMP)
	$(VENV)/bin/ruff format src tools tests notebooks benchmarks
	$(VENV)/bin/ruff check --fix src tools tests notebooks benchmarks

## lab: open JupyterLab on notebooks/ with the project's environment
lab: $(VENV_STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

## lock: re-pin requirements.txt from requirements.in and regenerate environment.yml
lock: $(VENV_STAMP)
	$(PY) -m tools.envsync lock

## benchmark: time the build stages and print the figures
benchmark: $(VENV_STAMP)
	$(PY) benchmarks/bench_build.py

## clean: remove build caches (reports/ and .venv stay)
clean:
	rm -rf build

.PHONY: $(CHAPTER_TARGETS) help venv report check-data sample-data test lint format lab lock benchmark clean
