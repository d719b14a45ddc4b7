-- First and last ingestion day of each movie, and its latest popularity and votes.
with

status as (

    select * from {{ ref('stg_tmdb__movie_status') }}

),

aggregated as (

    select
        movie_id,
        min(snapshot_date) as first_seen_on,
        max(snapshot_date) as last_seen_on,
        count(*) as days_observed,
        {{ arg_max('popularity', 'snapshot_date') }} as latest_popularity,
        {{ arg_max('vote_count', 'snapshot_date') }} as latest_vote_count,
        {{ arg_max('vote_average', 'snapshot_date') }} as latest_vote_average

    from status
    group by movie_id

)

select * from aggregated
