{#-
    Incremental: a run (re)loads the ingestion days that received rows since the last run (dlt load ids
    after the largest one held here), replacing each such day whole (delete+insert on snapshot_date); a
    first run or a full refresh loads every day. No lookback: a row depends on nothing but its movie and day.

    The days are read in ranges of at most var status_chunk_days (30) consecutive days, one `union all`
    branch each, in day order:
    staging deduplicates per movie and day, and DuckDB runs that over one chunk at a time instead of holding
    the whole history (a full refresh of 1M movies x 180 days would not fit in memory at once). The rows
    land in day order, so the models reading a few recent days of this table skip the older row groups.
-#}
{%- if is_incremental() -%}
    {%- set watermark = incremental_watermark('load_id') -%}
    {%- set days = days_loaded_after(ref('stg_tmdb__movie_status_loads'), 'load_id', 'snapshot_date', watermark) -%}
{%- else -%}
    {%- set days = all_days(ref('stg_tmdb__movie_status_loads'), 'snapshot_date') -%}
{%- endif -%}
{%- set chunks = day_chunks(days, var('status_chunk_days') | int) %}

with

status as (

    {%- for first_day, last_day in chunks %}
    (
        select movie_id, snapshot_date, popularity, vote_count, vote_average, load_id
        from {{ ref('stg_tmdb__movie_status') }}
        where snapshot_date between date '{{ first_day }}' and date '{{ last_day }}'
        order by snapshot_date, movie_id
    )
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    -- nothing to load
    select movie_id, snapshot_date, popularity, vote_count, vote_average, load_id
    from {{ ref('stg_tmdb__movie_status') }}
    where false
    {%- endfor %}

),

final as (

    select
        movie_id,
        snapshot_date,
        popularity,
        vote_count,
        vote_average,
        {{ load_id_number('load_id') }} as load_id

    from status

)

select * from final
