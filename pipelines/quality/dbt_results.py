"""dbt's test results as quality results: one `ExpectationRow` per data test and unit test of a `dbt build`.

The checks dbt owns (keys unique and not null, relationships, accepted values, ranges, our formulas) run in
`dbt build`; GX owns what dbt does not do well (completeness thresholds, outliers, rules over windows, the
flagged-issue warnings). So that the quality score still covers every check, the quality run reads the
build's `run_results.json` (status and failures of each test) and the `manifest.json` beside it (each test's
severity and the model it is attached to):

- suite `dbt`, table `<schema>.<model>` of the model the test is attached to (a unit test: the model it tests;
  a singular test: the mart it reads, else its first model), expectation_type `dbt:<test kind>`
  (`dbt:unique`, `dbt:accepted_range`, `dbt:singular`, `dbt:unit_test`), column the tested column;
- severity `critical` for an error-severity test (our invariants), `warning` for `severity: warn` (facts about
  TMDB's data, README "Test policy");
- success when dbt says `pass`; `warn`, `fail` and `error` are failures; unexpected_count is dbt's `failures`.
  A skipped test was not evaluated and gives no row;
- the ids of a failed data test (given a reader of the warehouse the build wrote): a warning about TMDB's data
  names its rows, as GX's do. The test's compiled SQL (in run_results.json) runs again, read-only: its failing
  rows' first `*_id` column (not_null, expression tests return the model's rows), the values a relationships
  test returns (`from_field`: ids themselves), or, for the values an accepted_values test returns
  (`value_field`), the first `*_id` column of the model's rows holding them. None when the SQL no longer runs
  (the warehouse moved on) or the rows carry no id.

A missing `run_results.json` gives no rows (nothing was built with that target); without the manifest the
severity comes from the status (`warn`: warning, else critical) and the table is `dbt`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.quality.checks import CRITICAL, WARNING, Category, Check, quote_identifier, quote_table
from pipelines.quality.results import OFFENDING_IDS_CAP, ExpectationRow, RunInfo, _row, offending_ids

if TYPE_CHECKING:
    from pipelines.quality.warehouse import WarehouseReader

SUITE = "dbt"
CATEGORY: Category = "dbt"
REPO_ROOT = Path(__file__).resolve().parents[2]
# Where `dbt build` from the repo root (and pipelines/transform.py without target_path) writes its results.
DEFAULT_RUN_RESULTS = REPO_ROOT / "target" / "run_results.json"

_PASSED = {"pass", "success"}
_NOT_EVALUATED = {"skipped", "no-op"}
_LAYER_ORDER = ("marts", "intermediate", "staging", "snapshots", "seeds")


def keep_run_results(destination: Path, target: Path = DEFAULT_RUN_RESULTS.parent) -> Path:
    """Copy a build's run_results.json and manifest.json from dbt's `target` folder to `destination` (the next dbt
    command overwrites them there); returns the kept run_results.json (absent when the build wrote none)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("run_results.json", "manifest.json"):
        source = target / name
        if source.is_file():
            shutil.copyfile(source, destination / name)
        else:
            (destination / name).unlink(missing_ok=True)
    return destination / "run_results.json"


