"""Build errors: every one names the page, the query or component, and the line in the page file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportError(Exception):
    """One problem in one page: ``page:line: query 'name': message``."""

    page: str
    line: int
    message: str
    query: str | None = None
    component: str | None = None

    def __str__(self) -> str:
        where = f"query '{self.query}'" if self.query else f"<{self.component}>" if self.component else "page"
        return f"{self.page}:{self.line}: {where}: {self.message}"


class SiteBuildError(Exception):
    """The site was not written: one or more pages have errors (all of them are listed)."""

    def __init__(self, errors: list[ReportError]) -> None:
        self.errors = errors
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"{len(errors)} report {noun}:\n" + "\n".join(f"  {error}" for error in errors))
