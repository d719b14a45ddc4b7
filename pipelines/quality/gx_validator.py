"""Great Expectations (GX Core 1.x) behind one small class: an ephemeral context (nothing written but the data
docs), a pandas datasource with one dataframe asset per suite, and one checkpoint per suite run on the frame.

Why pandas frames rather than GX's SQL datasource: GX's SQL path needs SQLAlchemy and duckdb-engine (two more
dependencies, and SQL expectations compiled per check); the warehouse tables are small (thousands of rows), so
reading each once from DuckDB (read-only) and validating in memory is fast and keeps the dependency list as it is.
Rules spanning rows are computed by DuckDB while reading (see rules.py), so nothing needs SQL at validation time.

No telemetry: analytics are disabled in the context's config and through GX_ANALYTICS_ENABLED, set before GX is
imported (GX Core 1.x sends nothing when disabled; its data docs' remote logo is rewritten in docs.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.quality.checks import Check, CheckOutcome

os.environ["GX_ANALYTICS_ENABLED"] = "false"

import great_expectations as gx  # noqa: E402 - after the analytics switch above
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations.expectation import Expectation  # noqa: E402
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration  # noqa: E402

DOCS_SITE = "quality"
PARTIAL_UNEXPECTED = 20


class GXValidator:
    """Runs suites of checks on pandas frames with Great Expectations; `build_docs()` renders every run."""

    def __init__(self, docs_dir: Path | None, run_id: str, run_at: datetime) -> None:
        self._context = gx.get_context(mode="ephemeral", project_config=_context_config(docs_dir))
        self._datasource = self._context.data_sources.add_pandas("warehouse")
        self._run_id = RunIdentifier(run_name=run_id, run_time=run_at)
        self._has_docs = docs_dir is not None

    def validate(
        self, suite_name: str, frame: pd.DataFrame, checks: Sequence[Check], key: Sequence[str]
    ) -> list[CheckOutcome]:
        """Add the suite, its asset, validation definition and checkpoint; run the checkpoint on the frame.
        `key` names the columns reported for each unexpected row (those missing from the frame are dropped)."""
        expectations = [_expectation(check, index) for index, check in enumerate(checks)]
        suite = self._context.suites.add(gx.ExpectationSuite(name=suite_name, expectations=expectations))
        batch = self._datasource.add_dataframe_asset(suite_name).add_batch_definition_whole_dataframe("all")
        definition = self._context.validation_definitions.add(
            gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
        )
        checkpoint = self._context.checkpoints.add(
            gx.Checkpoint(
                name=suite_name,
                validation_definitions=[definition],
                result_format=_result_format([column for column in key if column in frame.columns]),
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=self._run_id)
        outcomes = []
        for suite_result in result.run_results.values():
            for expectation_result in suite_result.results:
                check = checks[int((expectation_result.expectation_config.meta or {})["check"])]
                outcomes.append(
                    CheckOutcome(
                        check=check,
                        success=bool(expectation_result.success),
                        result=dict(expectation_result.result or {}),
                        exception=_exception_message(expectation_result.exception_info or {}),
                    )
                )
        return outcomes

    def build_docs(self) -> None:
        if self._has_docs:
            self._context.build_data_docs(site_names=[DOCS_SITE])


def _context_config(docs_dir: Path | None) -> DataContextConfig:
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            # GX refuses a relative base_directory (it has no project root here)
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(docs_dir).resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False},
        }
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )


def _expectation(check: Check, index: int) -> Expectation:
    configuration = ExpectationConfiguration(
        type=check.expectation_type,
        kwargs=dict(check.kwargs),
        meta={"check": index, "category": check.category},
        notes=check.description,
        severity=check.severity,
    )
    return configuration.to_domain_obj()


def _result_format(key: list[str]) -> dict[str, Any]:
    if not key:
        return {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL_UNEXPECTED}
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": key,
        "partial_unexpected_count": PARTIAL_UNEXPECTED,
        "return_unexpected_index_query": False,
    }


def _exception_message(info: Mapping[str, Any]) -> str | None:
    """The error(s) GX caught while evaluating an expectation: its exception_info is either one
    {raised_exception, exception_message, ...} dict or such dicts keyed by the metric that failed."""
    entries = [info] if "raised_exception" in info else [value for value in info.values() if isinstance(value, Mapping)]
    messages = dict.fromkeys(str(entry.get("exception_message")) for entry in entries if entry.get("raised_exception"))
    return "; ".join(messages) or None
