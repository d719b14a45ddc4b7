{#-
    Everyone's popularity per day, from TMDB's daily person export: the day's rank among all people, the 7-day
    average and its week-over-week change (the person page's curve reads this).

    Incremental (delete+insert on export_date; insert_overwrite of the days' partitions on Spark), as
    fct_movie_popularity_daily: a run recomputes the days from the
    earliest export day loaded after the newest load held here, reading the 13 days before it (the previous
    week's average). A full refresh gives the same rows. Windows are calendar days (RANGE on the date).
-#}
{%- set lookback_days = 13 -%}
{%- set first_day = catalog_first_day_to_recompute('tmdb_people', 'person_popularity_daily') %}

with

people as (

    select
        person_id,
        export_date,
        popularity,
        load_id
    from {{ ref('stg_tmdb__person_popularity_daily') }}
    {{- days_to_read(first_day, lookback_days, 'export_date') }}

),

ranked as (

    select
        *,
        count(*) over (partition by export_date) as people_count,
        rank() over (partition by export_date order by popularity desc) as popularity_rank
    from people

),

windowed as (

    select
        *,
        max(export_date) over earlier_days as previous_export_date,
        {{ weekly_popularity_columns() }}
    from ranked
    window
        earlier_days as ({{ days_before_window('export_date', lookback_days, 1, key='person_id') }}),
        last_7_days as ({{ days_before_window('export_date', 6, key='person_id') }}),
        previous_7_days as ({{ days_before_window('export_date', 13, 7, key='person_id') }})

),

final as (

    select
        person_id,
        export_date,
        popularity,
        cast(people_count as bigint) as people_count,
        cast(popularity_rank as bigint) as popularity_rank,
        previous_export_date,
        {{ is_after_gap('previous_export_date', 'export_date') }} as has_gap,
        round(popularity_avg_7d, 6) as popularity_avg_7d,
        cast(observed_days_7d as integer) as observed_days_7d,
        {{ popularity_change_7d_pct() }} as popularity_change_7d_pct,
        {{ load_id_number('load_id') }} as load_id
    from windowed
    {%- if is_incremental() and first_day is not none %}
    where export_date >= date '{{ first_day }}'
    {%- endif %}
    order by export_date, person_id

)

select * from final
