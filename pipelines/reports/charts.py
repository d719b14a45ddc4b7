"""Vega-Lite specifications for Evidence's chart components.

Data go into the spec inline (``data.values``), so a page needs no server and no data file. Tooltip texts
are formatted here, with the same formats as tables, into ``__tipN`` fields. Vega draws every text as SVG
text or through its tooltip handler, which escapes HTML: values from TMDB never become markup.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pipelines.reports.formatting import Format, default_format, format_value, parse_format
from pipelines.reports.page import Component
from pipelines.reports.readonly_warehouse import Result, json_value

Spec = dict[str, Any]
_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "REAL",
    "DECIMAL",
)
_TEMPORAL = ("DATE", "TIMESTAMP")
HEIGHT = 260
_HEATMAP_LABELS_MAX_CELLS = 150


def chart_spec(component: Component, result: Result) -> Spec:
    return BUILDERS[component.name](component, result)


def columns_of(value: Any) -> list[str]:
    """A column prop (``y=col`` or ``y={['a', 'b']}``) as a list of column names."""
    if value is None or value is True:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def field_type(result: Result, column: str) -> str:
    kind = result.type_of(column).upper()
    if kind.startswith(_NUMERIC):
        return "quantitative"
    if kind.startswith(_TEMPORAL):
        return "temporal"
    return "nominal"


def _field(column: str) -> str:
    """Vega-Lite reads dots and brackets in a field name as nested access: escape them."""
    return column.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _format(component: Component, prop: str, column: str, result: Result) -> Format:
    return parse_format(_str(component.props.get(prop))) or default_format(column, result.type_of(column))


def _str(value: Any) -> str | None:
    return None if value is None or value is True else str(value)


def _title(component: Component, prop: str, column: str) -> str:
    value = component.props.get(prop)
    if value is False:
        return ""
    return str(value) if isinstance(value, str) else column.replace("_", " ").capitalize()


def _axis(component: Component, fmt_prop: str, title_prop: str, column: str, result: Result, **extra: Any) -> Spec:
    fmt = _str(component.props.get(fmt_prop))
    kind = field_type(result, column)
    axis: Spec = {"title": _title(component, title_prop, column), **extra}
    if kind == "temporal":
        axis.update(
            {"format": parse_format(fmt).d3_time, "formatType": "utc"} if fmt and parse_format(fmt).d3_time else {}
        )
    elif kind == "quantitative":
        axis.update(_format(component, fmt_prop, column, result).axis())
    return axis


def _encoding(component: Component, result: Result, column: str, channel: str, *, nominal: bool = False) -> Spec:
    kind = "ordinal" if nominal else field_type(result, column)
    encoding: Spec = {
        "field": _field(column),
        "type": kind,
        "axis": _axis(component, f"{channel}Fmt", f"{channel}AxisTitle", column, result, labelLimit=220),
    }
    if kind == "temporal":
        encoding["scale"] = {"type": "utc"}
        if result.type_of(column).upper() == "DATE":
            encoding["axis"]["tickMinStep"] = 86_400_000  # a day in ms: no hour ticks between dates
    if nominal:
        encoding["sort"] = None  # keep the query's order
    return encoding


def _data(component: Component, result: Result, columns: list[str], tooltip: list[tuple[str, str]]) -> Spec:
    """Inline values: the needed columns, plus one formatted text per tooltip column (``__tipN``)."""
    needed = list(dict.fromkeys(columns))
    formats = {column: _format(component, prop, column, result) for column, prop in _unique(tooltip)}
    indexes = {column: result.columns.index(column) for column in dict.fromkeys(needed + list(formats))}
    values = []
    for row in result.rows:
        record = {column: json_value(row[indexes[column]]) for column in needed}
        for number, (column, fmt) in enumerate(formats.items()):
            record[f"__tip{number}"] = format_value(row[indexes[column]], fmt)
        values.append(record)
    return {"values": values}


def _unique(tips: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tooltip columns, each once (the first format asked for wins)."""
    unique: dict[str, tuple[str, str]] = {}
    for column, prop in tips:
        unique.setdefault(column, (column, prop))
    return list(unique.values())


def _tooltip(tips: list[tuple[str, str]]) -> list[Spec]:
    return [
        {"field": f"__tip{number}", "type": "nominal", "title": column}
        for number, (column, _prop) in enumerate(_unique(tips))
    ]


