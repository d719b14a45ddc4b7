"""Evidence's built-in value formats (``fmt=usd1m``, ``yFmt=pct1``) for tables, big values and chart axes.

Supported names: ``num0``-``num4``, ``usd``/``eur``/``gbp`` with 0-2 decimals, each optionally scaled
``k``/``m``/``b`` (``usd1m`` = $412.1m); ``pct``/``pct0``-``pct3`` (0.123 -> 12.3%); ``mult``/``mult0``-``mult2``
(5.3x); ``id`` (no separators); dates ``yyyy``, ``mmm``, ``mmmm``, ``ddd``, ``dddd``, ``shortdate``, ``longdate``,
``mdy``, ``dmy``, ``hms``. Excel-style codes are not supported: an unknown name is a build error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

_CURRENCIES = {"usd": "$", "eur": "€", "gbp": "£"}
_SCALES = {"": (1.0, ""), "k": (1e3, "k"), "m": (1e6, "M"), "b": (1e9, "B")}
_NUMBER = re.compile(r"(?P<kind>num|usd|eur|gbp)(?P<decimals>[0-4])?(?P<scale>[kmb])?")
_PCT = re.compile(r"pct(?P<decimals>[0-3])?")
_MULT = re.compile(r"mult(?P<decimals>[0-2])?")
# name -> (strftime for tables, d3 time format for chart axes)
_DATES = {
    "yyyy": ("%Y", "%Y"),
    "mmm": ("%b", "%b"),
    "mmmm": ("%B", "%B"),
    "ddd": ("%a", "%a"),
    "dddd": ("%A", "%A"),
    "shortdate": ("%b %-d/%y", "%b %-d/%y"),
    "longdate": ("%B %-d, %Y", "%B %-d, %Y"),
    "mdy": ("%-m/%-d/%y", "%-m/%-d/%y"),
    "dmy": ("%-d/%-m/%y", "%-d/%-m/%y"),
    "hms": ("%-I:%M:%S %p", "%-I:%M:%S %p"),
}


@dataclass(frozen=True)
class Format:
    """A parsed format: how to print one value, and the matching Vega-Lite axis properties."""

    prefix: str = ""
    suffix: str = ""
    decimals: int | None = None  # None: automatic (up to 2, trailing zeros trimmed)
    scale: float = 1.0
    separators: bool = True
    date: str | None = None  # strftime pattern
    d3_time: str | None = None

    def __call__(self, value: Any) -> str:
        return format_value(value, self)

    def axis(self) -> dict[str, Any]:
        """Axis/legend properties: a d3 format, or a label expression where d3 has no such format (12.3M, €5)."""
        if self.d3_time:
            return {"format": self.d3_time, "formatType": "time"}
        if self.suffix == "%":
            return {"format": f".{self.decimals or 0}%"}
        spec = f"{',' if self.separators else ''}{'~f' if self.decimals is None else f'.{self.decimals}f'}"
        if not (self.prefix or self.suffix or self.scale != 1.0):
            return {"format": spec}
        return {"labelExpr": f"'{self.prefix}' + format(datum.value / {self.scale:g}, '{spec}') + '{self.suffix}'"}


AUTO = Format()
PLAIN = Format(separators=False)


def parse_format(name: str | None) -> Format | None:
    """The format called ``name``; None when no format was asked for. Raises ValueError for unknown names."""
    if name is None:
        return None
    key = name.strip().lower()
    if key == "id":
        return PLAIN
    if key in _DATES:
        strftime, d3 = _DATES[key]
        return Format(date=strftime, d3_time=d3)
    if match := _NUMBER.fullmatch(key):
        factor, unit = _SCALES[match.group("scale") or ""]
        decimals = match.group("decimals")
        prefix = _CURRENCIES.get(match.group("kind"), "")
        default = 0 if prefix and not unit else None
        return Format(prefix=prefix, suffix=unit, decimals=int(decimals) if decimals else default, scale=factor)
    if match := _PCT.fullmatch(key):
        return Format(suffix="%", scale=0.01, decimals=int(match.group("decimals") or 0))
    if match := _MULT.fullmatch(key):
        return Format(suffix="x", decimals=int(match.group("decimals") or 1))
    raise ValueError(
        f"unknown format {name!r} (supported: num0-4, usd/eur/gbp[0-2][k|m|b], pct[0-3], mult[0-2], id, "
        f"{', '.join(_DATES)})"
    )


def default_format(column: str, duckdb_type: str = "") -> Format:
    """No fmt given: integers get thousands separators, except years and ids (2017, not 2,017)."""
    name = column.lower()
    if name in ("year", "id") or name.endswith(("_year", "_id")):
        return PLAIN
    return AUTO


def format_value(value: Any, fmt: Format) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dt.date | dt.datetime):
        if fmt.date:
            return value.strftime(fmt.date)
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return _number(float(value) if isinstance(value, Decimal) else value, fmt)
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item, fmt) for item in value)
    return str(value)


def _number(value: float | int, fmt: Format) -> str:
    scaled = value / fmt.scale
    comma = "," if fmt.separators else ""
    if fmt.decimals is not None:
        text = f"{scaled:{comma}.{fmt.decimals}f}"
    elif isinstance(scaled, int):
        text = f"{scaled:{comma}d}"
    else:
        text = f"{scaled:{comma}.2f}".rstrip("0").rstrip(".") if abs(scaled) < 1e15 else f"{scaled:.3g}"
    sign = ""
    if text.startswith("-") and fmt.prefix:
        sign, text = "-", text[1:]
    return f"{sign}{fmt.prefix}{text}{fmt.suffix}"
