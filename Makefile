# The two commands README gives: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench-ingest clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: install
	$(BIN)/tmdb-warehouse demo

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pipelines tests bench

bench-ingest: install
	$(BIN)/python -m bench.ingest

clean:
	rm -rf warehouse target logs site
