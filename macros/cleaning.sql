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
