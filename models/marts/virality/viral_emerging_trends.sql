-- Emerging viral trends on the latest ingestion day: movies whose vote acceleration has been rising over
-- the last 7 days, strongest trend first.
with

virality as (

    select * from {{ ref('movie_virality_daily') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

latest_day as (

    select max(snapshot_date) as snapshot_date from virality

),

emerging as (

    select virality.*
    from virality
    inner join latest_day on virality.snapshot_date = latest_day.snapshot_date
    where virality.is_emerging_viral

),

final as (

    select
        cast(row_number() over (
            order by emerging.acceleration_trend_7d desc, emerging.vote_velocity desc, emerging.movie_id
        ) as integer) as rank,
        emerging.movie_id,
        movies.title,
        emerging.snapshot_date,
        emerging.vote_count,
        emerging.vote_velocity,
        emerging.vote_acceleration,
        emerging.acceleration_trend_7d,
        emerging.accelerations_7d,
        emerging.viral_coefficient,
        emerging.viral_score,
        emerging.viral_category

    from emerging
    left join movies on emerging.movie_id = movies.movie_id

)

select * from final
