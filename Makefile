# The two commands README gives: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench-ingest bench-dbt bench-moods bench-reports bench-publish clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,embedded]"
	touch $@

# e.g. make demo DEMO_ARGS="--days 7 --top-n 300"
demo: install
	$(BIN)/tmdb-warehouse demo $(DEMO_ARGS)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pipelines tests bench

bench-ingest: install
	$(BIN)/python -m bench.ingest

bench-dbt: install
	$(BIN)/python -m bench.dbt_incremental

bench-moods: install
	$(BIN)/python -m bench.moods

bench-reports: install
	$(BIN)/python -m bench.reports

bench-publish: install
	$(BIN)/python -m bench.publish

clean:
	rm -rf warehouse target logs site
