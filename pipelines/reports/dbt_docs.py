"""dbt's documentation site next to the reports, as one self-contained page in ``<site>/dbt-docs/index.html``.

``dbt docs generate --static`` writes it as ``target/static_index.html``: dbt's ``index.html`` with
``manifest.json`` and ``catalog.json`` inlined where the page holds ``"MANIFEST.JSON INLINE DATA"`` and
``"CATALOG.JSON INLINE DATA"`` (dbt-core, task/docs/generate.py). A plain ``dbt docs generate`` leaves the
three files, and its page fetches the JSON files, which a browser refuses from ``file://``: from those the
same inlining is done here, so either kind of generate serves. `pipelines.transform.dbt_docs_generate` runs it.
"""

from __future__ import annotations

from pathlib import Path

STATIC_INDEX = "static_index.html"
_MANIFEST_SLOT = '"MANIFEST.JSON INLINE DATA"'
_CATALOG_SLOT = '"CATALOG.JSON INLINE DATA"'
SITE_FOLDER = "dbt-docs"


class DbtDocsError(RuntimeError):
    pass


def static_page(target_dir: Path) -> str:
    """The self-contained docs page from dbt's target folder (the latest generate's files first)."""
    parts = {name: target_dir / name for name in ("index.html", "manifest.json", "catalog.json")}
    if all(path.is_file() for path in parts.values()):
        page = parts["index.html"].read_text(encoding="utf-8")
        if _MANIFEST_SLOT in page and _CATALOG_SLOT in page:
            page = page.replace(_MANIFEST_SLOT, parts["manifest.json"].read_text(encoding="utf-8"))
            return page.replace(_CATALOG_SLOT, parts["catalog.json"].read_text(encoding="utf-8"))
    static = target_dir / STATIC_INDEX
    if static.is_file():
        return static.read_text(encoding="utf-8")
    raise DbtDocsError(f"no dbt docs in {target_dir}: run `dbt docs generate --static` first (or pass --with-dbt-docs)")


def copy_dbt_docs(target_dir: Path, out_dir: Path) -> Path:
    destination = out_dir / SITE_FOLDER / "index.html"
    page = static_page(target_dir)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(page, encoding="utf-8")
    return destination
