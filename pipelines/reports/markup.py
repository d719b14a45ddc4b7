"""HTML building blocks. Every text that reaches the page goes through ``esc`` (or ``json_script``)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

ASSETS = "assets"
# Defence in depth behind the escaping: no inline script or event handler runs, nothing loads from outside
# the site. Vega compiles its expressions with Function(), hence 'unsafe-eval' for the site's own scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'"
)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def tag(name: str, text: str = "", /, **attributes: Any) -> str:
    """``<name attr="...">text</name>`` with every attribute escaped; ``text`` must already be HTML."""
    rendered = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(value)}"' for key, value in attributes.items() if value is not None
    )
    return f"<{name}{rendered}>{text}</{name}>"


def json_script(element_id: str, data: Any) -> str:
    """Data for a script to read: JSON in a non-executed ``<script>``, with ``<``, ``>`` and ``&`` escaped
    so that no value (``</script><script>...``) can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


@dataclass(frozen=True)
class NavLink:
    href: str
    title: str
    current: bool = False


def layout(title: str, body: str, nav: list[NavLink], *, description: str = "") -> str:
    links = "".join(
        tag("a", esc(link.title), href=link.href, aria_current="page" if link.current else None) for link in nav
    )
    meta = f'<meta name="description" content="{esc(description)}">' if description else ""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}<title>{esc(title)} · TMDB warehouse reports</title>\n"
        f'<link rel="stylesheet" href="{ASSETS}/report.css">\n</head>\n<body>\n'
        f'<header class="site"><a class="brand" href="index.html">TMDB warehouse</a><nav>{links}</nav></header>\n'
        f"<main>\n{body}\n</main>\n"
        f'<script src="{ASSETS}/vega-bundle.js"></script>\n<script src="{ASSETS}/report.js"></script>\n'
        "</body>\n</html>\n"
    )


def notice(kind: str, text: str) -> str:
    return tag("div", esc(text), class_=f"notice notice-{kind}", role="note")
