# antq — make help lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The lowest supported versions (requirements-min.txt), in an environment of their own.
VENV_MIN := .venv-min
STAMP_MIN := $(VENV_MIN)/.installed-stamp

.PHONY: help setup run test test-min lint bench lab data corpus mutate clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install antq with its test tools (once)

run: $(STAMP) ## Rebuild data/processed from data/raw
	$(BIN)/antq build data/raw --out data/processed

test: $(STAMP) ## Run every test, doctests and notebooks included
	$(BIN)/python -m pytest

# Floors first, wheels only, then antq without dependencies: nothing newer can sneak in.
$(STAMP_MIN): requirements-min.txt pyproject.toml
	rm -rf $(VENV_MIN)
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_MIN)/bin/python -m pip install --quiet --only-binary=:all: -r requirements-min.txt
	$(VENV_MIN)/bin/python -m pip install --quiet --no-deps -e .
	touch $(STAMP_MIN)

test-min: $(STAMP_MIN) ## Every test again, on the lowest supported versions (.venv-min)
	$(VENV_MIN)/bin/python -m pytest

lint: $(STAMP) ## Lint, check formatting (ruff) and types (mypy)
	$(BIN)/ruff check antq tests scripts benchmarks
	$(BIN)/ruff format --check antq tests scripts benchmarks
	$(BIN)/mypy

bench: $(STAMP) ## Benchmarks, as ratios against a baseline of the same run
	$(BIN)/python benchmarks/run.py

LAB_STAMP := $(VENV)/.lab-stamp

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	touch $(LAB_STAMP)

lab: $(LAB_STAMP) ## Open JupyterLab on notebooks/ (they write to data/processed/notebooks)
	$(BIN)/python -m jupyter lab notebooks

data: $(STAMP) ## Regenerate the bundled (synthetic) workbooks in data/raw
	$(BIN)/python scripts/make_data.py data/raw

corpus: $(STAMP) ## Score the reader on the two corpora of unseen workbooks (tests/corpus)
	$(BIN)/python tests/corpus/score.py
	$(BIN)/python tests/corpus/score.py --second

# Mutants to run: glob patterns of mutant names (default: every mutant, stage by stage), or
# SAMPLE=0.04 SEED=1: that share of each module's mutants, drawn at random with that seed
# (scripts/mutation_sample.py; the names in mutants/sample.txt), scored stage by stage.
MUTANTS ?=
SAMPLE ?=
SEED ?= 1

mutate: $(STAMP) ## Mutation testing (mutmut) of validation, metrics, then reading; slow, not in CI
	@if [ -n "$(SAMPLE)" ]; then mkdir -p mutants && \
		$(BIN)/python scripts/mutation_sample.py --fraction $(SAMPLE) --seed $(SEED) > mutants/sample.txt && \
		$(BIN)/mutmut run $$(cat mutants/sample.txt); \
		$(BIN)/python scripts/mutation_score.py --names --sample mutants/sample.txt; \
	else \
		if [ -n "$(MUTANTS)" ]; then $(BIN)/mutmut run $(MUTANTS); else \
		$(BIN)/mutmut run "antq.validation*" "antq.metrics*" && $(BIN)/mutmut run "antq.reading*"; fi; \
		$(BIN)/python scripts/mutation_score.py --names antq.validation antq.metrics antq.reading; fi

clean: ## Remove .venv, .venv-min, mutants and data/processed outputs
	rm -rf $(VENV) $(VENV_MIN) mutants data/processed/*
