"""The quality score, 0-100, per table and overall.

Definition: the weighted share of the run's expectations that passed, where a critical expectation weighs 3
and a warning weighs 1:

    score = 100 * sum(weight_i * passed_i) / sum(weight_i)

over the expectations of a table (its schema suite and its data suite; a missing table counts as one failed
expectation of its "table missing" severity), and for the overall row (table_name 'overall') over every
expectation of the run, so bigger suites weigh more. Rounded to 0.1. 100 means every expectation passed; a
failed critical expectation costs three times what a failed warning costs. Outlier checks are warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.quality.results import ExpectationRow

WEIGHTS = {"critical": 3, "warning": 1}
OVERALL = "overall"


@dataclass(frozen=True)
class TableScore:
    table_name: str
    score: float
    critical_failed: int
    warnings_failed: int
    evaluated: int


def score(table_name: str, rows: Iterable[ExpectationRow]) -> TableScore:
    rows = list(rows)
    total = sum(WEIGHTS[row.severity] for row in rows)
    passed = sum(WEIGHTS[row.severity] for row in rows if row.success)
    return TableScore(
        table_name=table_name,
        score=round(100.0 * passed / total, 1) if total else 100.0,
        critical_failed=sum(1 for row in rows if not row.success and row.severity == "critical"),
        warnings_failed=sum(1 for row in rows if not row.success and row.severity == "warning"),
        evaluated=len(rows),
    )


def table_scores(rows: Sequence[ExpectationRow]) -> tuple[list[TableScore], TableScore]:
    """The score of each table (in the order tables first appear) and the overall score."""
    tables = list(dict.fromkeys(row.table_name for row in rows))
    per_table = [score(table, (row for row in rows if row.table_name == table)) for table in tables]
    return per_table, score(OVERALL, rows)
