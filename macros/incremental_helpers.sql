{#-
    Helpers for the incremental models. They run queries at execution time (`execute`), so the values come
    back into the compiled SQL as literals: DuckDB prunes row groups on literal filters (zone maps), which
    keeps a day's increment from scanning the whole history.

    The watermark is dlt's `_dlt_load_id` (a unix timestamp as text, same length until 2286, so text order
    is time order): every raw row carries the load that last wrote it, and re-running an ingestion day gives
    its rows a new load id. A model stores the load id of its input rows; rows loaded after the largest one
    it holds are new, and the days they belong to are the days to (re)compute.
-#}

{#- The largest value of `column` in this model's table (none when empty, or when not executing). -#}
{% macro incremental_watermark(column) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query("select max(" ~ column ~ ") from " ~ this) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{#- The distinct values of `day_column` in `relation` among rows with `load_column` > watermark, sorted. -#}
{% macro days_loaded_after(relation, load_column, day_column, watermark) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set sql -%}
        select distinct {{ day_column }} from {{ relation }}
        {%- if watermark is not none %} where {{ load_column }} > '{{ watermark }}'{% endif %}
        order by 1
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro %}

{#- The earliest `day_column` in `relation` among rows loaded after the watermark (none when nothing new). -#}
{% macro first_day_loaded_after(relation, load_column, day_column, watermark) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set sql -%}
        select min({{ day_column }}) from {{ relation }}
        {%- if watermark is not none %} where {{ load_column }} > '{{ watermark }}'{% endif %}
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values()[0]) }}
{%- endmacro %}

{#- A SQL list of date literals, or a list that matches nothing. -#}
{% macro date_literals(days) -%}
    {%- if days | length == 0 -%}
        (cast(null as date))
    {%- else -%}
        ({% for day in days %}date '{{ day }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}
