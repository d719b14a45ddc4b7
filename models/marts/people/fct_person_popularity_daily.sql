{#-
    Everyone's popularity per day, from TMDB's daily person export: the day's rank among all people, the 7-day
    average and its week-over-week change (the person page's curve reads this).

    Incremental (delete+insert on export_date), as fct_movie_popularity_daily: a run recomputes the days from the
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
        load_id,
    from {{ ref('stg_tmdb__person_popularity_daily') }}
    {%- if is_incremental() %}
    where {% if first_day is none %}false{% else %}export_date >= date '{{ first_day }}' - {{ lookback_days }}{% endif %}
    {%- endif %}

),

ranked as (

    select
        *,
        count(*) over (partition by export_date) as people_count,
        rank() over (partition by export_date order by popularity desc) as popularity_rank,
    from people

),

windowed as (

    select
        *,
        max(export_date) over earlier_days as previous_export_date,
        avg(cast(popularity as decimal(18, 6))) over last_7_days as popularity_avg_7d,
        count(popularity) over last_7_days as observed_days_7d,
        avg(cast(popularity as decimal(18, 6))) over previous_7_days as popularity_avg_prev_7d,
        count(popularity) over previous_7_days as observed_days_prev_7d,
    from ranked
    window
        earlier_days as (
            partition by person_id order by export_date
            range between interval {{ lookback_days }} days preceding and interval 1 day preceding
        ),
        last_7_days as (
            partition by person_id order by export_date
            range between interval 6 days preceding and current row
        ),
        previous_7_days as (
            partition by person_id order by export_date
            range between interval 13 days preceding and interval 7 days preceding
        )

),

final as (

    select
        person_id,
        export_date,
        popularity,
        cast(people_count as bigint) as people_count,
        cast(popularity_rank as bigint) as popularity_rank,
        previous_export_date,
        coalesce(previous_export_date < export_date - 1, false) as has_gap,
        round(popularity_avg_7d, 6) as popularity_avg_7d,
        cast(observed_days_7d as integer) as observed_days_7d,
        case
            when observed_days_7d >= {{ var('momentum_min_days_per_week') }}
             and observed_days_prev_7d >= {{ var('momentum_min_days_per_week') }}
             and popularity_avg_prev_7d > 0
                then round(100 * (popularity_avg_7d - popularity_avg_prev_7d) / popularity_avg_prev_7d, 4)
        end as popularity_change_7d_pct,
        {{ load_id_number('load_id') }} as load_id,
    from windowed
    {%- if is_incremental() and first_day is not none %}
    where export_date >= date '{{ first_day }}'
    {%- endif %}
    order by export_date, person_id

)

select * from final
