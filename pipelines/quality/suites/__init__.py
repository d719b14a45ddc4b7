"""The suites, as code: one `TableSpec` per validated table, raw tables first (TMDB's, then the user events),
then staging, then the marts.

Each spec gives two Great Expectations suites: `<schema>.<table>.schema` (expected columns and types) and
`<schema>.<table>` (completeness, business rules, outliers). See pipelines/quality/README.md for the list.
"""

from __future__ import annotations

from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.events import EVENTS_SPECS
from pipelines.quality.suites.marts import MARTS
from pipelines.quality.suites.raw import RAW
from pipelines.quality.suites.staging import STAGING

ALL_SPECS: tuple[TableSpec, ...] = (*RAW, *EVENTS_SPECS, *STAGING, *MARTS)

__all__ = ["ALL_SPECS", "EVENTS_SPECS", "MARTS", "RAW", "STAGING"]
