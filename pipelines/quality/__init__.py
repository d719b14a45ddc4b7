"""Data quality with Great Expectations (GX Core 1.x): suites kept as code (pipelines/quality/suites/) for the raw
tables, staging and the marts; results and a 0-100 score per table written to the warehouse's `quality` schema;
GX data docs built into the static site. See README.md beside this file.

`run_quality` and `QualityResult` are imported lazily, so importing the package (or its CLI) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.quality.runner import QualityCheckFailed, QualityError, QualityResult, run_quality

__all__ = ["QualityCheckFailed", "QualityError", "QualityResult", "run_quality"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pipelines.quality import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
