-- Each movie's most recent momentum row, with how long ago (in ingestion days) it was observed.
with

momentum as (

    select * from {{ ref('popularity_momentum_daily') }}

),

movies as (

    select * from {{ ref('dim_movie') }}

),

latest_day as (

    select max(snapshot_date) as latest_snapshot_date from momentum

),

latest as (

    select * from momentum
    qualify row_number() over (partition by movie_id order by snapshot_date desc) = 1

),

final as (

    select
        latest.movie_id,
        movies.title,
        latest.snapshot_date as last_observed_on,
        {{ dbt.datediff('latest.snapshot_date', 'latest_day.latest_snapshot_date', 'day') }} as days_since_observed,
        latest.snapshot_date = latest_day.latest_snapshot_date as is_observed_on_latest_day,
        latest.popularity,
        latest.popularity_change_1d,
        latest.popularity_change_1d_pct,
        latest.popularity_avg_7d,
        latest.observed_days_7d,
        latest.popularity_change_7d_pct,
        latest.trend_class,
        latest.has_gap

    from latest
    cross join latest_day
    left join movies on latest.movie_id = movies.movie_id

)

select * from final
