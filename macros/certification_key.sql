{#- The key of dim_certification: country and rating, 'US:PG-13'; NULL when either is missing. -#}
{% macro certification_key(country_code, certification) -%}
    ({{ country_code }} || ':' || {{ certification }})
{%- endmacro %}
