{#-
    The `data_issues` column of a row: the names of the checks whose condition is true, as a list (empty
    when none). Facts about TMDB's data (a code its list lacks, no genres, a vote count that went down) are
    flagged on the row this way and counted as warnings, never errors (README, "Test policy").
    `checks`: a list of (issue name, SQL condition) pairs.
-#}
{% macro data_issues(checks) -%}
    {{ return(adapter.dispatch('data_issues')(checks)) }}
{%- endmacro %}

{% macro default__data_issues(checks) -%}
    list_filter([
        {%- for name, condition in checks %}
        case when {{ condition }} then '{{ name }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ], lambda issue: issue is not null)
{%- endmacro %}

{#- array_compact, not filter with a lambda: Spark allows no subquery (a check's `in (select ...)`) in a lambda -#}
{% macro spark__data_issues(checks) -%}
    array_compact(array(
        {%- for name, condition in checks %}
        case when {{ condition }} then '{{ name }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
