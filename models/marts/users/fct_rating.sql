{#-
    A user's latest rating of each movie (a later rating replaces an earlier one), with how it got there.
    Incremental on DuckDB (delete+insert on user and movie): an increment recomputes, from all their ratings, the
    (user, movie) pairs rated in the lookback window (macro events_window_start, on the day of rated_at).
-#}
{{ config(full_refresh=true if var('recs_holdout') else none) }}
{%- set window_start = events_window_start('cast(rated_at as date)') %}
with

ratings as (

    select user_id, movie_id, rating, event_at, event_id
    from {{ ref('int_user_events') }}
    {%- if window_start is not none %}
    inner join ({{ event_keys_since(window_start, ['user_id', 'movie_id'], "event_type = 'rate'") }}) as touched
        using (user_id, movie_id)
    {%- endif %}
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