def _base(component: Component, height: int = HEIGHT) -> Spec:
    chart_height = component.props.get("chartAreaHeight")
    return {
        "width": "container",
        "height": int(chart_height)
        if isinstance(chart_height, int | float | str) and str(chart_height).isdigit()
        else height,
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {
            "view": {"stroke": None},
            "font": "system-ui, -apple-system, Segoe UI, sans-serif",
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
            "legend": {"orient": "top", "title": None},
        },
    }


def _color(column: str | None, result: Result) -> Spec:
    return {"color": {"field": _field(column), "type": "nominal", "sort": None}} if column else {}


def _values(
    component: Component, result: Result, x: Spec, ys: list[str], series: str | None, tips: list[tuple[str, str]]
) -> tuple[Spec, Spec, str | None, list[Spec], list[Spec]]:
    """The value channel, color, grouping field, tooltip and transforms; several ``y`` columns are folded
    into one ``value`` column with the column names as the series (Evidence's ``y={['a', 'b']}``)."""
    if len(ys) == 1:
        return _encoding(component, result, ys[0], "y"), _color(series, result), series, _tooltip(tips), []
    axis = _axis(component, "yFmt", "yAxisTitle", ys[0], result)
    axis["title"] = _str(component.props.get("yAxisTitle")) or ""
    tooltip = [
        {"field": x["field"], "type": x["type"], "title": x["axis"]["title"] or x["field"]},
        {"field": "series", "type": "nominal"},
        {"field": "value", "type": "quantitative", "format": ",.2~f"},
    ]
    return (
        {"field": "value", "type": "quantitative", "axis": axis},
        {"color": {"field": "series", "type": "nominal", "sort": ys}},
        "series",
        tooltip,
        [{"fold": ys, "as": ["series", "value"]}],
    )


def _tips(x: str, ys: list[str], series: str | None) -> list[tuple[str, str]]:
    return [(x, "xFmt"), *[(y, "yFmt") for y in ys], *([(series, "")] if series else [])]


def line_chart(component: Component, result: Result) -> Spec:
    x, ys, series = _xy_series(component)
    spec = _base(component)
    tips = _tips(x, ys, series)
    spec["data"] = _data(component, result, [x, *ys, *([series] if series else [])], tips)
    x_encoding = _encoding(component, result, x, "x", nominal=field_type(result, x) == "nominal")
    value, color, _group, tooltip, spec["transform"] = _values(component, result, x_encoding, ys, series, tips)
    spec["encoding"] = {"x": x_encoding, "y": value, **color, "tooltip": tooltip}
    spec["mark"] = {"type": "line", "point": len(result.rows) <= 60}
    return spec


def bar_chart(component: Component, result: Result) -> Spec:
    x, ys, series = _xy_series(component)
    horizontal = component.props.get("swapXY") is True
    labels = [str(label) for label in dict.fromkeys(result.column(x))]
    spec = _base(component, max(HEIGHT, 22 * len(labels)) if horizontal else HEIGHT)
    tips = _tips(x, ys, series)
    spec["data"] = _data(component, result, [x, *ys, *([series] if series else [])], tips)
    category = _encoding(component, result, x, "x", nominal=True)
    value, color, group, tooltip, spec["transform"] = _values(component, result, category, ys, series, tips)
    bar_type = component.props.get("type", "stacked")
    if bar_type == "stacked100":
        value["stack"] = "normalize"
        value["axis"] = {key: item for key, item in value.get("axis", {}).items() if key != "labelExpr"}
        value["axis"]["format"] = ".0%"
    offset = (
        {"yOffset" if horizontal else "xOffset": {"field": group, "sort": None}}
        if group and bar_type == "grouped"
        else {}
    )
    if horizontal:
        category["axis"]["title"] = category["axis"]["title"] if "xAxisTitle" in component.props else None
        spec["encoding"] = {"y": category, "x": value, **color, **offset, "tooltip": tooltip}
    else:
        short = len(labels) <= 12 and max((len(label) for label in labels), default=0) <= 12
        category["axis"]["labelAngle"] = 0 if short else -45
        spec["encoding"] = {"x": category, "y": value, **color, **offset, "tooltip": tooltip}
    spec["mark"] = {"type": "bar", "cornerRadiusEnd": 2}
    return spec


