-- The latest day of each TMDB list (trending today, this week, now playing per region): rank, the rank the day
-- before (NULL: not on the list then, or no listing that day), days on the list so far, and the movie's momentum.
with

listings as (

    select * from {{ ref('fct_movie_listing_daily') }}

),

momentum as (

    select * from {{ ref('popularity_momentum_daily') }}

),

latest_day as (

    select list_name, listing_region, max(snapshot_date) as snapshot_date
    from listings
    group by list_name, listing_region

),

history as (

    select
        listings.*,
        lag(listings.listing_rank) over (
            partition by listings.list_name, listings.listing_region, listings.movie_id order by listings.snapshot_date
        ) as previous_rank,
        lag(listings.snapshot_date) over (
            partition by listings.list_name, listings.listing_region, listings.movie_id order by listings.snapshot_date
        ) as previously_listed_on,
        count(*) over (
            partition by listings.list_name, listings.listing_region, listings.movie_id order by listings.snapshot_date
        ) as days_listed,
    from listings

),

final as (

    select
        history.list_name,
        history.listing_region,
        history.snapshot_date,
        history.listing_rank,
        history.movie_id,
        history.title,
        history.is_tracked,
        case
            when history.previously_listed_on = {{ dbt.dateadd('day', -1, 'history.snapshot_date') }}
                then history.previous_rank
        end as previous_day_rank,
        history.days_listed,
        momentum.trend_class,
        momentum.popularity_change_7d_pct,

    from history
    inner join latest_day
        on history.list_name = latest_day.list_name
        and history.listing_region = latest_day.listing_region
        and history.snapshot_date = latest_day.snapshot_date
    left join momentum
        on history.movie_id = momentum.movie_id and history.snapshot_date = momentum.snapshot_date

)

select * from final
