{#- Column cleaning shared by the staging models. -#}

{#- An empty or blank string is no value: NULL. -#}
{% macro empty_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- TMDB sends 0 for an unknown amount (budget, revenue, runtime): NULL. -#}
{% macro zero_to_null(column) -%}
    nullif({{ column }}, 0)
{%- endmacro %}

{#- A TMDB date string ('2009-12-10', '' or NULL) as a DATE; anything unparsable is NULL. -#}
{% macro tmdb_date(column) -%}
    try_cast(nullif(trim({{ column }}), '') as date)
{%- endmacro %}

{#- The code of the explicit "unknown" member of dim_language and dim_country. -#}
{% macro unknown_member_code() -%}
    'unknown'
{%- endmacro %}

{#- The unknown member's columns (code, name 'Unknown', no native name, not in TMDB's list) in dim_language and dim_country. -#}
{% macro unknown_member() -%}
    {{ unknown_member_code() }}, 'Unknown', cast(null as {{ dbt.type_string() }}), false
{%- endmacro %}

{#-
    `code` when TMDB's own reference list (`codes`: a relation, `code_column` its code) lists it, else the
    unknown member: a code TMDB does not list, or NULL, never breaks a relationship to the dims.
-#}
{% macro listed_code_or_unknown(code, codes, code_column) -%}
    coalesce(
        (select any_value({{ code_column }}) from {{ codes }} where {{ code_column }} = {{ code }}),
        {{ unknown_member_code() }}
    )
{%- endmacro %}
