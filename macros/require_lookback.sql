{#- Fail compilation when a lookback var is below what the model's windows read (results would differ
    between an incremental run and a full refresh). -#}
{% macro require_lookback(var_name, minimum) -%}
    {%- set value = var(var_name) | int -%}
    {%- if value < minimum -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " = " ~ value ~ " but " ~ model.name ~ " needs at least " ~ minimum ~ " days") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
