{#
    dlt creates a raw table only once data was loaded into it: `movie_tombstones` appears with the first
    deleted movie. Select from the source when it exists, else from an empty relation with the given columns,
    so that a young warehouse builds; the source stays referenced, so lineage and docs are unchanged.
    `columns`: a mapping of column name -> SQL type.
#}
{% macro source_or_empty(source_name, table_name, columns) %}
    {%- set relation = source(source_name, table_name) -%}
    {#- in a unit test the source is the fixture's CTE: select from it -#}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) if execute and '__dbt__cte__' not in (relation | string) else relation -%}
    {%- if existing is none -%}
        select
            {%- for name, type in columns.items() %}
            cast(null as {{ type }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
            {%- endfor %}
        where false
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{% endmacro %}
