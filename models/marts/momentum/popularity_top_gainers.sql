-- The top gaining movies of the latest ingestion day, by week-over-week % change of the 7-day average popularity:
-- the largest rises first, ties broken by the day-over-day change, then the movie id.
with

latest as (

    select * from {{ ref('popularity_momentum_latest') }}
    where is_observed_on_latest_day and popularity_change_7d_pct > 0

),

ranked as (

    select
        {{ top_mover_rank('desc') }} as rank,
        movie_id,
        title,
        last_observed_on as snapshot_date,
        popularity,
        popularity_avg_7d,
        popularity_change_7d_pct,
        popularity_change_1d,
        trend_class

    from latest

)

select * from ranked
where rank <= {{ var('top_movers_limit') }}
