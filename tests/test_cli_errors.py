"""`tmdb-warehouse` as a new user meets it: each piece runs alone with its defaults, and every user-facing error is
one line (what, where, how to fix) with a documented exit code, and no traceback unless `-v`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import build_parser, main
from pipelines.warehouse_file import check_warehouse_file
from tests.cli_process import tmdb_warehouse
from tests.conftest import create_quality_warehouse


def test_quality_runs_alone_with_the_default_site_folder(tmp_path: Path) -> None:
    (tmp_path / "warehouse" / "work").mkdir(parents=True)
    create_quality_warehouse(tmp_path / "warehouse" / "work" / "tmdb.duckdb")  # the default working copy, from the cwd

    result = tmdb_warehouse("quality", cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("quality: score 100.0/100")
    assert f"data docs: {tmp_path / 'site' / 'quality' / 'index.html'}" in result.stdout
    assert (tmp_path / "site" / "quality" / "index.html").is_file()


# --- a warehouse file that is not a DuckDB database: one line before dlt, dbt, GX or the report builder open it ---

NOT_DUCKDB_FIX = "move it away or set TMDB_DUCKDB_PATH (or --duckdb-path) to another file"


@pytest.mark.parametrize(
    "command", ["ingest", "run", "demo", "quality", "report", "moods-eval", "events-load", "recs-eval"]
)
def test_a_warehouse_that_is_not_duckdb_is_one_line_for_every_command(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "tmdb.duckdb"
    bad.write_text("not a database\n", encoding="utf-8")

    # no TMDB key: `ingest` would otherwise stop on the credentials first; the run must stop before any of that
    result = tmdb_warehouse(command, "--duckdb-path", str(bad), cwd=tmp_path, TMDB_PIPELINES_DIR=str(tmp_path / "p"))

    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines() == [
        f"error: {bad} is not a DuckDB database (15 bytes without DuckDB's header); {NOT_DUCKDB_FIX}"
    ]
    assert bad.read_text(encoding="utf-8") == "not a database\n" and not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("content", "what"),
    [(b"", "an empty file"), (b"SQLite format 3\x00" + bytes(84), "a SQLite database"), (None, "a directory")],
)
def test_the_line_says_what_the_file_is_and_the_environment_variable_is_checked_too(
    tmp_path: Path, content: bytes | None, what: str
) -> None:
    bad = tmp_path / "elsewhere.duckdb"
    if content is None:
        bad.mkdir()
    else:
        bad.write_bytes(content)
    result = tmdb_warehouse("quality", cwd=tmp_path, TMDB_DUCKDB_PATH=str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {bad} is not a DuckDB database ({what}); {NOT_DUCKDB_FIX}"]


def test_a_duckdb_file_and_a_missing_file_pass_the_check(tmp_path: Path) -> None:
    create_quality_warehouse(tmp_path / "real.duckdb")
    check_warehouse_file(tmp_path / "real.duckdb")
    check_warehouse_file(tmp_path / "not-yet.duckdb")  # nothing there yet: the ingestion creates it


# --- arguments: refused by argparse in one line, exit 2, before anything runs ---


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["ingest", "--top-n", "-5"], "tmdb-warehouse ingest: error: argument --top-n: must be 0 or more, not -5"),
        (
            ["ingest", "--rate-limit", "0"],
            "tmdb-warehouse ingest: error: argument --rate-limit: must be more than 0 requests per second, not 0",
        ),
        (
            ["run", "--rate-limit", "-1"],
            "tmdb-warehouse run: error: argument --rate-limit: must be more than 0 requests per second, not -1",
        ),
        (
            ["demo", "--concurrency", "0"],
            "tmdb-warehouse demo: error: argument --concurrency: must be 1 or more, not 0",
        ),
        (["run", "--days", "0"], "tmdb-warehouse run: error: argument --days: must be 1 or more, not 0"),
        (["demo", "--top-n", "many"], "tmdb-warehouse demo: error: argument --top-n: not a whole number: 'many'"),
    ],
)
def test_out_of_range_arguments_are_one_line_and_exit_2(
    args: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    command = " ".join(["tmdb-warehouse", args[0]])
    assert capsys.readouterr().err.splitlines() == [f"{line} (see {command} --help)"]


def test_zero_top_n_is_allowed_it_means_no_popularity_listing() -> None:
    args = build_parser().parse_args(["ingest", "--top-n", "0", "--rate-limit", "0.5", "--concurrency", "1"])
    assert (args.top_n, args.rate_limit, args.concurrency) == (0, 0.5, 1)


# --- redaction: a one-character key must not mangle the message ---


def test_a_one_character_key_is_redacted_from_the_url_not_from_the_prose(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = tmdb_warehouse(
        "ingest",
        "--duckdb-path",
        str(db),
        cwd=tmp_path,
        TMDB_API_KEY="x",
        TMDB_API_BASE_URL="http://127.0.0.1:9/3",  # nothing listens on the discard port: connection refused
        TMDB_PIPELINES_DIR=str(tmp_path / "p"),
        SOURCES__TMDB__REQUEST_MAX_ATTEMPTS="1",
    )
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: TMDB did not answer after 1 attempts for http://127.0.0.1:9/3/configuration: ")
    assert "Max retries exceeded with url: /3/configuration?api_key=*** (Caused by" in line
    assert "api_key=x" not in line and "Ma***" not in line and "e***ceeded" not in line
    assert not db.exists()
