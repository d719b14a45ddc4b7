{#-
    Incremental like popularity_momentum_daily: days from the earliest day with new fact rows on are
    recomputed whole, reading var virality_lookback_days (8) days before it: velocity needs the day before,
    acceleration the two days before, and the 7-day acceleration trend the accelerations of D-6..D, so
    vote counts back to D-8.
-#}
{%- set lookback_days = require_lookback('virality_lookback_days', 8) -%}
{%- set first_day = first_status_day_to_recompute() %}

with

status as (

    select
        movie_id,
        snapshot_date,
        vote_count,
        load_id
    from {{ ref('fct_movie_status_daily') }}
    {{- days_to_read(first_day, lookback_days) }}

),

-- Day-over-day quantities only between calendar-adjacent days: a RANGE frame of "1 day preceding" holds the
-- movie's row of exactly the day before, or nothing (a gap), never an older row.
neighbours as (

    select
        movie_id,
        snapshot_date,
        vote_count,
        load_id as source_load_id,
        max(vote_count) over one_day_before as previous_vote_count,
        max(vote_count) over two_days_before as vote_count_two_days_before

    from status
    window
        one_day_before as ({{ days_before_window('snapshot_date', 1, 1) }}),
        two_days_before as ({{ days_before_window('snapshot_date', 2, 2) }})

),

velocity as (

    select
        movie_id,
        snapshot_date,
        vote_count,
        source_load_id,
        previous_vote_count,
        vote_count - previous_vote_count as vote_velocity,
        (vote_count - previous_vote_count) - (previous_vote_count - vote_count_two_days_before) as vote_acceleration,
        case
            when previous_vote_count >= greatest({{ var('virality_min_prior_votes') }}, 1)
                then round((vote_count - previous_vote_count) / previous_vote_count, 6)
        end as viral_coefficient,
        cast({{ dbt.datediff("date '2000-01-01'", 'snapshot_date', 'day') }} as bigint) as day_number

    from neighbours

),

-- Least-squares slope of the daily accelerations over the calendar days D-6..D, from exact integer sums
-- (x = days since 2000-01-01): its sign decides "rising", free of floating-point noise.
acceleration_trend as (

    select
        *,
        count(vote_acceleration) over last_7_days as accelerations_7d,
        sum(day_number) filter (where vote_acceleration is not null) over last_7_days as sum_x,
        sum(vote_acceleration) over last_7_days as sum_y,
        sum(day_number * vote_acceleration) over last_7_days as sum_xy,
        sum(day_number * day_number) filter (where vote_acceleration is not null) over last_7_days as sum_xx

    from velocity
    window last_7_days as ({{ days_before_window('snapshot_date', 6) }})

),

-- The viral score puts each movie's viral coefficient on 0-100 between the day's lowest and highest
-- coefficient (min-max across the movies observed that day).
day_ranges as (

    select
        snapshot_date,
        min(viral_coefficient) as day_min_coefficient,
        max(viral_coefficient) as day_max_coefficient
    from velocity
    group by snapshot_date

),

scored as (

    select
        acceleration_trend.movie_id,
        acceleration_trend.snapshot_date,
        acceleration_trend.vote_count,
        acceleration_trend.previous_vote_count,
        acceleration_trend.vote_velocity,
        acceleration_trend.vote_acceleration,
        acceleration_trend.viral_coefficient,
        case
            when acceleration_trend.viral_coefficient is null then null
            -- every movie of the day has the same coefficient: none stands out (and no division by zero)
            when day_ranges.day_max_coefficient = day_ranges.day_min_coefficient then 0
            else round(
                100 * (acceleration_trend.viral_coefficient - day_ranges.day_min_coefficient)
                / (day_ranges.day_max_coefficient - day_ranges.day_min_coefficient),
                2
            )
        end as viral_score,
        cast(acceleration_trend.accelerations_7d as integer) as accelerations_7d,
        acceleration_trend.accelerations_7d * acceleration_trend.sum_xy
            - acceleration_trend.sum_x * acceleration_trend.sum_y as slope_numerator,
        acceleration_trend.accelerations_7d * acceleration_trend.sum_xx
            - acceleration_trend.sum_x * acceleration_trend.sum_x as slope_denominator,
        acceleration_trend.source_load_id

    from acceleration_trend
    inner join day_ranges on acceleration_trend.snapshot_date = day_ranges.snapshot_date
    {%- if is_incremental() and first_day is not none %}
    where acceleration_trend.snapshot_date >= date '{{ first_day }}'
    {%- endif %}

),

final as (

    select
        movie_id,
        snapshot_date,
        vote_count,
        previous_vote_count,
        vote_velocity,
        vote_acceleration,
        viral_coefficient,
        viral_score,
        case
            when viral_score >= {{ var('viral_extremely_min_score') }} then 'Extremely viral'
            when viral_score >= {{ var('viral_highly_min_score') }} then 'Highly viral'
            when viral_score >= {{ var('viral_moderately_min_score') }} then 'Moderately viral'
            else 'Not viral'
        end as viral_category,
        accelerations_7d,
        case when accelerations_7d >= 2 then round(slope_numerator / slope_denominator, 4) end as acceleration_trend_7d,
        coalesce(
            accelerations_7d >= {{ var('emerging_min_accelerations') }}
            and slope_numerator > 0
            and vote_velocity > 0,
            false
        ) as is_emerging_viral,
        source_load_id

    from scored

)

select * from final
