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
# The edition's language, from the command line only (make report LANGUAGE=en): a desktop's
# LANGUAGE=zh_CN:zh in the environment is gettext's setting, not a choice of edition.
ifneq ($(origin LANGUAGE),command line)
LANGUAGE := zh
endif
CUTOFF ?= 2023-07-31
# The previous edition's data folder: adds year-on-year columns and 本期变化 (data/README.md).
PREVIOUS ?=
# One data folder in one language is one edition: staged in $(BUILD)/<edition>/, published to
# $(REPORTS)/<edition>/ (zh, en, sample-zh, sample-en, <folder>-zh, ...; see helpers.workflow.editions).
BUILD ?= build
REPORTS ?= reports
EDITION_ARGS = --build '$(BUILD)' --data-dir '$(DATA_DIR)' --language '$(LANGUAGE)' --cutoff '$(CUTOFF)' --previous '$(PREVIOUS)'

# The chapters, in book order: the top-level keys of notebooks/pipeline.yml (written once there).
CHAPTERS := $(shell sed -n 's/^\([A-Za-z0-9_][A-Za-z0-9_-]*\):.*/\1/p' notebooks/pipeline.yml)
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

# Fast path of a no-op `make report`: one stamp per edition and parameters (DATA_DIR, LANGUAGE,
# CUTOFF, REGIONS, REPORTS), newer than every file the build reads. When no such file's time
# changed, make runs no Python at all; when times changed, the steps' content fingerprints still
# skip what is unchanged, and the stamp is refreshed. Editing tools/ or docs/ touches no input.
# The stamp lists the published files it vouches for; a missing one makes the steps run.
# Names with spaces, quotes or make metacharacters cannot be prerequisites: no fast path then.
STAMP_VALUES := $(abspath $(DATA_DIR))|$(LANGUAGE)|$(CUTOFF)|$(REGIONS)|$(abspath $(REPORTS))|$(PREVIOUS)
STAMP_UNSAFE := $(findstring ',$(STAMP_VALUES)$(BUILD))$(filter-out 1,$(words $(DATA_DIR)) $(words $(BUILD)) $(words $(REPORTS)))
INPUT_FOLDERS := src/helpers data/published data/reference '$(DATA_DIR)'
ifeq ($(STAMP_UNSAFE),)
STAMP_UNSAFE := $(shell find $(INPUT_FOLDERS) -name '*[] :\#%*?[$$\\]*' -print -quit 2>/dev/null)
endif
ifeq ($(STAMP_UNSAFE),)
# A folder's files as the steps' fingerprints list them (helpers.data.digest.folder_files:
# no __pycache__/, no .ipynb_checkpoints/).
BUILD_INPUTS := Makefile requirements.txt pyproject.toml data/firm_schema.yml \
	$(wildcard notebooks/*.ipynb notebooks/pipeline.yml) \
	$(shell find $(INPUT_FOLDERS) -type f ! -path '*/__pycache__/*' ! -path '*/.ipynb_checkpoints/*')
REPORT_STAMP := $(BUILD)/stamps/report-$(shell printf '%s' '$(STAMP_VALUES)' | md5sum | cut -c1-16)
STAMP_MISSING := $(strip $(if $(wildcard $(REPORT_STAMP)),$(foreach f,$(file < $(REPORT_STAMP)),$(if $(wildcard $(f)),,$(f))),none))
endif
# Set by the stamp's recipe only: where publish lists the files the stamp vouches for.
STAMP_LIST ?=

## report: build every chapter of notebooks/pipeline.yml into reports/<edition>/ (zh; LANGUAGE=en -> en; DATA_DIR=data/sample -> sample-zh)
report: $(or $(REPORT_STAMP),report-steps)

ifneq ($(REPORT_STAMP),)
# Its time is when the steps started, so an input edited during the build is newer than it.
# Only the line with $(MAKE) runs under `make -n`: a dry run writes no stamp.
STAMP_PART = $(REPORT_STAMP).$(MAKE_PID)
MAKE_PID := $(shell echo $$PPID)
$(REPORT_STAMP): $(BUILD_INPUTS) $(VENV_STAMP) $(if $(STAMP_MISSING),stamp-missing)
	@mkdir -p '$(@D)'; touch '$(STAMP_PART).started'
	+@$(MAKE) --no-print-directory report-steps STAMP_LIST='$(STAMP_PART).list' \
		|| { rm -f '$(STAMP_PART).started' '$(STAMP_PART).list'; exit 1; }
	@touch -r '$(STAMP_PART).started' '$(STAMP_PART).list'; mv '$(STAMP_PART).list' '$@'; \
		rm -f '$(STAMP_PART).started'
endif

# The steps themselves; each decides from content fingerprints whether it has work to do.
report-steps: book profile-index
	$(PY) -m helpers.workflow publish $(EDITION_ARGS) --reports '$(REPORTS)' $(if $(STAMP_LIST),--stamp-list '$(STAMP_LIST)')

# Every chapter of notebooks/pipeline.yml and every profile of REGIONS, in warm kernels
# (helpers.workflow.batch): one kernel per job of make's -j (or JOBS=N), each reused across
# notebooks, reset before each. Only documents whose inputs' fingerprint changed are run.
JOBS ?=
# Which profiles `make report` builds: all (default), none, or slugs/names ("beijing 江苏").
REGIONS ?= all
DOCUMENT_ARGS = $(EDITION_ARGS) $(if $(JOBS),--jobs '$(JOBS)')
documents: tables
	$(PY) -m helpers.workflow documents $(DOCUMENT_ARGS) --chapters all --regions '$(REGIONS)'

## book: the combined report of the edition (cover, contents, key findings, methods, every chapter) as html/report.html and pdf/report.pdf
book: documents
	$(PY) -m helpers.workflow.book $(EDITION_ARGS)
.PHONY: book

profile-index: documents
	$(PY) -m helpers.workflow.profiles index $(EDITION_ARGS)

## chapter-NAME: one chapter only (e.g. make chapter-03_regions), when its inputs changed
$(CHAPTER_TARGETS): chapter-%: tables
	$(PY) -m helpers.workflow documents $(DOCUMENT_ARGS) --chapters '$*' --regions none

## profiles: the region profile for all 31 provinces and every city with >=150 firms into the edition's profiles/ (REGIONS="beijing jiangsu" or none to choose)
profiles: tables
	$(PY) -m helpers.workflow documents $(DOCUMENT_ARGS) --chapters none --regions '$(REGIONS)'
	$(PY) -m helpers.workflow.profiles index $(EDITION_ARGS)

# One region's profile: make profile-beijing
profile-%: tables
	$(PY) -m helpers.workflow documents $(DOCUMENT_ARGS) --chapters none --regions '$*'

## assess: one firm's screening card against the MIIT tier criteria, FIRM=<firm_id> of a firm-level DATA_DIR, into reports/<edition>/assess/<firm_id>.html|pdf
FIRM ?=
assess: check-data
	$(PY) -m helpers.workflow.cards --firm '$(FIRM)' $(EDITION_ARGS) --reports '$(REPORTS)'
.PHONY: assess

## tables: aggregate a firm-level DATA_DIR into published-shaped tables (cached) and print the folder
tables: check-data
	$(PY) -m helpers.workflow tables --build '$(BUILD)' --data-dir '$(DATA_DIR)' --cutoff '$(CUTOFF)' --previous '$(PREVIOUS)'

## check-data: validate the parameters and the input data (all published tables and DATA_DIR) before building
check-data: $(VENV_STAMP)
	$(PY) -m helpers.workflow check $(EDITION_ARGS)

## index: rewrite reports/index.html from the editions in reports/
index: $(VENV_STAMP)
	$(PY) -m helpers.workflow index --build '$(BUILD)' --reports '$(REPORTS)'

## list-chapters: the chapters in book order (from notebooks/pipeline.yml)
list-chapters:
	@printf '%s\n' $(CHAPTERS)

## sample-data: regenerate the synthetic firm-level sample in data/sample (seeded, byte-identical)
sample-data: $(VENV_STAMP)
	$(PY) -m tools.sample_data data/sample

## test: run the test suite (unit tests, data checks, the end-to-end build test) in two workers
TEST_WORKERS ?= 2
test: $(VENV_STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS)

## lint: ruff on code and notebooks (format check included), the import contracts of pyproject.toml (lint-imports), and the notebooks' size and definitions
lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check src tools tests notebooks benchmarks
	$(VENV)/bin/ruff format --check src tools tests notebooks benchmarks
	$(VENV)/bin/lint-imports --no-logo
	$(PY) -m tools.notebook_measures --check

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

## benchmark: one table: the per-document floor, each chapter, the cold full build, no-op and one-chapter rebuilds, PDF export, the profile fan-out, and the firm-level step at 1x/10x/100x the sample and 10 M patent rows (slow; BENCH_ARGS=--quick for a smoke run)
BENCH_ARGS ?=
benchmark: $(VENV_STAMP)
	$(PY) benchmarks/bench_build.py $(BENCH_ARGS)

## clean: remove build caches and staging (reports/ and .venv stay)
clean:
	rm -rf build

.PHONY: $(CHAPTER_TARGETS) documents profile-index profiles help venv report report-steps stamp-missing tables check-data index list-chapters sample-data test lint format lab lock benchmark clean
