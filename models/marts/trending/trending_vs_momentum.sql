-- How TMDB's trending lists relate to the warehouse's momentum classes: per day, trending list and trend class
-- of the tracked movies, how many are on the list, the share, and their average rank. A class whose movies are
-- mostly trending (Surging) and one whose are not (Falling) say the two measures agree.
with

listings as (

    select * from {{ ref('fct_movie_listing_daily') }}
    where list_name in ('trending_day', 'trending_week')

),

momentum as (

    select * from {{ ref('popularity_momentum_daily') }}

),

list_days as (

    select distinct list_name, snapshot_date from listings

),

classed as (

    select
        list_days.list_name,
        momentum.snapshot_date,
        momentum.movie_id,
        coalesce(momentum.trend_class, 'Unclassified') as trend_class,
    from momentum
    inner join list_days on momentum.snapshot_date = list_days.snapshot_date

),

final as (

    select
        classed.snapshot_date,
        classed.list_name,
        classed.trend_class,
        count(*) as tracked_movie_count,
        count(listings.movie_id) as listed_movie_count,
        count(listings.movie_id) / count(*) as listed_share,
        avg(listings.listing_rank) as avg_listing_rank,

    from classed
    left join listings
        on classed.list_name = listings.list_name
        and classed.snapshot_date = listings.snapshot_date
        and classed.movie_id = listings.movie_id
    group by classed.snapshot_date, classed.list_name, classed.trend_class

)

select * from final
