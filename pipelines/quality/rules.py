"""Rules: the building blocks of the suites.

Severity follows the test policy (README, "Test policy"): a rule about TMDB's values (ranges, formats,
completeness, votes that drop, far-future dates) is a WARNING by default: it is reported with the offending
ids and counted in the score, never failing a run. CRITICAL is for the warehouse's own invariants (keys
present and unique, values our models compute), and is passed explicitly where a suite checks one.

Each rule names the derived columns it needs and, given the frame read from the warehouse, the checks
(expectations) it contributes.

Rules that span rows (a value that must not drop from one day to the next, a date against another column)
become plain column rules on a column DuckDB derives while reading the table. Outlier bounds are computed
from the frame itself (robust statistics), so the check is re-fitted on every run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from pipelines.quality.checks import CRITICAL, WARNING, Category, Check, Derived, Severity, quote_table
from pipelines.quality.checks import quote_identifier as _q


class Rule(Protocol):
    def derived(self) -> tuple[Derived, ...]: ...

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]: ...


class _Static:
    """A rule with one check that doesn't depend on the data (subclasses may still derive a column)."""

    def derived(self) -> tuple[Derived, ...]:
        return ()

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        return (self.check(),)

    def check(self) -> Check:
        raise NotImplementedError


def _bounds_text(min_value: Any, max_value: Any) -> str:
    if min_value is not None and max_value is not None:
        return f"between {min_value} and {max_value}"
    return f">= {min_value}" if min_value is not None else f"<= {max_value}"


@dataclass(frozen=True)
class NotNull(_Static):
    """At most `max_missing` (a share, 0-1) of the column is NULL. With `blank_is_null`, an empty or blank
    string counts as missing too (raw tables keep TMDB's '' for "unknown"). `label` names what is missing in
    the description when the column is a derived one."""

    column: str
    max_missing: float = 0.0
    severity: Severity = CRITICAL
    blank_is_null: bool = False
    label: str | None = None

    @property
    def target(self) -> str:
        return f"dq_{self.column}_or_null" if self.blank_is_null else self.column

    def derived(self) -> tuple[Derived, ...]:
        if not self.blank_is_null:
            return ()
        return (Derived(self.target, f"nullif(trim({_q(self.column)}), '')", needs=(self.column,)),)

    def check(self) -> Check:
        mostly = round(1.0 - self.max_missing, 6)
        kwargs: dict[str, Any] = {"column": self.target} | ({"mostly": mostly} if mostly < 1 else {})
        blank = " (blank counts as missing)" if self.blank_is_null else ""
        what = "never missing" if self.max_missing == 0 else f"missing in at most {self.max_missing:.0%} of rows"
        text = f"{self.label or self.column} {what}{blank}"
        return Check("expect_column_values_to_not_be_null", kwargs, self.severity, "completeness", text)


def completeness(
    column: str, max_missing: float, *, blank_is_null: bool = False, label: str | None = None
) -> tuple[NotNull, ...]:
    """A threshold on the share of missing values, a warning above it: what TMDB leaves empty is its fact."""
    return (NotNull(column, max_missing, WARNING, blank_is_null, label),)


@dataclass(frozen=True)
class Between(_Static):
    """Every non-NULL value within [min_value, max_value] (either bound may be open)."""

    column: str
    min_value: float | int | None = None
    max_value: float | int | None = None
    severity: Severity = WARNING
    label: str | None = None

    def check(self) -> Check:
        kwargs = {"column": self.column, "min_value": self.min_value, "max_value": self.max_value}
        kwargs = {key: value for key, value in kwargs.items() if value is not None}
        text = self.label or f"{self.column} {_bounds_text(self.min_value, self.max_value)}"
        return Check("expect_column_values_to_be_between", kwargs, self.severity, "business", text)


