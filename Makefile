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

DATA_DIR ?= data/published
# The edition's language, from make's command line only (make report LANGUAGE=en): a desktop's
# LANGUAGE=zh_CN:zh in the environment is gettext's setting, not a choice of edition. Neither
# reaches a recipe or a sub-make as LANGUAGE (the edition's goes as ZJTX_LANGUAGE, and to
# sub-makes in MAKEFLAGS), so no step's messages or bytes follow the desktop's language.
ifneq ($(origin LANGUAGE),command line)
LANGUAGE := zh
endif
unexport LANGUAGE
CUTOFF ?= 2023-07-31
# The previous edition's data folder: adds year-on-year columns and 本期变化 (data/README.md).
PREVIOUS ?=
# One data folder in one language is one edition: staged in $(BUILD)/<edition>/, published to
# $(REPORTS)/<edition>/ (zh, en, sample-zh, sample-en, <folder>-zh, ...; see helpers.workflow.editions).
BUILD ?= build
REPORTS ?= reports
# Kernels at a time (default: make's -j) and which profiles `make report` builds: all (default),
# none, or slugs/names ("beijing 江苏"); the firm of `make assess`.
JOBS ?=
REGIONS ?= all
FIRM ?=
# The date whose MIIT measures judge the firms (chapter 06; YYYY-MM-DD, empty = CUTOFF), and
# `make assess`'s date for one firm's card (empty = ASSESSMENT_DATE): helpers.screening.rulebooks.
ASSESSMENT_DATE ?=
DATE ?=

# The parameters reach the steps in the environment, as ZJTX_DATA_DIR, ZJTX_FIRM, … (read by
# helpers.parameters.add_arguments), never pasted into a recipe or a $(shell …): a folder or a
# firm id holding quotes, backticks or $(…) is only ever data, and no shell reads it. $(value …)
# takes the text as given, unexpanded; a parameter given on the command line is not exported
# under its own name, since make would expand it to do so.
PARAMETERS := DATA_DIR LANGUAGE CUTOFF PREVIOUS REGIONS FIRM BUILD REPORTS JOBS TEST_WORKERS BENCH_ARGS ASSESSMENT_DATE DATE
unexport $(foreach p,$(PARAMETERS),$(if $(filter command line,$(origin $(p))),$(p)))
export ZJTX_DATA_DIR := $(value DATA_DIR)
export ZJTX_LANGUAGE := $(value LANGUAGE)
export ZJTX_CUTOFF := $(value CUTOFF)
export ZJTX_PREVIOUS := $(value PREVIOUS)
export ZJTX_REGIONS := $(value REGIONS)
export ZJTX_FIRM := $(value FIRM)
export ZJTX_ASSESSMENT_DATE := $(value ASSESSMENT_DATE)
export ZJTX_DATE := $(value DATE)
export ZJTX_BUILD := $(value BUILD)
export ZJTX_REPORTS := $(value REPORTS)
export ZJTX_JOBS := $(value JOBS)
export ZJTX_VENV := $(value VENV)

# The chapters, in book order: the top-level keys of notebooks/pipeline.yml (written once there).
CHAPTERS := $(shell sed -n 's/^\([A-Za-z0-9_][A-Za-z0-9_-]*\):.*/\1/p' notebooks/pipeline.yml)
CHAPTER_TARGETS := $(patsubst %,chapter-%,$(CHAPTERS))

## help: list the targets (default)
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /'

# tools/venv_setup.py (standard library only): under a lock, so two makes on a fresh clone take
# turns; a venv left without pip (Ctrl-C while it was made) is made again; the stamp comes last.
$(VENV_STAMP): requirements.txt pyproject.toml
	@$(PYTHON_SYSTEM) tools/venv_setup.py

## venv: create .venv with pip from the pinned requirements.txt (done by every target that needs it)
venv: $(VENV_STAMP)

## report: build every chapter of notebooks/pipeline.yml into reports/<edition>/ (zh; LANGUAGE=en -> en; DATA_DIR=data/sample -> sample-zh)
# A no-op first asks helpers.workflow.uptodate (exit 0: the published edition is the current
# inputs'; 1: run the steps; 2: a bad parameter, said in one line). It compares every input's
# size, times and inode with the last publish's record and hashes again any that differ, so new
# content under an old date (cp -p, rsync -a, unzip) is rebuilt; file times alone decide nothing.
report: $(VENV_STAMP)
	+@status=0; $(PY) -m helpers.workflow.uptodate || status=$$?; \
	if [ $$status = 1 ]; then $(MAKE) --no-print-directory report-steps; else exit $$status; fi

# The steps themselves; each decides from content fingerprints whether it has work to do.
report-steps: book profile-index
	$(PY) -m helpers.workflow publish --record

# Every chapter of notebooks/pipeline.yml and every profile of REGIONS, in warm kernels
# (helpers.workflow.batch): one kernel per job of make's -j (or JOBS=N), each reused across
# notebooks, reset before each. Only documents whose inputs' fingerprint changed are run; when a
# document did, the book is built among them (--book) as soon as every chapter's page is there,
# and the profiles' index once the profiles are.
documents: tables
	$(PY) -m helpers.workflow documents --chapters all --book

## book: the combined report of the edition (cover, contents, key findings, methods, every chapter) as html/report.html and pdf/report.pdf
book: documents
	$(PY) -m helpers.workflow.book
.PHONY: book

profile-index: documents
	$(PY) -m helpers.workflow.profiles index