def scatter_plot(component: Component, result: Result) -> Spec:
    x, ys, series = _xy_series(component)
    size, label = _str(component.props.get("size")), _str(component.props.get("tooltipTitle"))
    spec = _base(component)
    tips = [
        *([(label, "")] if label else []),
        (x, "xFmt"),
        (ys[0], "yFmt"),
        *([(series, "")] if series else []),
        *([(size, "sizeFmt")] if size else []),
    ]
    spec["data"] = _data(component, result, [x, ys[0], *[c for c in (series, size) if c]], tips)
    spec["encoding"] = {
        "x": {**_encoding(component, result, x, "x"), "scale": {"zero": False}},
        "y": {**_encoding(component, result, ys[0], "y"), "scale": {"zero": False}},
        **_color(series, result),
        **({"size": {"field": _field(size), "type": "quantitative", "legend": None}} if size else {}),
        "tooltip": _tooltip(tips),
    }
    if field_type(result, x) == "temporal":
        spec["encoding"]["x"]["scale"] = {"type": "utc"}
    spec["mark"] = {"type": "point", "filled": True, "opacity": 0.65}
    return spec


def histogram(component: Component, result: Result) -> Spec:
    x = str(component.props["x"])
    spec = _base(component)
    spec["data"] = _data(component, result, [x], [])
    x_encoding = _encoding(component, result, x, "x")
    x_encoding.update({"bin": {"maxbins": 30}, "type": "quantitative"})
    count_title = _str(component.props.get("yAxisTitle")) or "Count"
    spec["encoding"] = {
        "x": x_encoding,
        "y": {"aggregate": "count", "type": "quantitative", "axis": {"title": count_title}},
        "tooltip": [
            {"field": _field(x), "bin": {"maxbins": 30}, "type": "quantitative", "title": x},
            {"aggregate": "count", "type": "quantitative", "title": count_title},
        ],
    }
    spec["mark"] = {"type": "bar", "binSpacing": 1}
    return spec


def heatmap(component: Component, result: Result) -> Spec:
    x, y, value = (str(component.props[key]) for key in ("x", "y", "value"))
    spec = _base(component, max(HEIGHT, 30 * len(dict.fromkeys(result.column(y)))))
    tips = [(x, "xFmt"), (y, "yFmt"), (value, "valueFmt")]
    sort_columns = [c for c in (_str(component.props.get("xSort")), _str(component.props.get("ySort"))) if c]
    spec["data"] = _data(component, result, [x, y, value, *sort_columns], tips)
    spec["encoding"] = {
        "x": {**_encoding(component, result, x, "x", nominal=True)},
        "y": {**_encoding(component, result, y, "y", nominal=True)},
    }
    spec["encoding"]["x"]["axis"].update({"orient": "top", "labelAngle": -40})
    spec["encoding"]["x"]["sort"] = _heatmap_sort(component, "x", default=None)
    spec["encoding"]["y"]["sort"] = _heatmap_sort(component, "y", default="ascending")
    numbers = [float(v) for v in result.column(value) if isinstance(v, int | float | Decimal) and math.isfinite(v)]
    layers: list[Spec] = [
        {
            "mark": "rect",
            "encoding": {
                "color": {
                    "field": _field(value),
                    "type": "quantitative",
                    "scale": {"scheme": "blues"},
                    "legend": {"title": value, **_format(component, "valueFmt", value, result).axis()},
                },
                "tooltip": _tooltip(tips),
            },
        }
    ]
    if len(result.rows) <= _HEATMAP_LABELS_MAX_CELLS and component.props.get("valueLabels") is not False and numbers:
        middle = (min(numbers) + max(numbers)) / 2
        layers.append(
            {
                "mark": {"type": "text", "fontSize": 10},
                "encoding": {
                    "text": {"field": "__tip2", "type": "nominal"},
                    "color": {
                        "condition": {"test": f"datum[{json.dumps(value)}] > {middle}", "value": "white"},
                        "value": "#1f2937",
                    },
                },
            }
        )
    spec["layer"] = layers
    return spec


def _heatmap_sort(component: Component, axis: str, default: str | None) -> Any:
    """Evidence's ``xSort``/``ySort`` (a column to order by) and ``xSortOrder``/``ySortOrder`` (asc, desc):
    by default x keeps the query's order and y is ascending."""
    column = _str(component.props.get(f"{axis}Sort"))
    order = "descending" if component.props.get(f"{axis}SortOrder") == "desc" else "ascending"
    if column:
        return {"field": _field(column), "op": "min", "order": order}
    return order if f"{axis}SortOrder" in component.props else default


def _xy_series(component: Component) -> tuple[str, list[str], str | None]:
    return str(component.props["x"]), columns_of(component.props.get("y")), _str(component.props.get("series"))


BUILDERS: dict[str, Callable[[Component, Result], Spec]] = {
    "LineChart": line_chart,
    "BarChart": bar_chart,
    "ScatterPlot": scatter_plot,
    "Histogram": histogram,
    "Heatmap": heatmap,
}