@dataclass(frozen=True)
class Unique(_Static):
    """No two rows share the same values of `columns` (the table's grain)."""

    columns: tuple[str, ...]
    severity: Severity = CRITICAL

    def check(self) -> Check:
        text = f"one row per {', '.join(self.columns)}"
        if len(self.columns) == 1:
            kwargs: dict[str, Any] = {"column": self.columns[0]}
            return Check("expect_column_values_to_be_unique", kwargs, self.severity, "business", text)
        kwargs = {"column_list": list(self.columns)}
        return Check("expect_compound_columns_to_be_unique", kwargs, self.severity, "business", text)


@dataclass(frozen=True)
class InSet(_Static):
    """Every non-NULL value is one of `values`."""

    column: str
    values: tuple[Any, ...]
    severity: Severity = WARNING
    label: str | None = None

    def check(self) -> Check:
        kwargs = {"column": self.column, "value_set": list(self.values)}
        text = self.label or f"{self.column} in {{{', '.join(map(str, self.values))}}}"
        return Check("expect_column_values_to_be_in_set", kwargs, self.severity, "business", text)


@dataclass(frozen=True)
class Matches(_Static):
    """Every non-NULL value matches the regular expression."""

    column: str
    regex: str
    severity: Severity = WARNING
    label: str | None = None

    def check(self) -> Check:
        kwargs = {"column": self.column, "regex": self.regex}
        text = self.label or f"{self.column} matches {self.regex}"
        return Check("expect_column_values_to_match_regex", kwargs, self.severity, "business", text)


@dataclass(frozen=True)
class _OnDerived:
    """Rules checked on one derived column: `derived_column()` says how to compute it, `rules()` what to check."""

    def derived_column(self) -> Derived:
        raise NotImplementedError

    def rules(self) -> tuple[_Static, ...]:
        raise NotImplementedError

    def derived(self) -> tuple[Derived, ...]:
        return (self.derived_column(),)

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        return tuple(rule.check() for rule in self.rules())


@dataclass(frozen=True)
class HasChildren(_OnDerived):
    """Completeness of a list kept in a child table (dlt unnests lists): the share of rows with no child row
    (e.g. a movie without genres) under a threshold, as in `completeness`. The table is read as `t`."""

    name: str
    child_table: str
    max_missing: float
    parent_key: str = "_dlt_id"
    child_key: str = "_dlt_parent_id"

    @property
    def target(self) -> str:
        return f"dq_{self.name}_count"

    def derived_column(self) -> Derived:
        count = (
            f"(select count(*) from {quote_table(self.child_table)} c "
            f"where c.{_q(self.child_key)} = t.{_q(self.parent_key)})"
        )
        return Derived(self.target, f"nullif({count}, 0)", (self.parent_key,), (self.child_table,))

    def rules(self) -> tuple[_Static, ...]:
        return completeness(self.target, self.max_missing, label=self.name)


@dataclass(frozen=True)
class NeverDecreasing(_OnDerived):
    """`column` never drops from one observation to the next of the same entity (`partition_by`), in
    `order_by` order; checked on the change from the previous observation, which must be >= 0."""

    column: str
    partition_by: str
    order_by: str
    severity: Severity = WARNING

    @property
    def target(self) -> str:
        return f"dq_{self.column}_change"

    def derived_column(self) -> Derived:
        column, partition, order = _q(self.column), _q(self.partition_by), _q(self.order_by)
        sql = f"{column} - lag({column}) over (partition by {partition} order by {order})"
        return Derived(self.target, sql, needs=(self.column, self.partition_by, self.order_by))

    def rules(self) -> tuple[_Static, ...]:
        label = f"{self.column} never decreases from one {self.order_by} to the next of a {self.partition_by}"
        return (Between(self.target, min_value=0, severity=self.severity, label=label),)


@dataclass(frozen=True)
class NotBeyondHorizon(_OnDerived):
    """A date (a DATE or a 'YYYY-MM-DD' text) at most `max_days` after the `reference` date of its row."""

    column: str
    reference: str
    max_days: int
    severity: Severity = WARNING

    @property
    def target(self) -> str:
        return f"dq_{self.column}_days_after_{self.reference}"

    def derived_column(self) -> Derived:
        sql = f"date_diff('day', try_cast({_q(self.reference)} as date), try_cast({_q(self.column)} as date))"
        return Derived(self.target, sql, needs=(self.column, self.reference))

    def rules(self) -> tuple[_Static, ...]:
        label = f"{self.column} at most {self.max_days} days after {self.reference}"
        return (Between(self.target, max_value=self.max_days, severity=self.severity, label=label),)


