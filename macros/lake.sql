{#-
    The raw layer on engines that read the lake (README, "When one machine is not enough"): every table folder of
    the lake's raw dataset that holds parquet files (`ingest --destination lake`, pipelines/lake.py) becomes an
    external parquet table of the raw schema, re-declared at each run start so that the columns of newer files
    count (mergeSchema). The source `tmdb` then reads them as on DuckDB. On DuckDB the raw tables are dlt's own:
    nothing to do. The lake: $TMDB_LAKE_URL (a folder or a URL Spark reads), default warehouse/lake.
-#}
{% macro create_lake_tables() -%}
    {{ return(adapter.dispatch('create_lake_tables')()) }}
{%- endmacro %}

{% macro default__create_lake_tables() -%}
    select 1 as nothing_to_declare
{%- endmacro %}

{% macro spark__create_lake_tables() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set schema = var('tmdb_raw_schema', 'raw') -%}
    {%- set folder = env_var('TMDB_LAKE_URL', 'warehouse/lake').rstrip('/') ~ '/' ~ schema -%}
    {#- binaryFile lists the files without reading them (only `path` is selected) -#}
    {%- set listing -%}
        select distinct regexp_extract(path, '/([^/]+)/[^/]+[.]parquet$', 1) as table_name
        from binaryFile.`{{ folder }}/*/*.parquet`
        order by 1
    {%- endset -%}
    {%- set tables = run_query(listing).columns[0].values() | list -%}
    {%- if not tables -%}
        {{ exceptions.raise_compiler_error("the lake " ~ folder ~ " holds no parquet table: run `tmdb-warehouse ingest --destination lake` first (TMDB_LAKE_URL names the lake)") }}
    {%- endif -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for table in tables -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
        {%- do run_query('create table ' ~ schema ~ '.' ~ table ~ " using parquet options (path '" ~ folder ~ '/' ~ table ~ "', mergeSchema 'true')") -%}
    {%- endfor -%}
    {{ log("lake: " ~ tables | length ~ " raw tables declared over " ~ folder, info=true) }}
    select 1 as lake_tables_declared
{%- endmacro %}
