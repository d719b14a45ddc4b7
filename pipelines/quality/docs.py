"""GX data docs into the static site: built in a staging folder, made self-contained, then swapped into
`<site_dir>/quality/` so a reader never sees a half-built folder.

Self-contained: GX's templates load the GX logo from GX's S3 bucket with a timestamp (and the context id) in the
URL on every page view; those references are rewritten to the logo GX ships in the site's own static/images/.
They load Bootstrap, bootstrap-table (and its filter-control extension), bootstrap-datepicker, Popper, jQuery,
Font Awesome and Vega from public CDNs: each of those URLs is rewritten to a copy in the site's
static/vendor/, taken from the npm packages of `web/package.json` (the versions GX's templates name; `make
install` runs `npm ci` there) and, for Vega, Vega-Lite and vega-embed, from the same PyPI wheel as the reports
(one bundle). The pages then work offline from file://. GX's index also gets a plain list of links, readable
without scripts.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from collections.abc import Collection
from functools import partial
from pathlib import Path

log = logging.getLogger(__name__)

DOCS_FOLDER = "quality"
LOCAL_LOGO = Path("static") / "images" / "logo-long.png"
_GX_ASSET = re.compile(r"https://great-expectations-web-assets\.s3[^\"')\s]*")
# GX's favicon link climbs one folder too few on validation pages (a broken link, an error in the console)
FAVICON = Path("static") / "images" / "favicon.ico"
_FAVICON = re.compile(r"(?<=[\"'])(?:\.\.?/)*static/images/favicon\.ico(?=[\"'])")

NODE_MODULES = Path(__file__).resolve().parent / "web" / "node_modules"
VENDOR = Path("static") / "vendor"
VEGA = "vega-bundle.js"  # Vega, Vega-Lite and vega-embed in one script (pipelines.reports.assets)
# Each CDN URL of GX's templates (great_expectations/render/view/templates) -> its copy: a file of an npm package
# of web/package.json (its path under node_modules), VEGA, or None when another copy already brings it.
CDN_COPIES: dict[str, str | None] = {
    "https://cdn.jsdelivr.net/npm/vega@5": VEGA,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free/css/all.min.css"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/dist/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css"
    ),
}
# Font Awesome's stylesheet loads its fonts from ../webfonts/ (woff2 first: Chromium and every current browser
# never fetch the ttf fallbacks, so only the woff2 files are copied).
FONT_FOLDERS = {"@fortawesome/fontawesome-free/css/all.min.css": ("../webfonts", "*.woff2")}
_TAG = re.compile(r"<(script|link)\b[^>]*>(?:\s*</script>)?", re.IGNORECASE)
_TAG_URL = re.compile(r"""\b(?:src|href)=["'](https?://[^"']+)["']""", re.IGNORECASE)
_SRI = re.compile(r"""\s+(?:integrity|crossorigin)=["'][^"']*["']""", re.IGNORECASE)


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
    copies = _copy_libraries(root)
    for page in (*root.rglob("*.html"), *root.rglob("*.css")):
        text = page.read_text(encoding="utf-8")
        relative = Path(os.path.relpath(logo, page.parent)).as_posix()
        rewritten = _GX_ASSET.sub(relative, text)
        rewritten = _FAVICON.sub(Path(os.path.relpath(root / FAVICON, page.parent)).as_posix(), rewritten)
        if copies is not None and page.suffix == ".html":
            rewritten = _TAG.sub(partial(_local_tag, folder=page.parent, copies=copies), rewritten)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def _copy_libraries(root: Path) -> dict[str, Path | None] | None:
    """Copy the libraries of CDN_COPIES into `root`/static/vendor; return each CDN URL's copy (None: drop the tag),
    or None (the pages keep the CDN URLs, with a warning) when the npm packages are not installed."""
    packaged = {name for name in CDN_COPIES.values() if name is not None and name != VEGA}
    missing = sorted(name for name in packaged if not (NODE_MODULES / name).is_file())
    if missing:
        log.warning(
            "the GX data docs will load their libraries from CDNs: %s is missing from %s (run `make install`)",
            missing[0],
            NODE_MODULES,
        )
        return None
    from pipelines.reports.assets import vega_bundle  # the wheel the reports vendor Vega from

    vendor = root / VENDOR
    copies: dict[str, Path | None] = {}
    for url, name in CDN_COPIES.items():
        if name is None:
            copies[url] = None
            continue
        target = vendor / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name == VEGA:
            target.write_text(vega_bundle(), encoding="utf-8")
        else:
            shutil.copyfile(NODE_MODULES / name, target)
        if name in FONT_FOLDERS:
            folder, pattern = FONT_FOLDERS[name]
            (target.parent / folder).mkdir(parents=True, exist_ok=True)
            for font in ((NODE_MODULES / name).parent / folder).glob(pattern):
                shutil.copyfile(font, target.parent / folder / font.name)
        copies[url] = target
    return copies


def _local_tag(match: re.Match[str], folder: Path, copies: dict[str, Path | None]) -> str:
    """A <script> or <link> tag loading a CDN URL of `copies`, loading the local copy instead (without the
    integrity and crossorigin attributes, which file:// can't satisfy), or dropped when its copy is None."""
    tag = match.group(0)
    found = _TAG_URL.search(tag)
    if found is None or found.group(1) not in copies:
        return tag
    copy = copies[found.group(1)]
    if copy is None:
        return ""
    local = Path(os.path.relpath(copy, folder)).as_posix()
    return _SRI.sub("", tag.replace(found.group(1), local))


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
