{#-
    Helpers of the whole-catalog models (models/marts/catalog), over TMDB's daily ID exports.

    catalog_first_day_to_recompute(source_name, table_name): on an increment, the earliest export day with raw rows
    of the export table (default: the movie export; fct_person_popularity_daily passes the person export's)
    loaded after the newest load the model holds (none when nothing is new, or when the raw table does not exist
    yet). It reads the raw table, not the staging view: a filter on the load id cannot pass staging's
    deduplication window, while on the raw table DuckDB prunes the row groups older than the watermark.
-#}
{% macro catalog_first_day_to_recompute(source_name='tmdb_exports', table_name='movie_catalog_daily') -%}
    {%- if not execute or not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}{{ return(none) }}{%- endif -%}
    {%- set watermark = incremental_watermark('load_id') -%}
    {{ return(first_day_loaded_after(relation, '_dlt_load_id', 'export_date', watermark)) }}
{%- endmacro %}

{#-
    The latest value of `day_column` in `relation` as a literal date (DuckDB prunes row groups on a literal, not on
    a scalar subquery), or the subquery itself when there is no database to ask (parsing, or a unit test, where
    `relation` is a fixture CTE).
-#}
{% macro catalog_latest_day(relation, day_column) -%}
    {%- set subquery = "(select max(" ~ day_column ~ ") from " ~ relation ~ ")" -%}
    {%- if not execute or '__dbt__cte__' in (relation | string) -%}{{ return(subquery) }}{%- endif -%}
    {%- set value = run_query("select cast(max(" ~ day_column ~ ") as " ~ dbt.type_string() ~ ") from " ~ relation).columns[0].values()[0] -%}
    {{ return("date '" ~ value ~ "'" if value else subquery) }}
{%- endmacro %}
