"""Static reports: Evidence-format markdown pages rendered against the warehouse into an offline HTML site."""

from pipelines.reports.errors import ReportError, SiteBuildError
from pipelines.reports.site_builder import PageResult, SiteResult, build_site

__all__ = ["PageResult", "ReportError", "SiteBuildError", "SiteResult", "build_site"]
