# The two commands README gives: `make demo` (the main job on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install spark browser demo test lint bench-ingest bench-dbt bench-moods bench-reports bench-publish bench-backup bench-catalog-ingest bench-catalog-dbt bench-catalog-crawl bench-events bench-spark bench-users-dbt bench-recs clean

WEB := pipelines/quality/web

install: $(VENV)/.installed $(WEB)/node_modules/.package-lock.json

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,embedded]"
	touch $@

# The optional Spark extra (pyspark, dbt-spark, pyarrow: about 500 MB, README "When one machine is not enough"):
# only on request, and for the tests (the Spark parity test runs in `make test`).
spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[spark]"
	touch $@

# The libraries GX's data docs load from CDNs, at the versions its templates name: pipelines/quality/docs.py
# copies them into the site, so the docs work offline. npm is installed like Chromium below when missing.
NPM_HINT := npm is missing: run `sudo apt-get install npm` (Debian/Ubuntu) or install Node.js, then make install again
$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	@$(call ensure,npm,npm,NPM_HINT)
	npm ci --prefix $(WEB) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# $(call ensure,COMMAND,DEBIAN PACKAGE,HINT VARIABLE): nothing when COMMAND is on PATH; else apt-get installs the
# package when it can run unattended (as root, or with `sudo -n`); else the hint on one line and exit 2.
ensure = if ! command -v $(1) >/dev/null 2>&1; then \
	  if ! command -v apt-get >/dev/null 2>&1; then echo '$($(3))' >&2; exit 2; \
	  elif [ "$$(id -u)" = 0 ]; then as_root=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; \
	  else echo '$($(3))' >&2; exit 2; fi; \
	  echo "installing Debian's $(2) (apt-get)" >&2; \
	  { $$as_root apt-get update -qq && $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $(2) >/dev/null && command -v $(1) >/dev/null 2>&1; } \
	    || { echo '$($(3))' >&2; exit 2; }; \
	fi

# e.g. make demo DEMO_ARGS="--days 7 --top-n 300"
demo: install
	$(BIN)/tmdb-warehouse demo $(DEMO_ARGS)

# README's test command: Chromium first (fails at once, in one line, when it can't be had), then the install.
test: browser install spark
	$(BIN)/python -m pytest

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded). TMDB_CHROMIUM names
# another binary. When `chromium` is missing it is installed with apt-get if that can run unattended (as root, or
# with `sudo -n`); otherwise this exits 2 with one line saying what to run.
CHROMIUM_HINT := Chromium is missing: run `sudo apt-get install chromium` (Debian/Ubuntu) or set TMDB_CHROMIUM=/path/to/chrome
browser:
	@if [ -n "$$TMDB_CHROMIUM" ]; then \
	  [ -x "$$TMDB_CHROMIUM" ] || { echo "TMDB_CHROMIUM=$$TMDB_CHROMIUM is not an executable file: point it at Chromium or unset it" >&2; exit 2; }; \
	else $(call ensure,chromium,chromium,CHROMIUM_HINT); fi

lint: install
	$(BIN)/ruff check pipelines tests bench

# `make bench-NAME` runs the benchmark bench/NAME.py (dashes as underscores).
BENCHES := bench-ingest bench-moods bench-reports bench-publish bench-backup bench-catalog-ingest bench-catalog-dbt bench-catalog-crawl
$(BENCHES): bench-%: install
	$(BIN)/python -m bench.$(subst -,_,$*)

bench-dbt: install
	$(BIN)/python -m bench.dbt_incremental

bench-events: install
	$(BIN)/python -m bench.events_load

bench-users-dbt: install
	$(BIN)/python -u -m bench.users_dbt

bench-recs: install
	$(BIN)/python -u -m bench.recs_scale

bench-spark: spark
	$(BIN)/python -m bench.spark_increment

clean:
	rm -rf warehouse target logs site
