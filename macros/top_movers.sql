{#
    The top movers of the latest ingestion day by week-over-week % change of the 7-day average popularity:
    direction 'gaining' (largest rises first) or 'declining' (largest falls first). Serves
    popularity_top_gainers and popularity_top_decliners.
#}
{% macro top_movers(direction) %}
    {%- if direction not in ('gaining', 'declining') -%}
        {{ exceptions.raise_compiler_error("top_movers: direction must be 'gaining' or 'declining', not " ~ direction) }}
    {%- endif -%}
    {%- set order = 'desc' if direction == 'gaining' else 'asc' -%}
with

latest as (

    select * from {{ ref('popularity_momentum_latest') }}

),

ranked as (

    select
        cast(row_number() over (
            order by popularity_change_7d_pct {{ order }}, popularity_change_1d {{ order }} nulls last, movie_id
        ) as integer) as rank,
        movie_id,
        title,
        last_observed_on as snapshot_date,
        popularity,
        popularity_avg_7d,
        popularity_change_7d_pct,
        popularity_change_1d,
        trend_class,

    from latest
    where is_observed_on_latest_day
      and popularity_change_7d_pct {{ '>' if direction == 'gaining' else '<' }} 0

)

select * from ranked
where rank <= {{ var('top_movers_limit') }}
{% endmacro %}
