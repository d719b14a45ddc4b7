"""Helpers of the Spark tests and benchmark: the lake read into DuckDB, dbt on the `spark` target, Spark's tables read
back, and two engines' tables compared column by column."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
RAW = "raw"


def spark_env(lake: Path, spark_dir: Path, cores: int | None = None) -> dict[str, str]:
    """The environment of a dbt run on the `spark` target (profiles.yml) over `lake`, its tables in `spark_dir`."""
    env = dict(os.environ)
    env.update(
        {
            "SPARK_LOCAL_IP": "127.0.0.1",  # no network interface needed
            "TMDB_LAKE_URL": str(lake.resolve()),
            "TMDB_SPARK_DIR": str(spark_dir.resolve()),
        }
    )
    if cores:
        env["TMDB_SPARK_MASTER"] = f"local[{cores}]"
    return env


def dbt_spark(
    args: list[str], lake: Path, spark_dir: Path, vars: Mapping[str, Any] | None = None, cores: int | None = None
) -> list[dict[str, Any]]:
    """`dbt <args> --target spark` in a child process (its own JVM); returns run_results.json's results.

    Raises AssertionError with dbt's output tail when dbt fails."""
    target = spark_dir / "target"
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--target",
        "spark",
        f"--project-dir={REPO_ROOT}",
        f"--profiles-dir={REPO_ROOT}",
        f"--target-path={target}",
        f"--log-path={spark_dir / 'logs'}",
    ]
    if vars:
        command += ["--vars", json.dumps(dict(vars))]
    done = subprocess.run(command, env=spark_env(lake, spark_dir, cores), capture_output=True, text=True, cwd=REPO_ROOT)
    results = json.loads((target / "run_results.json").read_text())["results"] if done.returncode == 0 else []
    assert done.returncode == 0, f"dbt {' '.join(args)} on Spark failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    return results


def spark_session(spark_dir: Path) -> Any:
    """A Spark session on the metastore and tables of the dbt runs in `spark_dir` (as profiles.yml's `spark` target
    configures them), to read their results; only one process at a time can open the embedded metastore."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark_dir = spark_dir.resolve()
    builder = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", f"{spark_dir}/tables")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={spark_dir}/metastore_db")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
        .enableHiveSupport()
    )
    return builder.getOrCreate()


def lake_to_duckdb(lake: Path, db: Path) -> list[str]:
    """Every parquet table of the lake's raw dataset as a table of `db`'s raw schema (the same rows, so DuckDB and
    Spark build from identical raw data); returns the table names."""
    folders = sorted(p for p in (lake / RAW).iterdir() if p.is_dir() and any(p.glob("*.parquet")))
    with duckdb.connect(str(db)) as con:
        con.execute(f"create schema if not exists {RAW}")
        for folder in folders:
            con.execute(
                f'create or replace table {RAW}."{folder.name}" as '
                f"select * from read_parquet('{folder}/*.parquet', union_by_name = true)"
            )
    return [folder.name for folder in folders]


def normalized(value: Any) -> Any:
    """A value as both engines' Python clients can agree on: decimals as floats, lists as tuples, aware times in UTC."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return tuple(normalized(v) for v in value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


def column_values(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Each column's values, normalized and sorted: a per-column checksum that also says which values differ."""
    columns: dict[str, list[Any]] = {}
    for row in rows:
        for name, value in row.items():
            columns.setdefault(name, []).append(normalized(value))
    return {name: sorted(values, key=_sort_key) for name, values in columns.items()}


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=2e-4)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(map(same_value, a, b))
    return a == b


def column_differences(duck: dict[str, list[Any]], spark: dict[str, list[Any]]) -> list[str]:
    """What differs between two tables' column values (empty when they hold the same data)."""
    problems = []
    if sorted(duck) != sorted(spark):
        problems.append(
            f"columns: DuckDB only {sorted(set(duck) - set(spark))}, Spark only {sorted(set(spark) - set(duck))}"
        )
    for name in sorted(set(duck) & set(spark)):
        a, b = duck[name], spark[name]
        if len(a) != len(b):
            problems.append(f"{name}: {len(a)} values on DuckDB, {len(b)} on Spark")
            continue
        mismatches = [(x, y) for x, y in zip(a, b, strict=True) if not same_value(x, y)]
        if mismatches:
            problems.append(
                f"{name}: {len(mismatches)} values differ, "
                f"e.g. DuckDB {mismatches[0][0]!r} vs Spark {mismatches[0][1]!r}"
            )
    return problems
