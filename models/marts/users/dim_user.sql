-- One row per pseudonymous user: when first and last seen, how active, what they rate, their favourite genre
-- and mood (user_taste_profile). Nothing personal: the id is all the warehouse knows of a person.
-- Read from the daily rollup int_user_activity_daily (a user's sessions: the sessions started, each once).
with

daily as {{ cte_not_materialized() }} (  -- read three times

    select * from {{ ref('int_user_activity_daily') }}

),

activity as (

    select
        user_id,
        min(first_event_at) as first_seen_at,
        max(last_event_at) as last_seen_at,
        cast(sum(events) as bigint) as events,
        count(distinct event_date) as active_days,
        cast(sum(sessions_started) as bigint) as sessions,
        cast(sum(views) as bigint) as views
    from daily
    group by user_id

),

-- A user's most frequent device and country; a tie goes to the first name, so two builds agree (mode() picks any).
-- (counted first, then ranked: Spark takes no aggregate in a QUALIFY of a grouped query)
device_counts as (

    select user_id, device, sum(events) as device_events
    from daily
    where device is not null
    group by user_id, device

),

devices as (

    select user_id, device as main_device
    from device_counts
    qualify row_number() over (partition by user_id order by device_events desc, device) = 1

),

country_counts as (

    select user_id, country_code, sum(events) as country_events
    from daily
    where country_code is not null
    group by user_id, country_code

),

countries as (

    select user_id, country_code
    from country_counts
    qualify row_number() over (partition by user_id order by country_events desc, country_code) = 1

),

ratings as (

    select user_id, count(*) as movies_rated, avg(rating) as average_rating
    from {{ ref('fct_rating') }}
    group by user_id

),

watchlists as (

    select user_id, count(*) filter (where is_current) as watchlist_size
    from {{ ref('fct_watchlist') }}
    group by user_id

),

favourites as (

    select
        user_id,
        max(label) filter (where dimension = 'genre') as favourite_genre,
        max(share) filter (where dimension = 'genre') as favourite_genre_share,
        max(label) filter (where dimension = 'mood') as favourite_mood,
        max(share) filter (where dimension = 'mood') as favourite_mood_share
    from {{ ref('user_taste_profile') }}
    where taste_rank = 1
    group by user_id

)

select
    activity.user_id,
    activity.first_seen_at,
    activity.last_seen_at,
    cast(activity.first_seen_at as date) as first_seen_date,
    cast(date_trunc('week', activity.first_seen_at) as date) as cohort_week,
    activity.events,
    activity.active_days,
    activity.sessions,
    activity.views,
    coalesce(ratings.movies_rated, 0) as movies_rated,
    ratings.average_rating,
    coalesce(watchlists.watchlist_size, 0) as watchlist_size,
    devices.main_device,
    countries.country_code,
    favourites.favourite_genre,
    favourites.favourite_genre_share,
    favourites.favourite_mood,
    favourites.favourite_mood_share

from activity
left join devices on activity.user_id = devices.user_id
left join countries on activity.user_id = countries.user_id
left join ratings on activity.user_id = ratings.user_id
left join watchlists on activity.user_id = watchlists.user_id
left join favourites on activity.user_id = favourites.user_id
