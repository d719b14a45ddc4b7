"""HTML: the page skeletons are Jinja2 templates (``templates/``, autoescaped), the components' fragments are built
with ``tag``. Every text that reaches the page goes through ``esc``, the templates' autoescape or ``json_script``."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

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


TEMPLATES = Environment(loader=PackageLoader("pipelines.reports"), autoescape=select_autoescape(["html"]))


def render_template(name: str, title: str, nav: list[NavLink], *, description: str = "", **context: Any) -> str:
    """A page from ``templates/<name>`` (which extends ``layout.html``); ``body`` in the context must be HTML."""
    if "body" in context:
        context["body"] = Markup(context["body"])
    return TEMPLATES.get_template(name).render(
        title=title,
        nav=nav,
        description=description,
        assets=ASSETS,
        content_security_policy=CONTENT_SECURITY_POLICY,
        **context,
    )


def layout(title: str, body: str, nav: list[NavLink], *, description: str = "") -> str:
    return render_template("layout.html", title, nav, description=description, body=body)


def notice(kind: str, text: str) -> str:
    return tag("div", esc(text), class_=f"notice notice-{kind}", role="note")
