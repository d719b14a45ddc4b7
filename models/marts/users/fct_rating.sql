-- A user's latest rating of each movie (a later rating replaces an earlier one), with how it got there.
with

ratings as (

    select user_id, movie_id, rating, event_at, event_id
    from {{ ref('int_user_events') }}
    where event_type = 'rate'

)

select
    user_id,
    movie_id,
    {{ arg_max('rating', '(event_at, event_id)') }} as rating,
    max(event_at) as rated_at,
    min(event_at) as first_rated_at,
    count(*) as times_rated,
    {{ arg_min('rating', '(event_at, event_id)') }} as first_rating

from ratings
group by user_id, movie_id