## preview: the edition's HTML (no PDF; PREVIEW_PDF=1 for both) in build/<edition>/reports, served on http://127.0.0.1:8000/ (PREVIEW_PORT=…) and rebuilt on each save under notebooks/, src/helpers/, data/, the open page reloading itself; reports/ is left alone
PREVIEW_PDF ?=
PREVIEW_PORT ?= 8000
export ZJTX_PREVIEW_PORT := $(value PREVIEW_PORT)
# PREVIEW_PDF's value only decides whether the flag is given; it reaches no command.
PREVIEW_FLAGS := $(if $(PREVIEW_PDF),,--html-only)
preview: $(VENV_STAMP)
	$(PY) -m helpers.workflow.preview

# One preview cycle (helpers.workflow.preview runs it on each save): the report's steps but
# publish; the fingerprints rebuild only what a change touches.
preview-steps: check-data tables
	$(PY) -m helpers.workflow documents --chapters all --book $(PREVIEW_FLAGS)
	$(PY) -m helpers.workflow.book $(PREVIEW_FLAGS)
	$(PY) -m helpers.workflow.profiles index

## chapter-NAME: one chapter only (e.g. make chapter-03_regions), when its inputs changed
# (Chapter names are notebooks/pipeline.yml's keys: letters, digits, _ and -.)
$(CHAPTER_TARGETS): chapter-%: tables
	$(PY) -m helpers.workflow documents --chapters '$*' --regions none

## profiles: the region profile for all 31 provinces and every city with >=150 firms into the edition's profiles/ (REGIONS="beijing jiangsu" or none to choose)
profiles: tables
	$(PY) -m helpers.workflow documents --chapters none
	$(PY) -m helpers.workflow.profiles index

# One region's profile: make profile-beijing (the target's name, too, reaches Python as data).
profile-%: export ZJTX_REGIONS = $*
profile-%: tables
	$(PY) -m helpers.workflow documents --chapters none

## assess: one firm's screening card under the MIIT measures in force on DATE=<YYYY-MM-DD> (default: the cut-off), FIRM=<firm_id> of a firm-level DATA_DIR, staged in build/<edition>/assess/ and published with the edition (reports/<edition>/assess/<firm_id>[_<date>].html|pdf)
assess: check-data
	$(PY) -m helpers.workflow assess
.PHONY: assess

## tables: aggregate a firm-level DATA_DIR into published-shaped tables (cached) and print the folder
tables: check-data
	$(PY) -m helpers.workflow tables

## check-data: validate the parameters and the input data (all published tables and DATA_DIR) before building
check-data: $(VENV_STAMP)
	$(PY) -m helpers.workflow check

## index: rewrite reports/index.html from the editions in reports/
index: $(VENV_STAMP)
	$(PY) -m helpers.workflow index

## list-chapters: the chapters in book order (from notebooks/pipeline.yml)
list-chapters:
	@printf '%s\n' $(CHAPTERS)

## sample-data: regenerate the synthetic firm-level sample in data/sample (seeded, byte-identical)
sample-data: $(VENV_STAMP)
	$(PY) -m tools.sample_data data/sample

## test: the fast tests, in two workers (unit tests, data checks, the steps, parameters, pages and PDFs made from hand-made inputs; a few minutes): everything but the end-to-end builds
TEST_WORKERS ?= 2
export ZJTX_TEST_WORKERS := $(value TEST_WORKERS)
test: $(VENV_STAMP)
	$(PY) -m pytest -n "$$ZJTX_TEST_WORKERS" -m "not build and not edition"

## test-builds: the end-to-end tests, in two workers: chapters and profiles run from their notebooks, whole editions built once each and read by many tests (about 20 minutes on 2 cores); CI runs it after make test
test-builds: $(VENV_STAMP)
	$(PY) -m pytest -n "$$ZJTX_TEST_WORKERS" -m "build or edition"

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

## lab: open JupyterLab on notebooks/ with the project's environment and print its address (LAB_ARGS="--port 8890 --no-browser" adds JupyterLab's options; as root it adds --allow-root)
# LAB_ARGS reaches tools/lab.py as ZJTX_LAB_ARGS, split there as a shell would but by no shell.
LAB_ARGS ?=
unexport LAB_ARGS
export ZJTX_LAB_ARGS := $(value LAB_ARGS)
lab: $(VENV_STAMP)
	$(PY) -m tools.lab

## lock: re-pin requirements.txt from requirements.in and regenerate environment.yml
lock: $(VENV_STAMP)
	$(PY) -m tools.envsync lock

## benchmark: one table: the per-document floor, each chapter, the cold full build, no-op and one-chapter rebuilds, PDF export, the profile fan-out, and the firm-level step at 1x/10x/100x the sample and 10 M patent rows (slow; BENCH_ARGS=--quick for a smoke run); then the cold build against the bare papermill + nbconvert loop, wall and CPU seconds (benchmarks/bench_edit.py)
BENCH_ARGS ?=
export ZJTX_BENCH_ARGS := $(value BENCH_ARGS)
benchmark: $(VENV_STAMP)
	$(PY) benchmarks/bench_build.py $$ZJTX_BENCH_ARGS
	$(PY) benchmarks/bench_edit.py $$ZJTX_BENCH_ARGS

## clean: remove build caches and staging (reports/ and .venv stay)
clean:
	rm -rf build

.PHONY: $(CHAPTER_TARGETS) documents profile-index preview preview-steps profiles help venv report report-steps tables check-data index list-chapters sample-data test test-builds lint format lab lock benchmark clean
