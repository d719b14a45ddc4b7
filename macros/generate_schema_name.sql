{#-
    Use a model's custom schema (`+schema: staging`) as the schema name itself, not dbt's default
    `<target schema>_<custom schema>` (main_staging): the warehouse's schemas are raw, staging,
    intermediate, snapshots, marts. Without a custom schema, the target's schema (main).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
