{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='snapshot_date',
        on_schema_change='fail',
    )
}}

{#-
    Incremental: a run (re)loads the ingestion days that received rows since the last run (dlt load ids
    after the largest one held here), replacing each such day whole (delete+insert on snapshot_date).
    No lookback: a row depends on nothing but its own movie and day.
-#}
{%- set days_to_load = [] -%}
{%- if is_incremental() -%}
    {%- set watermark = incremental_watermark('load_id') -%}
    {%- set days_to_load = days_loaded_after(source('tmdb', 'movie_status'), '_dlt_load_id', 'snapshot_date', watermark) -%}
{%- endif %}

with

status as (

    select * from {{ ref('stg_tmdb__movie_status') }}
    {%- if is_incremental() %}
    where snapshot_date in {{ date_literals(days_to_load) }}
    {%- endif %}

),

final as (

    select
        movie_id,
        snapshot_date,
        popularity,
        vote_count,
        vote_average,
        cast(rank() over (partition by snapshot_date order by popularity desc nulls last) as integer) as popularity_rank,
        load_id,

    from status

)

select * from final
order by snapshot_date, movie_id
