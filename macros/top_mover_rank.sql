{#-
    The rank of a top mover (popularity_top_gainers, popularity_top_decliners): by week-over-week % change of the
    7-day average popularity in `order` ('desc': largest rises first; 'asc': largest falls first), ties broken by
    the day-over-day change in the same order (a movie without one last), then by movie id.
-#}
{% macro top_mover_rank(order) -%}
    {%- if order not in ('asc', 'desc') -%}
        {{ exceptions.raise_compiler_error("top_mover_rank: order must be 'asc' or 'desc', not " ~ order) }}
    {%- endif -%}
    cast(row_number() over (
        order by popularity_change_7d_pct {{ order }}, popularity_change_1d {{ order }} nulls last, movie_id
    ) as integer)
{%- endmacro %}
