{#-
    Every movie of TMDB's daily ID exports, every export day: popularity, its rank and percentile in the day's
    catalog, whole-catalog momentum from popularity alone (7-day average, week-over-week change, trend class) and
    the movie's own recent history (median and spread of the previous days, a robust z-score, the percentile
    7 days earlier) that catalog_breakouts reads.

    Incremental (delete+insert on export_date): a run recomputes the days from the earliest export day loaded
    after the newest load held here (normally: today; an older gap day filled late recomputes from there on),
    reading var catalog_history_days (28) days before it: the history window. A full refresh gives the same rows.
    Windows are calendar days (RANGE on the date): a gap day is missing from a window, never adjacent.
-#}
{%- set history_days = require_lookback('catalog_history_days', 28) -%}
{%- set first_day = catalog_first_day_to_recompute() %}

with

catalog as (

    select
        movie_id,
        export_date,
        popularity,
        adult,
        video,
        load_id
    from {{ ref('stg_tmdb__movie_catalog_daily') }}
    {{- days_to_read(first_day, history_days, 'export_date') }}

),

ranked as (

    select
        *,
        count(*) over same_day as catalog_size,
        rank() over (partition by export_date order by popularity desc) as catalog_rank,
        round(percent_rank() over (partition by export_date order by popularity), 6) as popularity_percentile
    from catalog
    window same_day as (partition by export_date)

),

windowed as (

    select
        *,
        max(export_date) over earlier_days as previous_export_date,
        {{ weekly_popularity_columns() }},
        count(popularity) over earlier_days as history_days,
        {{ quantile_cont('popularity', 0.5) }} over earlier_days as history_median,
        {{ quantile_cont('popularity', 0.25) }} over earlier_days as history_q1,
        {{ quantile_cont('popularity', 0.75) }} over earlier_days as history_q3,
        max(popularity_percentile) over seven_days_earlier as percentile_7d_ago

    from ranked
    window
        earlier_days as ({{ days_before_window('export_date', history_days, 1) }}),
        last_7_days as ({{ days_before_window('export_date', 6) }}),
        previous_7_days as ({{ days_before_window('export_date', 13, 7) }}),
        seven_days_earlier as ({{ days_before_window('export_date', 7, 7) }})

),

metrics as (

    select
        *,
        {{ popularity_change_7d_pct() }} as popularity_change_7d_pct,
        -- the spread of the history: the IQR as a standard deviation (IQR / 1.349), floored so that a flat
        -- history (IQR 0) does not turn any move into an infinite score
        greatest(
            (history_q3 - history_q1) / 1.349,
            {{ var('breakout_min_spread_share', 0.1) }} * history_median,
            {{ var('breakout_min_spread', 0.1) }}
        ) as history_spread

    from windowed

),

final as (

    select
        movie_id,
        export_date,
        popularity,
        adult,
        video,
        cast(catalog_size as bigint) as catalog_size,
        cast(catalog_rank as bigint) as catalog_rank,
        popularity_percentile,
        previous_export_date,
        previous_export_date is null as is_first_observation,
        {{ is_after_gap('previous_export_date', 'export_date') }} as has_gap,
        {{ weekly_popularity_averages() }},
        popularity_change_7d_pct,
        {{ popularity_trend_class('popularity_change_7d_pct') }} as trend_class,
        cast(history_days as integer) as history_days,
        round(history_median, 6) as history_median,
        round(history_spread, 6) as history_spread,
        case
            when history_days >= {{ var('breakout_min_history_days', 7) }}
                then round((popularity - history_median) / history_spread, 4)
        end as robust_z,
        percentile_7d_ago,
        round(popularity_percentile - percentile_7d_ago, 6) as percentile_climb_7d,
        {{ load_id_number('load_id') }} as load_id

    from metrics
    {%- if is_incremental() and first_day is not none %}
    where export_date >= date '{{ first_day }}'
    {%- endif %}
    -- rows land in day order, so the models reading a few recent days (catalog_breakouts) skip older row groups
    order by export_date, movie_id

)

select * from final