def dbt_result_rows(run: RunInfo, run_results: Path, reader: WarehouseReader | None = None) -> list[ExpectationRow]:
    """The rows of the data and unit tests in `run_results` (a dbt run_results.json); [] when it doesn't exist.
    With `reader` (the warehouse the build wrote), a failed data test names the ids of its rows."""
    run_results = Path(run_results)
    if not run_results.is_file():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    manifest_path = run_results.with_name("manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    rows = []
    for result in results:
        unique_id = str(result.get("unique_id", ""))
        status = str(result.get("status", "")).lower()
        if not unique_id.startswith(("test.", "unit_test.")) or status in _NOT_EVALUATED:
            continue
        node = _test_node(manifest, unique_id)
        failed = status in {"warn", "fail"} and unique_id.startswith("test.") and reader is not None
        ids = _failing_ids(reader, result, node, manifest) if failed else None
        rows.append(_result_row(run, result, status, node, manifest, ids))
    return rows


def _result_row(
    run: RunInfo,
    result: Mapping[str, Any],
    status: str,
    node: Mapping[str, Any],
    manifest: Mapping[str, Any],
    ids: list[Any] | None = None,
) -> ExpectationRow:
    unique_id = str(result["unique_id"])
    if unique_id.startswith("unit_test."):
        kind = "unit_test"
    else:
        kind = (node.get("test_metadata") or {}).get("name") or "singular"
    configured = str((node.get("config") or {}).get("severity") or "").lower()
    severity = WARNING if (configured == "warn" if configured else status == "warn") else CRITICAL
    check = Check(
        expectation_type=f"dbt:{kind}",
        kwargs={"unique_id": unique_id},
        severity=severity,
        category=CATEGORY,
        description=str(node.get("name") or unique_id.split(".")[2]),
    )
    if node.get("column_name"):
        check = Check(**{**check.__dict__, "kwargs": {**check.kwargs, "column": node["column_name"]}})
    failures = result.get("failures")
    return _row(
        run,
        SUITE,
        _tested_table(node, manifest),
        check,
        success=status in _PASSED,
        observed={"status": status, "failures": failures} if status not in _PASSED else None,
        unexpected_count=failures,
        offending=ids,
        error=None if status in _PASSED | {"warn", "fail"} else str(result.get("message") or status),
    )


def _test_node(manifest: Mapping[str, Any], unique_id: str) -> Mapping[str, Any]:
    return manifest.get("nodes", {}).get(unique_id) or manifest.get("unit_tests", {}).get(unique_id) or {}


def _tested_table(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """`<schema>.<name>` of the model the test checks (see the module's docstring); `dbt` when unknown."""
    nodes = manifest.get("nodes", {})
    attached = node.get("attached_node")
    candidates = [attached] if attached else list((node.get("depends_on") or {}).get("nodes") or [])
    models = [nodes[uid] for uid in candidates if uid in nodes and nodes[uid].get("resource_type") != "test"]
    if not models:
        return SUITE
    layer = {name: index for index, name in enumerate(_LAYER_ORDER)}
    model = min(models, key=lambda entry: layer.get(str(entry.get("schema")), len(layer)))
    return f"{model.get('schema')}.{model.get('alias') or model.get('name')}"


def _failing_ids(
    reader: WarehouseReader, result: Mapping[str, Any], node: Mapping[str, Any], manifest: Mapping[str, Any]
) -> list[Any] | None:
    """The ids of the rows a failed data test found (see the module's docstring), smallest first, capped."""
    sql = result.get("compiled_code") or node.get("compiled_code")
    if not sql:
        return None
    try:
        failing = reader.rows(f"select * from ({sql}) as failing limit {_FAILING_ROWS_READ}")
        if not failing:
            return None
        column = node.get("column_name")
        kind = (node.get("test_metadata") or {}).get("name")
        if kind == "relationships" and "from_field" in failing[0]:  # the child's ids without a parent
            return _distinct_ids(failing, "from_field")
        if kind == "not_null" and column:
            return _ids_where(reader, node, manifest, f"{quote_identifier(str(column))} is null", [])
        if "value_field" in failing[0] and column:  # accepted_values: the model's rows holding those values
            values = [row["value_field"] for row in failing if row["value_field"] is not None]
            condition = f"{quote_identifier(str(column))} in (select unnest(?))"
            return _ids_where(reader, node, manifest, condition, [values]) if values else None
        return _distinct_ids(failing, row_key(list(failing[0])))
    except duckdb.Error:
        return None


_FAILING_ROWS_READ = 10_000
# The entities a warning should name when a table has their key; else its first *_id / *_key column, else its first.
_ENTITY_KEYS = ("movie_id", "person_id", "user_id", "event_id", "session_id", "review_id", "provider_id")


def row_key(columns: list[str]) -> str:
    """The column that names a row of a table with `columns` in a warning (see _ENTITY_KEYS)."""
    for key in _ENTITY_KEYS:
        if key in columns:
            return key
    return next((column for column in columns if column.endswith(("_id", "_key"))), columns[0])


def _distinct_ids(rows: list[dict[str, Any]], column: str) -> list[Any] | None:
    distinct = {row[column] for row in rows if row[column] is not None}
    return offending_ids([{column: value} for value in distinct], [column])


def _ids_where(
    reader: WarehouseReader, node: Mapping[str, Any], manifest: Mapping[str, Any], condition: str, parameters: list
) -> list[Any] | None:
    """The ids of the tested model's rows that meet `condition`."""
    model = manifest.get("nodes", {}).get(node.get("attached_node") or "", {})
    table = f"{model.get('schema')}.{model.get('alias') or model.get('name')}"
    columns = list(reader.catalog.get(table, {}))
    if not columns:
        return None
    key = quote_identifier(row_key(columns))
    rows = reader.rows(
        f"select distinct {key} as id from {quote_table(table, reader.database)} where {condition} "
        f"order by 1 limit {OFFENDING_IDS_CAP}",
        parameters,
    )
    return _distinct_ids(rows, "id")
