{#-
    Incremental: the first day to recompute is the earliest day of fct_movie_status_daily loaded after the
    newest load this table holds (normally: today). Days from there on are recomputed whole (delete+insert
    on snapshot_date) from the fact rows of those days plus `momentum_lookback_days` (13) days before them:
    the 7-day average reads 6 days back, the previous week's average 7 to 13 days back.
-#}
{%- set lookback_days = require_lookback('momentum_lookback_days', 13) -%}
{%- set first_day = first_status_day_to_recompute() %}

with

status as (

    select
        movie_id,
        snapshot_date,
        popularity,
        load_id
    from {{ ref('fct_movie_status_daily') }}
    {{- days_to_read(first_day, lookback_days) }}

),

-- Calendar-day windows (RANGE on the date), never "the previous row": a day a movie was not ingested is
-- missing from its windows, not treated as adjacent.
windowed as (

    select
        movie_id,
        snapshot_date,
        popularity,
        load_id as source_load_id,
        max(snapshot_date) over earlier_days as previous_snapshot_date,
        max(popularity) over previous_day as previous_day_popularity,
        {{ weekly_popularity_columns() }}

    from status
    window
        earlier_days as ({{ days_before_window('snapshot_date', lookback_days, 1) }}),
        previous_day as ({{ days_before_window('snapshot_date', 1, 1) }}),
        last_7_days as ({{ days_before_window('snapshot_date', 6) }}),
        previous_7_days as ({{ days_before_window('snapshot_date', 13, 7) }})

),

metrics as (

    select
        movie_id,
        snapshot_date,
        popularity,
        previous_snapshot_date,
        previous_snapshot_date is null as is_first_observation,
        {{ is_after_gap('previous_snapshot_date', 'snapshot_date') }} as has_gap,
        round(popularity - previous_day_popularity, 6) as popularity_change_1d,
        case
            when previous_day_popularity > 0
                then round(100 * (popularity - previous_day_popularity) / previous_day_popularity, 4)
        end as popularity_change_1d_pct,
        {{ weekly_popularity_averages() }},
        {{ popularity_change_7d_pct() }} as popularity_change_7d_pct,
        source_load_id

    from windowed

),

classified as (

    select
        movie_id,
        snapshot_date,
        popularity,
        previous_snapshot_date,
        is_first_observation,
        has_gap,
        popularity_change_1d,
        popularity_change_1d_pct,
        popularity_avg_7d,
        observed_days_7d,
        popularity_avg_prev_7d,
        observed_days_prev_7d,
        popularity_change_7d_pct,
        {{ popularity_trend_class('popularity_change_7d_pct') }} as trend_class,
        source_load_id

    from metrics
    {%- if is_incremental() and first_day is not none %}
    where snapshot_date >= date '{{ first_day }}'
    {%- endif %}

)

select * from classified
