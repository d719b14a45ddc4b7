"""The site's static files: our stylesheet and script, and the charting library vendored from its package.

The charting library is Vega-Lite (with Vega and vega-embed), taken from the ``vl-convert-python`` wheel:
``vl_convert.javascript_bundle()`` returns the three libraries bundled into one classic script that
defines ``window.vegaEmbed``, built from the copies embedded in the wheel with no network. A classic
script (not an ES module) is what Chromium runs from ``file://``, so the site opens from disk.
"""

from __future__ import annotations

import shutil
from functools import cache
from importlib import resources
from pathlib import Path

import vl_convert

from pipelines.reports.markup import ASSETS

VEGA_BUNDLE = "vega-bundle.js"


@cache
def vega_bundle() -> str:
    """The bundle (about 0.9 MB, ~2 s to build): built once per process."""
    versions = (
        f"Vega {vl_convert.get_vega_version()}, Vega-Lite {vl_convert.get_vegalite_versions()[-1]}, "
        f"vega-embed {vl_convert.get_vega_embed_version()} (BSD-3-Clause, https://vega.github.io), "
        "bundled by vl-convert-python"
    )
    return f"/* {versions} */\n{vl_convert.javascript_bundle()}"


def write_assets(out_dir: Path) -> None:
    assets = out_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    static = resources.files("pipelines.reports") / "static"
    for name in ("report.css", "report.js"):
        with resources.as_file(static / name) as source:
            shutil.copyfile(source, assets / name)
    (assets / VEGA_BUNDLE).write_text(vega_bundle(), encoding="utf-8")