@dataclass(frozen=True)
class Finite(_OnDerived):
    """Where the value is defined (not NULL) it is a finite number (not NaN, not +-infinity)."""

    column: str
    severity: Severity = CRITICAL

    @property
    def target(self) -> str:
        return f"dq_{self.column}_is_finite"

    def derived_column(self) -> Derived:
        column = _q(self.column)
        return Derived(self.target, f"case when {column} is null then null else isfinite({column}) end", (self.column,))

    def rules(self) -> tuple[_Static, ...]:
        return (InSet(self.target, (True,), self.severity, label=f"{self.column} finite where defined"),)


@dataclass(frozen=True)
class RobustBounds:
    """Outliers: values outside Tukey's fences fitted on this run's data, q1 - k*IQR .. q3 + k*IQR, on
    log10 of the positive values when `log_scale` (money and popularity are heavy-tailed). Reported as
    warnings with the offending rows' keys. Needs at least `min_sample` values to fit the fences; with
    fewer (or no spread at all) no check is made."""

    column: str
    log_scale: bool = True
    k: float = 3.0
    min_sample: int = 8
    severity: Severity = WARNING
    label: str | None = None

    def derived(self) -> tuple[Derived, ...]:
        return ()

    def fences(self, frame: pd.DataFrame) -> tuple[float, float] | None:
        if self.column not in frame.columns:
            return None
        values = pd.to_numeric(frame[self.column], errors="coerce").dropna().astype(float)
        values = values[values.map(math.isfinite)]
        if self.log_scale:
            values = values[values > 0].map(math.log10)
        if len(values) < self.min_sample:
            return None
        q1, q3 = (float(q) for q in values.quantile([0.25, 0.75]))
        if q3 <= q1:
            return None
        low, high = q1 - self.k * (q3 - q1), q3 + self.k * (q3 - q1)
        return (10**low, 10**high) if self.log_scale else (low, high)

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        fences = self.fences(frame)
        if fences is None:
            return ()
        low, high = (float(f"{bound:.6g}") for bound in fences)
        scale = "log10 " if self.log_scale else ""
        name = self.label or self.column
        text = f"{name} within robust bounds [{low:,.6g}, {high:,.6g}] ({scale}IQR fences, k={self.k:g})"
        kwargs = {"column": self.column, "min_value": low, "max_value": high}
        return (Check("expect_column_values_to_be_between", kwargs, self.severity, "outlier", text),)


@dataclass(frozen=True)
class FlaggedIssues:
    """The issues a model flags on its rows (a list column such as dim_movie's `data_issues`): one warning per
    issue found in this run's data, listing the flagged rows' keys, so the quality page says which movies
    carry which fact about TMDB's data. The per-issue columns are added to the frame the checks run on."""

    column: str = "data_issues"
    severity: Severity = WARNING

    def derived(self) -> tuple[Derived, ...]:
        return ()

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        if self.column not in frame.columns:
            return ()
        flagged = frame[self.column].map(lambda issues: set() if issues is None else set(issues))
        checks = []
        for issue in sorted(set().union(*flagged)) if len(flagged) else ():
            target = f"dq_not_{issue}"
            frame[target] = ~flagged.map(lambda issues, issue=issue: issue in issues)
            text = f"{issue}: rows flagged in {self.column}"
            checks.append(
                Check(
                    "expect_column_values_to_be_in_set",
                    {"column": target, "value_set": [True]},
                    self.severity,
                    "data_issue",
                    text,
                )
            )
        return tuple(checks)


