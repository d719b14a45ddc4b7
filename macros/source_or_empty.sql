{#
    dlt creates a raw table only once data was loaded into it: `movie_tombstones` appears with the first
    deleted movie. Select from the source when it exists, else from an empty relation with the given columns,
    so that a young warehouse builds; the source stays referenced, so lineage and docs are unchanged.
    `columns`: a mapping of column name -> SQL type (DuckDB's names; macro portable_type spells them for Spark).
#}
{% macro source_or_empty(source_name, table_name, columns) %}
    {{- relation_or_empty(source(source_name, table_name), columns) -}}
{% endmacro %}

{#
    The same for a model that may not be built on every engine: `movie_moods` is a Python model calling a local
    LLM, which local Spark does not run (README, "What runs where"); a model reading it gets an empty relation
    there, and the table wherever it exists (DuckDB, Databricks).
#}
{% macro ref_or_empty(model_name, columns) %}
    {{- relation_or_empty(ref(model_name), columns) -}}
{% endmacro %}

{% macro relation_or_empty(relation, columns) %}
    {#- a unit test's fixture is a CTE, not a relation to look up -#}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) if execute and '__dbt__cte__' not in (relation | string) else relation -%}
    {%- if existing is none -%}
        select
            {%- for name, type in columns.items() %}
            cast(null as {{ portable_type(type) }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
            {%- endfor %}
        where false
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{% endmacro %}
