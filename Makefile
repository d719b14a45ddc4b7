# The two commands README gives: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install browser demo test lint bench-ingest bench-dbt bench-moods bench-reports clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,embedded]"
	touch $@

# e.g. make demo DEMO_ARGS="--days 7 --top-n 300"
demo: install
	$(BIN)/tmdb-warehouse demo $(DEMO_ARGS)

# README's test command: Chromium first (fails at once, in one line, when it can't be had), then the install.
test: browser install
	$(BIN)/python -m pytest

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded). TMDB_CHROMIUM names
# another binary. When `chromium` is missing it is installed with apt-get if that can run unattended (as root, or
# with `sudo -n`); otherwise this exits 2 with one line saying what to run.
CHROMIUM_HINT := Chromium is missing: run `sudo apt-get install chromium` (Debian/Ubuntu) or set TMDB_CHROMIUM=/path/to/chrome
browser:
	@if [ -n "$$TMDB_CHROMIUM" ]; then \
	  [ -x "$$TMDB_CHROMIUM" ] || { echo "TMDB_CHROMIUM=$$TMDB_CHROMIUM is not an executable file: point it at Chromium or unset it" >&2; exit 2; }; \
	elif ! command -v chromium >/dev/null 2>&1; then \
	  if ! command -v apt-get >/dev/null 2>&1; then echo '$(CHROMIUM_HINT)' >&2; exit 2; \
	  elif [ "$$(id -u)" = 0 ]; then as_root=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; \
	  else echo '$(CHROMIUM_HINT)' >&2; exit 2; fi; \
	  echo "installing Debian's chromium for the browser tests (apt-get)" >&2; \
	  { $$as_root apt-get update -qq && $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium >/dev/null && command -v chromium >/dev/null 2>&1; } \
	    || { echo '$(CHROMIUM_HINT)' >&2; exit 2; }; \
	fi

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

clean:
	rm -rf warehouse target logs site