@dataclass(frozen=True)
class Statistic:
    """A distribution check: the column's `statistic` (`mean` or `stdev`, over its non-NULL values) within
    [min_value, max_value]. Checked only when the column has at least `min_sample` values (a handful of rows
    says nothing about a distribution). A table-level figure: no offending rows, the observed value instead."""

    column: str
    statistic: str
    min_value: float | None = None
    max_value: float | None = None
    label: str | None = None
    min_sample: int = 50
    severity: Severity = WARNING
    category: Category = "business"

    def derived(self) -> tuple[Derived, ...]:
        return ()

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        if self.column not in frame.columns or frame[self.column].notna().sum() < self.min_sample:
            return ()
        kwargs = {"column": self.column, "min_value": self.min_value, "max_value": self.max_value}
        kwargs = {key: value for key, value in kwargs.items() if value is not None}
        text = self.label or f"{self.statistic} of {self.column} {_bounds_text(self.min_value, self.max_value)}"
        expectation = f"expect_column_{self.statistic}_to_be_between"
        return (Check(expectation, kwargs, self.severity, self.category, text),)


@dataclass(frozen=True)
class Share:
    """The share of rows where `condition` (SQL over the table's columns) holds, within [min_share, max_share]:
    a mix (event types) or a completeness figure over the whole table, via the mean of a 0/1 column."""

    name: str
    condition: str
    needs: tuple[str, ...]
    min_share: float | None = None
    max_share: float | None = None
    min_sample: int = 50
    severity: Severity = WARNING

    @property
    def target(self) -> str:
        return f"dq_share_{self.name}"

    def derived(self) -> tuple[Derived, ...]:
        return (Derived(self.target, f"({self.condition})::int", needs=self.needs),)

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        low = "0%" if self.min_share is None else f"{self.min_share:.0%}"
        high = "100%" if self.max_share is None else f"{self.max_share:.0%}"
        label = f"share of {self.name.replace('_', ' ')} between {low} and {high}"
        rule = Statistic(self.target, "mean", self.min_share, self.max_share, label, self.min_sample, self.severity)
        return rule.checks(frame)


@dataclass(frozen=True)
class CountOutliers:
    """Outliers in how many rows an entity has (events per user): the count is derived once per entity (on its
    first row, by `order_by`; NULL on its other rows) and fenced with `RobustBounds` (log10 IQR), so the
    fences are fitted over entities, not rows, and each outlier is reported once with its row's key."""

    entity: str
    order_by: str
    noun: str = "rows"
    k: float = 3.0
    severity: Severity = WARNING

    @property
    def target(self) -> str:
        return f"dq_{self.noun}_per_{self.entity}"

    def derived(self) -> tuple[Derived, ...]:
        entity, order = _q(self.entity), _q(self.order_by)
        sql = (
            f"case when row_number() over (partition by {entity} order by {order}) = 1 "
            f"then count(*) over (partition by {entity}) end"
        )
        return (Derived(self.target, sql, needs=(self.entity, self.order_by)),)

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        label = f"{self.noun} per {self.entity}"
        return RobustBounds(self.target, True, self.k, severity=self.severity, label=label).checks(frame)


@dataclass(frozen=True)
class OnGrid(_OnDerived):
    """Where the value is defined it is a whole multiple of `step` (ratings in half stars)."""

    column: str
    step: float
    severity: Severity = WARNING

    @property
    def target(self) -> str:
        return f"dq_{self.column}_on_grid"

    def derived_column(self) -> Derived:
        column = _q(self.column)
        sql = f"case when {column} is null then null else {column} / {self.step} = round({column} / {self.step}) end"
        return Derived(self.target, sql, (self.column,))

    def rules(self) -> tuple[_Static, ...]:
        return (InSet(self.target, (True,), self.severity, label=f"{self.column} in steps of {self.step:g}"),)


@dataclass(frozen=True)
class DerivedBetween(_OnDerived):
    """A figure DuckDB derives per row (`derived`, e.g. a share over the row's group) within bounds; NULL rows
    are not judged. The offending rows are reported with the table's key."""

    column: Derived
    min_value: float | None = None
    max_value: float | None = None
    label: str | None = None
    severity: Severity = WARNING

    def derived_column(self) -> Derived:
        return self.column

    def rules(self) -> tuple[_Static, ...]:
        return (Between(self.column.name, self.min_value, self.max_value, self.severity, self.label),)
