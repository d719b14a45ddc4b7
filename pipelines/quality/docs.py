"""GX data docs into the static site: built in a staging folder, made self-contained where GX points at its own
servers, then swapped into `<site_dir>/quality/` so a reader never sees a half-built folder.

GX's templates load the GX logo from GX's S3 bucket with a timestamp (and the context id) in the URL on every
page view; those references are rewritten to the logo GX ships in the site's own static/images/. The
JavaScript and CSS libraries (Bootstrap, jQuery, Vega) still come from public CDNs, as GX's templates have it;
GX's index lists the suites and validations with a script from such a CDN, so the index also gets a plain
list of links that works offline.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Collection
from pathlib import Path

DOCS_FOLDER = "quality"
LOCAL_LOGO = Path("static") / "images" / "logo-long.png"
_GX_ASSET = re.compile(r"https://great-expectations-web-assets\.s3[^\"')\s]*")


def staging_dir(site_dir: Path) -> Path:
    """Where GX builds the docs before `publish` moves them to `<site_dir>/quality` (emptied first)."""
    staging = site_dir / f".{DOCS_FOLDER}.building"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, site_dir: Path, failed_suites: Collection[str] = ()) -> Path:
    """Rewrite GX-hosted asset URLs to local files, add the plain links to the index (marking the suites in
    `failed_suites`), replace `<site_dir>/quality` with the staging folder; returns the docs' index.html."""
    _localize_assets(staging)
    _add_plain_links(staging / "index.html", set(failed_suites))
    return swap_in(staging, site_dir) / "index.html"


def swap_in(staging: Path, site_dir: Path) -> Path:
    """Replace `<site_dir>/quality` with the folder `staging`; returns the new folder."""
    target = site_dir / DOCS_FOLDER
    old = site_dir / f".{DOCS_FOLDER}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def _localize_assets(root: Path) -> None:
    logo = root / LOCAL_LOGO
    for page in (*root.rglob("*.html"), *root.rglob("*.css")):
        text = page.read_text(encoding="utf-8")
        relative = Path(os.path.relpath(logo, page.parent)).as_posix()
        rewritten = _GX_ASSET.sub(relative, text)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def _add_plain_links(index: Path, failed_suites: set[str]) -> None:
    """Prepend to GX's index a list of links to every suite and validation page, readable without scripts."""
    if not index.is_file():
        return
    root = index.parent
    sections = []
    for folder, title in (("validations", "Validation results of this run"), ("expectations", "Expectation suites")):
        pages = sorted((root / folder).rglob("*.html"))
        items = []
        for page in pages:
            label = _page_label(page, root)
            failed = folder == "validations" and label in failed_suites
            items.append(_link(page.relative_to(root).as_posix(), label + (" (failed)" if failed else "")))
        sections.append(f"<details><summary>{title} ({len(pages)})</summary><ul>{''.join(items)}</ul></details>")
    block = f'<nav class="quality-plain-links" style="margin: 1em">{"".join(sections)}</nav>'
    text = index.read_text(encoding="utf-8")
    index.write_text(re.sub(r"(<body[^>]*>)", lambda match: match.group(1) + block, text, count=1), encoding="utf-8")


def _link(href: str, label: str) -> str:
    return f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>'


def _page_label(page: Path, root: Path) -> str:
    """The suite's name: `expectations/raw/movie_details.html` and `validations/.../warehouse-raw.movie_details.html`
    are both `raw.movie_details`."""
    parts = page.relative_to(root).with_suffix("").parts
    return ".".join(parts[1:]) if parts[0] == "expectations" else page.stem.split("-", 1)[-1]
